import fs from "node:fs";
import path from "node:path";
import { loadConfig, type Config } from "./config.ts";
import type { Context } from "./deps.ts";
import { createClock, createRunningClock, setTrustTimeZone, type Clock } from "./clock.ts";
import { connectDb, migrateLatest, type Db } from "./db/connect.ts";
import { AppError } from "./errors.ts";

/** What the server and the CLI both need: validated config, the clock, a migrated database. */
export async function openContext(env: Record<string, string | undefined>): Promise<Context> {
  const config = loadConfig(env);
  setTrustTimeZone(config.timeZone);
  const clock = config.fixedNow === undefined ? createClock() : createRunningClock(config.fixedNow);
  ensureWritableDataDir(config.dataDir);
  const db = connectDb({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, "lms.sqlite") });
  try {
    // Only migrate when something is pending: a CLI command that fails validation must leave the
    // database file exactly as it was, and even an empty migrate run writes its lock row.
    const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
    if (pending.length) await migrateLatest(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw databaseUnreachable(config, error);
  }
  return { config, clock, db };
}

/** Fails at once, with the folder's name, rather than later inside SQLite or an upload. */
function ensureWritableDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw new AppError("config.data_dir", `DATA_DIR ${path.resolve(dataDir)} cannot be created or written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function databaseUnreachable(config: Config, error: unknown): AppError {
  const reason = (error as Error)?.message?.split("\n")[0] ?? String(error);
  const where = config.databaseUrl ? `PostgreSQL at ${redact(config.databaseUrl)}` : `SQLite file ${path.resolve(config.dataDir, "lms.sqlite")}`;
  return new AppError("config.database", `Cannot open the database (${where}): ${reason}`);
}

/** A connection string without its password, for messages. */
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "DATABASE_URL";
  }
}
