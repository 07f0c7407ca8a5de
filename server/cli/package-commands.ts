import path from "node:path";
import type { Command } from "commander";
import type { Context } from "../runtime-context.ts";
import type { CliIo } from "./cli.ts";
import { importPackage, validatePackage } from "../packages/import-package.ts";
import { createLocalStorage } from "../packages/storage.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

export function registerPackageCommands(program: Command, withContext: WithContext, io: CliIo): void {
  program
    .command("import-package")
    .description("Import a SCORM 1.2 or 2004 package as a new course, or as a new version of an existing one.")
    .argument("<zip>", "the package file")
    .option("--code <code>", "the course code, e.g. \"297 Fire Safety - Part 1\" (default: the manifest's title)")
    .action((zip: string, options: { code?: string }) =>
      withContext(async ({ db, clock, config }) => {
        const storage = createLocalStorage(path.join(config.dataDir, "packages"));
        const result = await importPackage({ db, clock, storage }, zip, options.code ? { code: options.code } : {});
        io.out(JSON.stringify({ course: result.course, version: result.version, scormVersion: result.scormVersion, title: result.title, scos: result.scos }));
      }),
    );

  program
    .command("validate-package")
    .description("Check a package as import would, without importing it.")
    .argument("<zip>", "the package file")
    .action(async (zip: string) => {
      const report = await validatePackage(zip);
      io.out(JSON.stringify(report, null, 2));
    });
}
