import type session from "express-session";
import type { Request } from "express";
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
  /** Requests whose session was read from the store: only such a session has a row to delete. */
  private readonly readFromStore = new WeakSet<object>();
  /** Sessions written in a caller's transaction (writeIn), as written, until express-session's own save of them. */
  private readonly writtenIn = new Map<string, string>();

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
  override createSession(req: Request, data: session.SessionData) {
    this.readFromStore.add(req);
    return super.createSession(req, data);
  }
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void) {
    // express-session saves at the end of the request a session that writeIn wrote already: the
    // row holds it (its expiry at most the request's length older), so nothing is written again.
    const written = this.writtenIn.get(sid);
    if (written !== undefined) {
      this.writtenIn.delete(sid);
      if (written === withoutCookie(data)) {
        callback?.();
        return Promise.resolve();
      }
    }
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
   * Gives req a new session (a new id: it defeats session fixation) and writes it in trx, the
   * caller's transaction, deleting there the session req came with, if it had a stored one. The
   * caller fills the session in first (fill) and answers only after trx has committed; if trx
   * fails, dropUnsaved(req).
   *
   * Why: log in wrote four times through SQLite's one writer (the login's transaction, express-session's
   * regenerate deleting a session never stored, and its save made twice: once by the route and
   * again at the end of the request, as the regenerated session was not the one it tracked), each
   * queued behind the runtime's commit transactions; bench:load measured log in at p99 612 ms.
   * Now the session is one more row in the login's own transaction, and the save at the end of
   * the request finds it written (set above).
   */
  async startIn(trx: Db, req: Request, fill: (session: session.Session & Partial<session.SessionData>) => void): Promise<void> {
    const previous = this.readFromStore.has(req) ? req.sessionID : undefined;
    (this as unknown as { generate(req: Request): void }).generate(req);
    fill(req.session);
    const sid = req.sessionID;
    const data = req.session as unknown as session.SessionData;
    if (previous !== undefined) await trx("sessions").where("sid", previous).delete();
    const maxAge = data.cookie.maxAge;
    await trx("sessions").insert({ sid, sess: JSON.stringify(data), expired: new Date(Date.now() + (maxAge ?? 86_400_000)).toISOString() });
    this.touchedAt.set(sid, Date.now());
    if (this.writtenIn.size >= TOUCHED_REMEMBERED) this.writtenIn.clear();
    this.writtenIn.set(sid, withoutCookie(data));
  }

  /** After startIn's transaction failed: req keeps no session, so none is saved at the end of the request. */
  dropUnsaved(req: Request): void {
    if (req.sessionID) this.writtenIn.delete(req.sessionID);
    delete (req as { session?: unknown }).session;
  }

  /**
   * Ends req's session in trx, the caller's transaction (log out's, with its audit): the row is
   * deleted there, so the session has ended when trx commits, before the answer. One wait for
   * SQLite's writer where the audit and express-session's destroy were two.
   */
  async endIn(trx: Db, req: Request): Promise<void> {
    const sid = req.sessionID;
    await trx("sessions").where("sid", sid).delete();
    this.touchedAt.delete(sid);
    // express-session then has no session to save or touch.
    delete (req as { session?: unknown }).session;
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

/** A session's JSON without its cookie, whose expiry express-session moves on every request. */
function withoutCookie(data: session.SessionData): string {
  return JSON.stringify({ ...data, cookie: undefined });
}

export type SessionStore = DurableKnexStore;

/** The store express-session read req's session from (this module's, as app.ts wires it). */
export function sessionStoreOf(req: Request): SessionStore {
  const store: unknown = req.sessionStore;
  if (!(store instanceof DurableKnexStore)) throw new Error("the session store is not the LMS's (web/session-store.ts)");
  return store;
}

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
