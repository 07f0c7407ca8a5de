import path from "node:path";
import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { Config } from "../config.ts";
import type { CliIo } from "./cli.ts";
import { importPackage, validatePackage, exportPackage, createLocalStorage, SamePackage, type ValidationReport } from "../packages/index.ts";
import { createProgressBar } from "./progress-bar.ts";
import { AppError } from "../errors.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

export function registerPackageCommands(program: Command, withContext: WithContext, io: CliIo, config: () => Config): void {
  program
    .command("import-package")
    .description("Import a SCORM 1.2 or 2004 package as a new course, or as a new version of an existing one.")
    .argument("<zip>", "the package file")
    .option("--code <code>", "the course code, e.g. \"297 Fire Safety - Part 1\" (default: the manifest's title)")
    .option("--new-version-anyway", "import a package the course already has a version of, as a new version")
    .action((zip: string, options: { code?: string; newVersionAnyway?: boolean }) =>
      withContext(async ({ db, clock, config }) => {
        const storage = createLocalStorage(path.join(config.dataDir, "packages"));
        await storage.sweepStale(); // what an interrupted import left behind
        // A progress bar only where a person watches: on a terminal, never in a pipe or a log.
        const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
        const result = await importPackage({ db, clock, storage }, zip, {
          limits: config.packageLimits,
          diskFreeFloorBytes: config.diskFreeFloorBytes,
          ...(options.code ? { code: options.code } : {}),
          ...(bar ? { onProgress: bar.update } : {}),
          ifSamePackage: options.newVersionAnyway ? "import" : "ask",
        })
          .catch((error: unknown) => {
            if (error instanceof SamePackage) throw new AppError(error.code, `${error.message}. Nothing was imported; to make a new version of it anyway, run again with --new-version-anyway`);
            throw error;
          })
          .finally(() => bar?.done());
        io.out(JSON.stringify({ course: result.course, version: result.version, scormVersion: result.scormVersion, title: result.title, scos: result.scos }));
      }),
    );

  program
    .command("export-package")
    .description("Write a course version back out as a SCORM package zip.")
    .argument("<code>", "the course code")
    .argument("<out>", "the zip file to write")
    .option("--version <n>", "the version to export (default: the newest)", (value) => {
      if (!/^\d+$/.test(value)) throw new AppError("cli.bad_version", `--version "${value}" must be a whole number`);
      return Number(value);
    })
    .action((code: string, out: string, options: { version?: number }) =>
      withContext(async ({ db, config }) => {
        const storage = createLocalStorage(path.join(config.dataDir, "packages"));
        const exported = await exportPackage({ db, storage }, code, out, options.version === undefined ? {} : { version: options.version });
        io.out(`Exported ${exported.course} version ${exported.version}: ${exported.files} files, ${exported.bytes} bytes, to ${out}`);
      }),
    );

  program
    .command("validate-package")
    .description("Check a package as import would, without importing it.")
    .argument("<zip>", "the package file")
    .option("--json", "print the report as JSON")
    .action(async (zip: string, options: { json?: boolean }) => {
      // Checked against the configured limits, exactly as import would check it; no database needed.
      const report = await validatePackage(zip, config().packageLimits);
      io.out(options.json ? JSON.stringify(report, null, 2) : formatReport(zip, report));
      // A package that would not import fails the command, so scripts can gate on it.
      if (!report.ok) throw new AppError("package.invalid", `${zip} would not import`);
    });
}

function formatReport(zip: string, report: ValidationReport): string {
  const lines = [`Validation report for ${zip}: ${report.ok ? "valid" : "NOT valid"}`];
  if (report.ok) {
    lines.push(`  SCORM ${report.scormVersion}, "${report.title}", ${report.fileCount} files, ${report.totalBytes} bytes`);
    for (const item of report.launchables) lines.push(`  ${item.scormType.toUpperCase()} ${item.identifier}: ${item.title} -> ${item.launch}`);
  }
  for (const error of report.errors) {
    const where = [error.file, error.element].filter(Boolean).join(" ");
    lines.push(`  error [${error.code}] ${error.message}${where ? ` (${where})` : ""}`);
  }
  for (const warning of report.warnings) {
    const where = [warning.file, warning.element].filter(Boolean).join(" ");
    lines.push(`  warning [${warning.code}] ${warning.message}${where ? ` (${where})` : ""}`);
  }
  if (report.ok && report.warnings.length === 0) lines.push("  no warnings");
  return lines.join("\n");
}
