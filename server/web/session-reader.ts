import { timingSafeEqual } from "node:crypto";
import { parse as parseCookies } from "cookie";
import { unsign } from "cookie-signature";
import type { RequestHandler, Response } from "express";
import type { SessionData } from "express-session";
import type { Config } from "../config.ts";
import { SESSION_COOKIE, SESSION_IDLE_MS, sessionCookieOptions } from "./session.ts";
import type { SessionStore } from "./session-store.ts";
import { pastAbsoluteLimit, signedInUser, type SignedInUser } from "./auth.ts";

/** Verified cookies remembered (see readSession); beyond this the memory starts again. */
const VERIFIED_REMEMBERED = 100_000;
/** Sessions remembered (RememberedSessions); beyond this the memory starts again. */
const SESSIONS_REMEMBERED = 100_000;

/** What readSession leaves in res.locals: the user, the session's anti-forgery token, and its id. */
export interface SessionLocals {
  user?: SignedInUser;
  csrfToken?: string;
  sessionId?: string;
}

/**
 * Logged-in sessions read once and then taken from memory, for a caller that asks the database
 * whether each is still live where it writes (the runtime's writer does, once per batch: see
 * runtime-writer.ts's SessionCheck). What the runtime takes from a session never changes while
 * it lives: the account, the person, when it was logged in, and the anti-forgery token, which is
 * made once and then kept (so a session is remembered only once it has one). Reading each
 * commit's session from the database was one statement per commit, about a fifth of the
 * runtime's statements at 100 learners flat out (bench:commits, issue 21).
 */
export class RememberedSessions {
  private readonly sessions = new Map<string, SessionData>();

  get(sid: string): SessionData | undefined {
    return this.sessions.get(sid);
  }

  remember(sid: string, data: SessionData): void {
    if (!data.accountId || typeof (data as SessionData & { csrfToken?: unknown }).csrfToken !== "string") return;
    if (this.sessions.size >= SESSIONS_REMEMBERED) this.sessions.clear();
    this.sessions.set(sid, data);
  }

  forget(sid: string): void {
    this.sessions.delete(sid);
  }
}

/**
 * The session, read only, for the runtime: a player commits every few seconds, and
 * express-session's full round (a SHA-1 of the session to spot changes, a signed cookie on every
 * answer) was most of the cost of a commit. This reads the same session from the same store with
 * the same rules: the signed cookie, the stored expiry, the absolute limit (auth.ts). It never
 * changes the session; it only keeps it alive while it is used, at the store's touch pace (at most
 * once a minute), sending the cookie again with the new expiry each time it does.
 *
 * Not logged in, or the session ended: res.locals.user stays unset, and the route decides.
 */
export function readSession({ config, sessionSecret, store, remembered }: { config: Config; sessionSecret: string; store: SessionStore; remembered?: RememberedSessions }): RequestHandler {
  const cookieOptions = sessionCookieOptions(config);
  // Cookies whose signature was checked already, and their session ids: a player sends the same
  // cookie with every commit, and the check (an HMAC) was a measurable part of each.
  const verified = new Map<string, string>();
  const sessionIdOf = (value: string): string | false => {
    const known = verified.get(value);
    if (known) return known;
    // express-session's cookie: "s:" + the session id, signed with the session secret.
    const sid = value.startsWith("s:") ? unsign(value.slice(2), sessionSecret) : false;
    if (sid) {
      if (verified.size >= VERIFIED_REMEMBERED) verified.clear();
      verified.set(value, sid);
    }
    return sid;
  };
  return (req, res, next) => {
    const value = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
    const sid = value ? sessionIdOf(value) : false;
    if (!sid) return next();
    const known = remembered?.get(sid);
    if (known) return signIn(sid, value!, known, res, next);
    store.get(sid, (error, data) => {
      if (error) return next(error);
      if (!data?.accountId) return next();
      remembered?.remember(sid, data);
      signIn(sid, value!, data, res, next);
    });
  };

  function signIn(sid: string, cookieValue: string, data: SessionData, res: Response, next: () => void): void {
    if (pastAbsoluteLimit(data)) {
      remembered?.forget(sid);
      store.destroy(sid);
      return next();
    }
    const locals = res.locals as SessionLocals;
    locals.user = signedInUser(data);
    locals.csrfToken = (data as SessionData & { csrfToken?: string }).csrfToken;
    locals.sessionId = sid;
    if (store.claimTouch(sid)) keepAlive(sid, cookieValue, data, res);
    next();
  }

  function keepAlive(sid: string, cookieValue: string, data: SessionData, res: Response): void {
    const expires = new Date(Date.now() + SESSION_IDLE_MS);
    // Failures are the store's to handle (it forgets the claim, so the next request tries again).
    void store.writeExpiry(sid, { ...data, cookie: { ...data.cookie, expires } });
    res.cookie(SESSION_COOKIE, cookieValue, cookieOptions);
  }
}

/** Whether token is the session's anti-forgery token (compared in constant time). */
export function csrfTokenMatches(locals: SessionLocals, token: unknown): boolean {
  if (typeof token !== "string" || typeof locals.csrfToken !== "string") return false;
  const given = Buffer.from(token);
  const expected = Buffer.from(locals.csrfToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
