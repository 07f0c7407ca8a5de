import type { RequestHandler } from "express";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";

export interface ThrottleRule {
  /** What is counted, e.g. "login". */
  action: string;
  /** Requests allowed per IP address (or account) in one window. */
  limit: number;
  windowMinutes: number;
  /** What is counted: requests from one address (the default), or by one logged-in account. */
  per?: "address" | "account";
}

/** Log in: generous for a ward sharing one address, tight enough to stop guessing at speed. */
export const LOGIN_THROTTLE: ThrottleRule = { action: "login", limit: 30, windowMinutes: 15 };
/** The Forgotten page's requests each send an email: fewer. */
export const RECOVERY_THROTTLE: ThrottleRule = { action: "recovery", limit: 10, windowMinutes: 15 };
/** Every upload (evidence, packages, CSV, records files) by one account (UPLOADS_PER_QUARTER_HOUR): far above a person's pace, far below a script's. */
export const uploadThrottle = (limit: number): ThrottleRule => ({ action: "upload", limit, windowMinutes: 15, per: "account" });

/**
 * Counts a request from this IP address in the current window (in the database, so the count is
 * shared by every app process) and answers 429 past the limit. The words say what to do, and name
 * no account.
 */
export function throttle(db: Db, clock: Clock, rule: ThrottleRule): RequestHandler {
  return async (req, res, next) => {
    const windowMs = rule.windowMinutes * 60_000;
    const now = clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs)).toISOString();
    const accountId = (res.locals.user as { accountId?: number } | undefined)?.accountId;
    const bucket = rule.per === "account" && accountId !== undefined ? `${rule.action}:account:${accountId}` : `${rule.action}:${req.ip ?? "unknown"}`;
    const [row] = await db("request_throttle")
      .insert({ bucket, window_start: windowStart, hits: 1 })
      .onConflict(["bucket", "window_start"])
      .merge({ hits: db.raw("request_throttle.hits + 1") })
      .returning("hits");
    // Earlier windows count for nothing now: this address's go at its first request in a new
    // window, everyone's older than a day then too. Later requests in the window write only the count.
    if (Number(row.hits) === 1) {
      await db("request_throttle").where("bucket", bucket).andWhere("window_start", "<", windowStart).delete();
      await db("request_throttle").where("window_start", "<", new Date(now - 24 * 60 * 60_000).toISOString()).delete();
    }
    if (Number(row.hits) <= rule.limit) return next();
    const retryAfter = Math.ceil((Number(new Date(windowStart)) + windowMs - now) / 1000);
    res.set("Retry-After", String(retryAfter));
    // Through the error handler: a page for people, JSON for the upload page's script.
    next(new AppError(`${rule.action}.throttled`, `Too many ${rule.per === "account" ? "uploads from your account" : "attempts from your network"}. Wait ${Math.ceil(retryAfter / 60)} minute(s) and try again, or ask Learning and Development.`, 429));
  };
}
