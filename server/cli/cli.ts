import { Command, CommanderError } from "commander";
import { ConfigError, loadConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { openContext } from "../boot-context.ts";
import type { Context } from "../deps.ts";
import { registerSetupCommands } from "./setup-commands.ts";
import { registerPackageCommands } from "./package-commands.ts";
import { registerLearningCommands } from "./learning-commands.ts";
import { registerReportCommands } from "./report-commands.ts";
import { registerRecordCommands } from "./record-commands.ts";
import { registerBackupCommands } from "./backup-commands.ts";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * `lms <command>`: every command opens the same configured, migrated context as the server.
 * Returns the exit code: 0 on success, 1 with `error: ...` on stderr otherwise.
 */
export async function runCli(argv: string[], env: Record<string, string | undefined>, io: CliIo = processIo): Promise<number> {
  let context: Context | undefined;
  const withContext = async <T>(work: (context: Context) => Promise<T>): Promise<T> => {
    context ??= await openContext(env);
    return work(context);
  };
  const program = new Command("lms")
    .description("Run and administer the LMS. Configuration comes from the environment (see README).")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
  registerSetupCommands(program, withContext, io);
  registerPackageCommands(program, withContext, io, () => loadConfig(env));
  registerLearningCommands(program, withContext, io);
  registerReportCommands(program, withContext, io);
  registerRecordCommands(program, withContext, io);
  registerBackupCommands(program, withContext, io, () => loadConfig(env));

  if (argv.length === 0) {
    io.err(program.helpInformation().trimEnd());
    io.err("error: name a command, e.g. lms migrate (lms --help lists them)");
    return 1;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    reportError(error, io);
    return 1;
  } finally {
    await context?.db.destroy();
  }
}

function reportError(error: unknown, io: CliIo): void {
  if (error instanceof AppError) {
    io.err(`error: ${error.message}`);
    for (const detail of error.details) io.err(`  - ${detail}`);
  } else if (error instanceof ConfigError) {
    io.err(`error: ${error.message}`);
  } else {
    io.err(`error: ${(error as Error)?.message ?? String(error)}`);
  }
}
