import net from "node:net";
import type { Request, RequestHandler, Response } from "express";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { countHit, hitsIn, type Window } from "./throttle-store.ts";

export interface ThrottleRule {
  /** What is counted, e.g. "login". */
  action: string;
  /** Requests allowed per IP address (or account) in one window. */
  limit: number;
  windowMinutes: number;
  /** What is counted: requests from one address (the default), or by one logged-in account. */
  per?: "address" | "account";
  /** What the refusal says there were too many of ("attempts" unless said). */
  words?: string;
  /** What else the refusal offers ("ask Learning and Development" unless said). */
  orElse?: string;
}

/** Every upload (evidence, packages, CSV, records files) by one account (UPLOADS_PER_QUARTER_HOUR): far above a person's pace, far below a script's. */
export const uploadThrottle = (limit: number): ThrottleRule => ({ action: "upload", limit, windowMinutes: 15, per: "account", words: "uploads" });

/**
 * Counts a request from this IP address (or account) in the current window (in the database, so
 * the count is shared by every app process) and answers 429 past the limit. The words say what to
 * do, and name no account.
 */
export function throttle(db: Db, clock: Clock, rule: ThrottleRule): RequestHandler {
  return async (req, res, next) => {
    const accountId = (res.locals.user as { accountId?: number } | undefined)?.accountId;
    const bucket = rule.per === "account" && accountId !== undefined ? `${rule.action}:account:${accountId}` : `${rule.action}:${sourceOf(req.ip)}`;
    const window = windowOf(clock, rule);
    const hits = await countHit(db, bucket, window);
    if (hits <= rule.limit) return next();
    next(refusal(res, rule, window));
  };
}

/**
 * Failures from one address, counted as they happen, and the refusal once there were too many:
 * asking counts nothing, so what succeeds never uses the limit up.
 */
export function failureLimit(db: Db, clock: Clock, rule: ThrottleRule) {
  const bucketOf = (req: Request) => `${rule.action}:${sourceOf(req.ip)}`;
  return {
    async refusal(req: Request, res: Response): Promise<AppError | undefined> {
      const window = windowOf(clock, rule);
      return (await hitsIn(db, bucketOf(req), window)) >= rule.limit ? refusal(res, rule, window) : undefined;
    },
    async count(req: Request): Promise<void> {
      await countHit(db, bucketOf(req), windowOf(clock, rule));
    },
  };
}

/**
 * Where a request comes from, as limits count it: an IPv4 address, or an IPv6 /64. One IPv6
 * subscriber is given a /64 (2^64 addresses), so counting single IPv6 addresses would give a
 * guesser an unlimited supply of fresh ones.
 */
export function sourceOf(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split("%")[0]!;
  if (!net.isIPv6(address)) return ip;
  const [head, tail] = address.split("::");
  const before = head ? head.split(":") : [];
  const after = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? before : [...before, ...Array<string>(Math.max(0, 8 - before.length - after.length)).fill("0"), ...after];
  return `${groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(":")}::/64`;
}


function windowOf(clock: Clock, rule: ThrottleRule): Window {
  const ms = rule.windowMinutes * 60_000;
  const now = clock.now().getTime();
  return { start: new Date(now - (now % ms)).toISOString(), now, ms };
}

/** 429, through the error handler: a page for people, JSON for the upload page's script. */
function refusal(res: Response, rule: ThrottleRule, window: Window): AppError {
  const retryAfter = Math.ceil((Number(new Date(window.start)) + window.ms - window.now) / 1000);
  res.set("Retry-After", String(retryAfter));
  return new AppError(`${rule.action}.throttled`, `Too many ${rule.words ?? "attempts"} from your ${rule.per === "account" ? "account" : "network"}. Wait ${Math.ceil(retryAfter / 60)} minute(s) and try again, or ${rule.orElse ?? "ask Learning and Development"}.`, 429);
}
