import path from "node:path";
import { loadConfig, type Config } from "./config.ts";
import { createClock, type Clock } from "./clock.ts";
import { connectDb, migrateLatest, type Db } from "./db/connect.ts";

export interface Context {
  config: Config;
  clock: Clock;
  db: Db;
}

/** What the server and the CLI both need: validated config, the clock, a migrated database. */
export async function openContext(env: Record<string, string | undefined>): Promise<Context> {
  const config = loadConfig(env);
  const clock = createClock(config.fixedNow);
  const db = connectDb({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, "lms.sqlite") });
  // Only migrate when something is pending: a CLI command that fails validation must leave the
  // database file exactly as it was, and even an empty migrate run writes its lock row.
  const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
  if (pending.length) await migrateLatest(db);
  return { config, clock, db };
}
