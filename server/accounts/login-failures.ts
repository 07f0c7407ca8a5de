import crypto from "node:crypto";
import type { Db } from "../db/connect.ts";
import type { LockoutPolicy } from "./service.ts";
import { createLoginFailureStore } from "./login-failures-store.ts";

/**
 * Failed log ins, counted per username and source (OWASP ASVS 5.0 V6.3.1: guessing is slowed
 * without letting anyone lock an account's owner out).
 *
 * - From one source, the first `threshold` wrong passwords for a username cost nothing; each one
 *   after makes that source wait before trying that username again: 1 minute, then 2, 4, 8, ...
 *   up to `minutes`. Anywhere else, the owner logs in as usual. A right password clears the
 *   source's count. A source is an IPv4 address or an IPv6 /64 (sourceOf, throttle.ts); a browser
 *   known to the account (known-devices.ts) is a source of its own, so others' guessing from the
 *   same hospital address does not make its owner wait.
 * - The whole account is locked only for guessing spread over many sources (DISTRIBUTED below),
 *   which no one source's delays can slow, and only for browsers not known to the account: its
 *   owner's own browsers, and the browser that follows the emailed unlock link, still log in.
 *   The unlock link (or a password reset) also ends the lock and every delay on the account.
 * - Unknown usernames are counted and delayed alike, so a delay says nothing about which
 *   usernames exist. What was typed may be a password in the wrong box, so it is kept only as a
 *   keyed hash (HMAC with the server's secret): a copy of the database alone cannot be searched
 *   with a dictionary for it.
 */
export interface FailureCount {
  /** This source's consecutive failures for the username, this one included. */
  failures: number;
  /** Until when this source must now wait; null below the threshold. */
  waitUntil: string | null;
}

/** Spread guessing: this many failures in a day, from at least this many sources. */
export const DISTRIBUTED = { failuresPerThreshold: 10, sources: 3, withinHours: 24 } as const;

const DAY_MS = 24 * 60 * 60_000;

/** Failed log ins and the waits they set (kept by login-failures-store.ts), usernames hashed with `secret` (the session secret). */
export function loginFailures(secret: string) {
  const usernameHash = (username: string) => crypto.createHmac("sha256", secret).update(`login-failure:${username.trim().toLowerCase()}`).digest("hex");

  return {
    usernameHash,

    /** When this source may next try this username, if it must wait; undefined when it may now. */
    async waitingUntil(db: Db, username: string, source: string, now: Date): Promise<string | undefined> {
      const until = await createLoginFailureStore(db).waitUntil(usernameHash(username), source);
      return until && until > now.toISOString() ? until : undefined;
    },

    /** Counts a wrong password from this source, and sets how long it must wait. In the caller's transaction. */
    async record(trx: Db, username: string, source: string, now: Date, policy: LockoutPolicy): Promise<FailureCount> {
      const store = createLoginFailureStore(trx);
      const hash = usernameHash(username);
      const row = await store.countOf(hash, source);
      // A day without a failure starts the count again.
      const failures = row && Date.parse(row.lastFailedAt) > now.getTime() - DAY_MS ? row.failures + 1 : 1;
      const waitMinutes = failures < policy.threshold ? 0 : Math.min(2 ** (failures - policy.threshold), policy.minutes);
      const waitUntil = waitMinutes ? new Date(now.getTime() + waitMinutes * 60_000).toISOString() : null;
      await store.save({ usernameHash: hash, source, failures, lastFailedAt: now.toISOString(), waitUntil });
      return { failures, waitUntil };
    },

    /** Whether the failures on this username over the last day come from enough sources to be spread guessing. */
    async isDistributedGuessing(trx: Db, username: string, now: Date, policy: LockoutPolicy): Promise<boolean> {
      const since = new Date(now.getTime() - DISTRIBUTED.withinHours * 60 * 60_000).toISOString();
      const spread = await createLoginFailureStore(trx).spreadSince(usernameHash(username), since);
      return spread.sources >= DISTRIBUTED.sources && spread.failures >= policy.threshold * DISTRIBUTED.failuresPerThreshold;
    },

    /** A right password from this source: its count starts again. */
    async clearSource(db: Db, username: string, source: string): Promise<void> {
      await createLoginFailureStore(db).clearSource(usernameHash(username), source);
    },

    /** The unlock link or a reset: every source's count and delay on this username ends. */
    async clearUsername(db: Db, username: string): Promise<void> {
      await createLoginFailureStore(db).clearUsername(usernameHash(username));
    },
  };
}

export type LoginFailures = ReturnType<typeof loginFailures>;

/** Counts older than a day count for nothing: they are removed now and then. */
export async function forgetOldFailures(db: Db, now: Date): Promise<void> {
  await createLoginFailureStore(db).forgetBefore(new Date(now.getTime() - DAY_MS).toISOString());
}
