import type session from "express-session";
import { ConnectSessionKnexStore } from "connect-session-knex";
import { isPostgres, type Db } from "../db/connect.ts";
import { createSqliteSessionLookup, type SessionLookup } from "./sqlite-session-reads.ts";

// The sessions table: express-session's store over it, and ending every session of an account.
// session.ts wires them into the app.

/**
 * How often one session's expiry is written back while it is in use. express-session touches the
 * store on every request, and on SQLite each touch is a durable (fsync'd) write: a player
 * committing every few seconds would pay for two writes per commit. The stored expiry lags the
 * cookie's by at most this much, which shortens a 30-minute idle timeout by at most a minute.
 */
export const SESSION_TOUCH_EVERY_MS = 60 * 1000;
/** Sessions remembered as touched; beyond this the memory is dropped (costing one extra touch each). */
const TOUCHED_REMEMBERED = 100_000;

/**
 * connect-session-knex hands errors to express-session's callback *and* returns a rejected
 * promise that nobody awaits, and its touch() never calls back on error at all. Either would
 * take the process down (or hang the response) the moment the database blips. This keeps the
 * callback contract and nothing else.
 */
class DurableKnexStore extends ConnectSessionKnexStore {
  /** When this process last wrote each session's expiry (see SESSION_TOUCH_EVERY_MS). */
  private readonly touchedAt = new Map<string, number>();
  /** The fast read of a session on SQLite (see sqlite-session-reads.ts); undefined elsewhere. */
  private readonly lookup: SessionLookup | undefined;

  constructor(db: Db) {
    super({ knex: db, tableName: "sessions", createTable: false });
    this.lookup = createSqliteSessionLookup(db);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void) {
    if (!this.lookup) return super.get(sid, callback).catch(() => null);
    return this.lookup(sid).then(
      (found) => {
        callback(null, found as session.SessionData | null);
        return found as session.SessionData | null;
      },
      (error: unknown) => {
        callback(error);
        return null;
      },
    ).catch(() => null);
  }
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void) {
    // A save writes the expiry too.
    this.touchedAt.set(sid, Date.now());
    return super.set(sid, data, callback).catch(() => undefined);
  }
  override destroy(sid: string, callback?: (err?: unknown) => void) {
    this.touchedAt.delete(sid);
    return super.destroy(sid, callback).catch(() => 0);
  }
  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void) {
    if (!this.claimTouch(sid)) {
      callback?.();
      return Promise.resolve();
    }
    return this.writeExpiry(sid, data, callback);
  }

  /**
   * True when this session's expiry is due to be written back (SESSION_TOUCH_EVERY_MS), in which
   * case the caller is to write it (writeExpiry) and it counts as written from now.
   */
  claimTouch(sid: string): boolean {
    const now = Date.now();
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now - last < SESSION_TOUCH_EVERY_MS && now >= last) return false;
    if (this.touchedAt.size >= TOUCHED_REMEMBERED) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    return true;
  }

  /** Writes the expiry of data.cookie back; a failure is handed to callback, and the claim forgotten. */
  writeExpiry(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): Promise<void> {
    let answered = false;
    const answer = (error?: unknown) => {
      if (answered) return;
      answered = true;
      callback?.(error);
    };
    return super.touch(sid, data, () => answer()).catch((error: unknown) => {
      this.touchedAt.delete(sid);
      answer(error);
    });
  }
}

export type SessionStore = DurableKnexStore;

export function createSessionStore(db: Db): SessionStore {
  return new DurableKnexStore(db);
}

/**
 * Which of these sessions are live: stored, and not past their stored expiry, by the same test
 * connect-session-knex's own read makes (its expiredCondition), so the two agree. Runs on the
 * caller's transaction (the runtime's batch: see runtime-writer.ts's SessionCheck).
 */
export async function liveSessionIds(db: Db, sids: string[]): Promise<Set<string>> {
  const notExpired = isPostgres(db) ? "CAST(? AS timestamp with time zone) <= expired" : "datetime(?) <= datetime(expired)";
  const rows = await db.raw(`SELECT sid FROM sessions WHERE sid IN (${sids.map(() => "?").join(", ")}) AND ${notExpired}`, [...sids, new Date().toISOString()]);
  return new Set((isPostgres(db) ? rows.rows : rows).map((row: { sid: string }) => row.sid));
}

/**
 * Ends every session of an account (but keepSid's): after a password reset, nobody who knew the
 * old password stays logged in. Sessions are stored as JSON written by JSON.stringify, so the
 * account's id appears as "accountId":N followed by a comma or the closing brace.
 */
export async function endSessionsOf(db: Db, accountId: number, keepSid?: string): Promise<number> {
  const text = isPostgres(db) ? "sess::text" : "sess";
  const query = db("sessions").where((either) => either.whereRaw(`${text} like ?`, [`%"accountId":${accountId},%`]).orWhereRaw(`${text} like ?`, [`%"accountId":${accountId}}%`]));
  if (keepSid) query.whereNot("sid", keepSid);
  return query.delete();
}
