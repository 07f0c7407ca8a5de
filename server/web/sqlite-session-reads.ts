import sqlite3 from "sqlite3";
import { closeWith, sqliteFileOf, type Db } from "../db/connect.ts";

/** A stored session's data (express-session's JSON), or null when there is none or it expired. */
export type SessionLookup = (sid: string) => Promise<unknown>;

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
  let statement: Promise<sqlite3.Statement> | undefined;
  let connection: sqlite3.Database | undefined;

  const prepare = () =>
    new Promise<sqlite3.Statement>((resolve, reject) => {
      connection = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
        if (error) return reject(error);
        connection!.configure("busyTimeout", 5000);
        const prepared = connection!.prepare("SELECT sess FROM sessions WHERE sid = ? AND datetime(?) <= datetime(expired)", (prepareError) => {
          if (!prepareError) return resolve(prepared);
          connection!.close();
          connection = undefined;
          reject(prepareError);
        });
      });
    });

  // Closed with db; opened again at the next lookup if db is (knex can initialize() again).
  closeWith(db, async () => {
    const open = connection;
    const prepared = statement;
    connection = undefined;
    statement = undefined;
    if (!open) return;
    await prepared?.then((done) => new Promise<void>((resolve) => done.finalize(() => resolve()))).catch(() => undefined);
    await new Promise<void>((resolve) => open.close(() => resolve()));
  });

  return async (sid) => {
    // Opened at first use; a failure (the file not there yet, say) is tried again next time.
    statement ??= prepare().catch((error: unknown) => {
      statement = undefined;
      throw error;
    });
    const prepared = await statement;
    // all(), not get(): it steps the statement to its end, which ends its read at once. A get()
    // would leave it open on its row, holding a read snapshot that stops every checkpoint from
    // resetting the WAL (which would then grow without end) until a separate reset.
    const [row] = await new Promise<Array<{ sess: string }>>((resolve, reject) => prepared.all([sid, new Date().toISOString()], (error: Error | null, rows: Array<{ sess: string }>) => (error ? reject(error) : resolve(rows))));
    return row ? (JSON.parse(row.sess) as unknown) : null;
  };
}
