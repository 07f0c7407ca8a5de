import fs from "node:fs";
import path from "node:path";
import knex, { type Knex } from "knex";
import { migrations } from "../../migrations/index.ts";

export type Db = Knex;

/**
 * Ids are `integer` columns (increments()). PostgreSQL fails a whole query that compares one
 * with a larger number ("out of range for type integer": a 500), where SQLite finds nothing; so an
 * id from a request is checked with this before it reaches a query (found by test/reliability/fuzz-forms.test.ts).
 */
export function isRowId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= 2_147_483_647;
}


export interface DbOptions {
  databaseUrl?: string | undefined;
  /** SQLite file path; ":memory:" is allowed for throwaway use. */
  sqliteFile?: string;
}

/**
 * One knex instance for the process. SQLite is the embedded default and is tuned for durability
 * first: WAL so readers never block the writer, synchronous=FULL so an acknowledged commit
 * survives a power cut, and a busy timeout so a second process waits rather than fails.
 */
export function connectDb(options: DbOptions): Db {
  if (options.databaseUrl) {
    return knex({
      client: "pg",
      connection: options.databaseUrl,
      // No JIT compilation: PostgreSQL compiles a statement whose estimated cost is high, and the
      // reports' per-page statements (correlated look-backs, estimated far above their real cost)
      // spent 3 s compiling for 0.07 s of work each: a page of the people CSV 15x slower
      // (bench:trusts, issue 21). The LMS's statements are short; none gains from compiling.
      pool: { min: 0, max: 10, afterCreate: (connection: PgConnection, done: (error: Error | null, connection: PgConnection) => void) => connection.query("SET jit = off", (error) => done(error, connection)) },
      // Fail a request within seconds when the database is away, rather than queue it for a minute.
      acquireConnectionTimeout: 10_000,
      migrations: migrationConfig,
    });
  }
  const filename = options.sqliteFile ?? ":memory:";
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(filename), { recursive: true });
  const db = knex({
    client: "sqlite3",
    connection: { filename },
    useNullAsDefault: true,
    acquireConnectionTimeout: 10_000,
    // One connection makes transactions exclusive without SQLITE_BUSY surprises; its statements
    // run in the order sent (pragmas, below).
    pool: { min: 1, max: 1, afterCreate: pragmas("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;") },
    migrations: migrationConfig,
  });
  if (filename !== ":memory:") sqliteFiles.set(db, filename);
  return db;
}

const sqliteFiles = new WeakMap<Db, string>();

/** The file of a SQLite database (undefined for PostgreSQL and in-memory SQLite). */
export function sqliteFileOf(db: Db): string | undefined {
  return sqliteFiles.get(db);
}

/**
 * How many read-only connections a SQLite file's page reads share (see readsOf). Few: each
 * statement runs on one of libuv's four threads, which the writer, the session reads
 * (web/sqlite-session-reads.ts), password hashing and gzip share, and the machine has 2 cores.
 */
export const SQLITE_READ_CONNECTIONS = 2;
const readers = new WeakMap<Db, Db>();

/**
 * The database a page's reads go to: on a SQLite file, a pool of SQLITE_READ_CONNECTIONS
 * read-only connections beside db's one writer, opened at first use and closed (and opened again)
 * with db; elsewhere db itself (PostgreSQL's pool already reads beside its writers; in-memory
 * SQLite is one connection by nature).
 *
 * Why: on db's single connection every page's queries queued behind the runtime's commit
 * transactions, each waiting on its fsync: bench:load measured Home at p50 113 ms and p99 338 ms
 * on SQLite against 19 / 69 ms on PostgreSQL. WAL lets these connections read while the writer
 * writes, each statement seeing what was committed when it began: a page shown after a POST's
 * redirect sees what that POST wrote, since the POST answered after its commit. What must read
 * inside a transaction, or a write's own rows before it commits, stays on db.
 * `query_only` makes a write sent here by mistake fail rather than take a second writer's lock.
 */
export function readsOf(db: Db): Db {
  const file = sqliteFiles.get(db);
  if (!file) return db;
  let reads = readers.get(db);
  if (reads) return reads;
  const opened = knex({
    client: "sqlite3",
    connection: { filename: file },
    useNullAsDefault: true,
    acquireConnectionTimeout: 10_000,
    pool: { min: 0, max: SQLITE_READ_CONNECTIONS, afterCreate: pragmas("PRAGMA query_only = ON; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;") },
  });
  readers.set(db, opened);
  closeWith(db, () => opened.destroy());
  // db.initialize() after a destroy (an outage's recovery) opens the reads again too.
  const client = db.client as { initializePool(config?: unknown): void };
  const initializePool = client.initializePool.bind(client);
  client.initializePool = (config?: unknown) => {
    initializePool(config);
    if (!(opened.client as { pool?: unknown }).pool) opened.initialize();
  };
  return opened;
}

/**
 * Runs `close` when db is destroyed, before its own pool closes: for connections opened beside
 * knex's (see server/web/sqlite-session-reads.ts), so that no caller has a second thing to close.
 * db.destroy() hands over to its client's destroy; the knex object's own is read-only.
 */
export function closeWith(db: Db, close: () => Promise<void>): void {
  const client = db.client as { destroy(callback?: unknown): Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    await close().catch(() => undefined);
    return destroy(callback);
  };
}

/**
 * The writer's settings, and its statements run in the order they are sent (node-sqlite3's
 * serialize mode): a runtime batch sends statements that do not depend on each other together and
 * waits once for them all (runtime-batch.ts's allOf), and in serialize mode they queue on one of
 * libuv's threads, one after another, instead of each taking a thread of its own to wait there for
 * the connection's lock.
 */
function pragmas(sql: string) {
  return (connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) =>
    connection.exec(sql, (error) => {
      if (!error) connection.serialize();
      done(error, connection);
    });
}

interface PgConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
}

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
  serialize(): void;
}

const migrationConfig: Knex.MigratorConfig = {
  tableName: "knex_migrations",
  migrationSource: {
    getMigrations: async () => migrations.map(([name]) => name),
    getMigrationName: (name: string) => name,
    getMigration: async (name: string) => migrations.find(([candidate]) => candidate === name)![1],
  },
};

/** The rows of a db.raw() result: sqlite3 gives them as an array, pg inside `rows`. */
export function rawRows(result: unknown): Array<Record<string, unknown>> {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>;
}

/** Resolves when the database answers a trivial query: what /healthz asks before anything else. */
export async function databaseAnswers(db: Db): Promise<void> {
  await db.raw("select 1");
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === "pg";
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback(undefined, true);
}
