import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { connectDb, migrateLatest, type Db } from "../../server/db/connect.ts";

export interface TestDb {
  db: Db;
  /** The environment that points the server or the CLI at this same database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for each caller: a SQLite file in a temporary folder, or,
 * when DATABASE_URL is set (CI's PostgreSQL pass), a new database on that server.
 */
export async function createTestDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
  const adminUrl = process.env.DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-test-"));
  if (!adminUrl) {
    const db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });
    if (options.migrate !== false) await migrateLatest(db);
    return {
      db,
      env: { DATA_DIR: dataDir },
      async cleanup() {
        await db.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `lms_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = knex({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = connectDb({ databaseUrl: url.toString() });
  if (options.migrate !== false) await migrateLatest(db);
  return {
    db,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async cleanup() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
