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

/** What readSession leaves in res.locals: the user, and the session's anti-forgery token. */
export interface SessionLocals {
  user?: SignedInUser;
  csrfToken?: string;
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
export function readSession({ config, sessionSecret, store }: { config: Config; sessionSecret: string; store: SessionStore }): RequestHandler {
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
    store.get(sid, (error, data) => {
      if (error) return next(error);
      if (!data?.accountId) return next();
      if (pastAbsoluteLimit(data)) {
        store.destroy(sid);
        return next();
      }
      const locals = res.locals as SessionLocals;
      locals.user = signedInUser(data);
      locals.csrfToken = (data as SessionData & { csrfToken?: string }).csrfToken;
      if (store.claimTouch(sid)) keepAlive(sid, value!, data, res);
      next();
    });
  };

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
