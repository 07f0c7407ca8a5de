import sqlite3 from "sqlite3";
import { closeWith, sqliteFileOf, type Db } from "../db/connect.ts";

/** A stored session's data (express-session's JSON), or null when there is none or it expired. */
export type SessionLookup = (sid: string) => Promise<unknown>;

/**
 * Lookups that may run at once: one prepared statement each, taken in turn. node-sqlite3 runs one
 * statement's calls one after another, each started only when the event loop has handled the one
 * before: with a single statement, every request's session read waited in that line (every commit's,
 * until the runtime came to read a session once: runtime-writer.ts's SessionCheck), and the line
 * moved about one read per turn of the loop. Measured with 100 requests at once, each doing 150 µs
 * of other work per lookup (on the shared 2-core machine, under others' load): one statement
 * 1,240-1,418 lookups/s, about the LMS's whole flat-out rate in bench:commits (1,342-1,868 commits/s);
 * two 3,777-5,166. Two rather than more (four and eight measured no better): each read in flight
 * holds one of libuv's four threads, which the writer's statements need too.
 */
export const SESSION_LOOKUPS_AT_ONCE = 2;

/**
 * Every request reads its session. On a SQLite file that read goes to a read-only connection of
 * its own, through one prepared statement, because through knex it was measured at about half a
 * millisecond of the event loop per request (query building and pool bookkeeping) and it queued
 * behind the runtime's write transactions on knex's single connection. WAL lets this connection
 * read beside a writer; it sees what was committed. Elsewhere (PostgreSQL, in-memory SQLite):
 * undefined, and the store's own lookup is used.
 *
 * The query is connect-session-knex's own for SQLite (same table, same expiry test), so the two
 * agree on what a live session is.
 */
export function createSqliteSessionLookup(db: Db): SessionLookup | undefined {
  const file = sqliteFileOf(db);
  if (!file) return undefined;
  let statements: Promise<sqlite3.Statement[]> | undefined;
  let connection: sqlite3.Database | undefined;
  let turn = 0;

  const prepareOne = (open: sqlite3.Database) =>
    new Promise<sqlite3.Statement>((resolve, reject) => {
      const prepared = open.prepare("SELECT sess FROM sessions WHERE sid = ? AND datetime(?) <= datetime(expired)", (error) => (error ? reject(error) : resolve(prepared)));
    });
  const prepare = () =>
    new Promise<sqlite3.Statement[]>((resolve, reject) => {
      connection = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
        if (error) return reject(error);
        const open = connection!;
        open.configure("busyTimeout", 5000);
        void Promise.allSettled(Array.from({ length: SESSION_LOOKUPS_AT_ONCE }, () => prepareOne(open))).then(async (outcomes) => {
          const failed = outcomes.find((outcome) => outcome.status === "rejected");
          const prepared = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
          if (!failed) return resolve(prepared);
          await Promise.all(prepared.map((one) => new Promise<void>((done) => one.finalize(() => done()))));
          open.close();
          connection = undefined;
          reject(failed.reason);
        });
      });
    });

  // Closed with db; opened again at the next lookup if db is (knex can initialize() again).
  closeWith(db, async () => {
    const open = connection;
    const prepared = statements;
    connection = undefined;
    statements = undefined;
    if (!open) return;
    await prepared?.then((done) => Promise.all(done.map((one) => new Promise<void>((resolve) => one.finalize(() => resolve()))))).catch(() => undefined);
    await new Promise<void>((resolve) => open.close(() => resolve()));
  });

  return async (sid) => {
    // Opened at first use; a failure (the file not there yet, say) is tried again next time.
    statements ??= prepare().catch((error: unknown) => {
      statements = undefined;
      throw error;
    });
    const ready = await statements;
    turn = (turn + 1) % ready.length;
    const prepared = ready[turn]!;
    // all(), not get(): it steps the statement to its end, which ends its read at once. A get()
    // would leave it open on its row, holding a read snapshot that stops every checkpoint from
    // resetting the WAL (which would then grow without end) until a separate reset.
    const [row] = await new Promise<Array<{ sess: string }>>((resolve, reject) => prepared.all([sid, new Date().toISOString()], (error: Error | null, rows: Array<{ sess: string }>) => (error ? reject(error) : resolve(rows))));
    return row ? (JSON.parse(row.sess) as unknown) : null;
  };
}
