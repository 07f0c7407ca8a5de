import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { CliIo } from "./cli.ts";
import { AppError } from "../errors.ts";
import { personOf } from "./learning-commands.ts";
import { exportRecords, importRecords, recordsFileText } from "../compliance/index.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

/** `lms export-records` and `lms import-records`: record transfer between organisations (compliance/record-transfer.ts). */
export function registerRecordCommands(program: Command, withContext: WithContext, io: CliIo): void {
  program
    .command("export-records <username>")
    .description("Write a person's approved competence records as a transfer file (JSON) that another organisation's LMS imports.")
    .option("--out <file>", "write the file here (default: print it)")
    .action((username: string, options: { out?: string }) =>
      withContext(async ({ db, clock }) => {
        const file = await exportRecords(db, clock, { personId: await personOf(db, username), actorAccountId: null, ip: null });
        const text = `${JSON.stringify(file, null, 2)}\n`;
        if (!options.out) return io.out(text.trimEnd());
        fs.writeFileSync(options.out, text);
        io.out(`Wrote ${file.records.length} approved record(s) of ${username} to ${path.resolve(options.out)}`);
      }),
    );

  program
    .command("import-records <username> <file>")
    .description("Import a competence records file exported by another organisation onto a person: each record arrives Awaiting Approval; one already held is skipped; nothing is stored if the file has any problem.")
    .action((username: string, fileName: string) =>
      withContext(async ({ db, clock }) => {
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(fileName);
        } catch (error) {
          throw new AppError("cli.unreadable_file", `Cannot read ${fileName}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        // Refused as the upload is, rather than imported with its names garbled.
        const text = recordsFileText(bytes);
        const result = await importRecords(db, clock, { personId: await personOf(db, username), text, actorAccountId: null, ip: null });
        io.out(`Imported ${result.imported.length} record(s) for ${username}, awaiting approval; skipped ${result.skipped.length} already held`);
      }),
    );
}
