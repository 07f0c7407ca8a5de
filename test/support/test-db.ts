import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { connectDb, migrateLatest, type Db } from "../../server/db/connect.ts";

export interface TestDb {
  db: Db;
  /**
   * The environment a child process (server, CLI) needs to use the same database: DATA_DIR (a
   * fresh temp folder; on SQLite the database is DATA_DIR/lms.sqlite, as server/boot-context.ts
   * opens it) and, on PostgreSQL, DATABASE_URL naming the test's own database.
   */
  env: Record<string, string>;
  /** Destroys the connection pool and throws the database and DATA_DIR away. */
  cleanup(): Promise<void>;
}

export interface TestDbOptions {
  /** Run the migrations (default). False leaves an empty database, e.g. for first-start tests. */
  migrate?: boolean;
}

/**
 * A fresh database for one test file. With DATABASE_URL set (CI, and the local PostgreSQL
 * check), a uniquely named database is created through an admin connection to that URL and
 * dropped afterwards, so suites can run in parallel against one cluster. Otherwise a SQLite file
 * in a temp folder: a real file, so WAL and foreign keys behave as in production.
 */
export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-test-data-"));
  const adminUrl = process.env.DATABASE_URL;
  const database = adminUrl ? await createPostgresDb(adminUrl) : createSqliteDb(dataDir);
  const cleanup = async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (options.migrate !== false) await migrateLatest(database.db);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { db: database.db, env: { DATA_DIR: dataDir, ...database.env }, cleanup };
}

interface Database {
  db: Db;
  env: Record<string, string>;
  drop(): Promise<void>;
}

function createSqliteDb(dataDir: string): Database {
  const db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });
  return { db, env: {}, drop: () => db.destroy() };
}

async function createPostgresDb(adminUrl: string): Promise<Database> {
  const name = `lms_test_${Date.now().toString(36)}_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.raw("CREATE DATABASE ??", [name]));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = connectDb({ databaseUrl: url.toString() });
  return {
    db,
    env: { DATABASE_URL: url.toString() },
    async drop() {
      await db.destroy();
      // WITH (FORCE) (PostgreSQL 13+) ends any connection a test or child process left behind.
      await withAdmin(adminUrl, (admin) => admin.raw("DROP DATABASE IF EXISTS ?? WITH (FORCE)", [name]));
    },
  };
}

async function withAdmin(adminUrl: string, work: (admin: knex.Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
