import crypto from "node:crypto";
import type { Request, Response } from "express";
import { parse as parseCookies } from "cookie";

/**
 * Device cookies (OWASP's "Slow down online guessing attacks with device cookies"): a browser that
 * has logged in to an account, or followed the account's emailed unlock or reset link, carries,
 * signed, that it did. A guesser has no such cookie, so what guessing sets off holds a guesser and
 * not the owner:
 * - wrong passwords from an address are limited (throttle.ts, LOGIN_FAILURES_PER_ADDRESS); staff
 *   behind one hospital address share it, and a known browser still logs in while it waits;
 * - a known browser's wrong passwords are counted as a source of its own (login-failures.ts), so
 *   others' guessing from the same address does not make it wait;
 * - the lock for guessing spread over many sources does not apply to it: the owner is never kept
 *   out, and the unlock link makes the owner's browser known even while the guessing goes on.
 */
const COOKIE = "lms.known";
// A shared ward computer knows the last few people who logged in on it.
const MOST_ACCOUNTS = 8;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The accounts this browser is known to (its signed cookie), none when it has none or it was forged. */
export function knownAccounts(req: Request, secret: string): number[] {
  const value = parseCookies(req.headers.cookie ?? "")[COOKIE];
  const match = /^([\d-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
  if (!match) return [];
  const expected = Buffer.from(signature(secret, match[1]!));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return [];
  return match[1]!.split("-").map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
}

/** After a log in or an emailed link: this browser is known to the account, most recent first. */
export function rememberDevice(req: Request, res: Response, secret: string, accountId: number, secure: boolean): void {
  const accounts = [accountId, ...knownAccounts(req, secret).filter((id) => id !== accountId)].slice(0, MOST_ACCOUNTS).join("-");
  res.cookie(COOKIE, `${accounts}.${signature(secret, accounts)}`, { httpOnly: true, sameSite: "lax", secure, maxAge: YEAR_MS, path: "/login" });
}

function signature(secret: string, accounts: string): string {
  return crypto.createHmac("sha256", secret).update(`known-device:${accounts}`).digest("base64url");
}
