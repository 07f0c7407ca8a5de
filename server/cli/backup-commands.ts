import path from "node:path";
import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { Config } from "../config.ts";
import type { CliIo } from "./cli.ts";
import { backup, restore } from "../db/backup.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

/** `lms backup OUT` and `lms restore IN` (db/backup.ts). Restore opens no context: that would create the database it restores. */
export function registerBackupCommands(program: Command, withContext: WithContext, io: CliIo, config: () => Config): void {
  program
    .command("backup <out>")
    .description("Back up the LMS into a new folder while it runs: the SQLite database (an online, consistent copy), package and evidence files, the session secret. On PostgreSQL, back up the database with pg_dump (README).")
    .action((out: string) =>
      withContext(async ({ db, config: configured, clock }) => {
        const summary = await backup(db, configured, clock, out);
        io.out(`Backed up to ${path.resolve(out)}: ${summary.database === "sqlite" ? "the database and " : ""}${summary.files} file(s)`);
        if (summary.database === "postgresql") io.out("The database is PostgreSQL: back it up with pg_dump as the README shows (the folder holds the files only).");
      }),
    );

  program
    .command("restore <in>")
    .description("Restore a backup folder into an empty DATA_DIR, check the database's integrity, and bring its schema up to date.")
    .action(async (from: string) => {
      const summary = await restore(config(), from);
      io.out(`Restored ${path.resolve(from)} into ${path.resolve(config().dataDir)}: ${summary.database === "sqlite" ? "the database and " : ""}${summary.files} file(s)`);
      if (summary.database === "postgresql") io.out("The database is PostgreSQL: restore it with pg_restore as the README shows.");
    });
}
