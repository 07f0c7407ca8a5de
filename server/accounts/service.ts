import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { createAccountStore, type Account } from "./store.ts";
import { decoyPasswordHash, verifyPassword } from "./passwords.ts";
import { forgetOldFailures, loginFailures } from "./login-failures.ts";
import { sourceOf } from "../web/throttle.ts";

// One message for an unknown username, a wrong password and a locked account: the page must not
// tell an attacker which usernames exist, nor that a guess was right but the account locked. It
// tells the owner, who knows the password is right, where the unlock link is.
export const LOGIN_REFUSED = "The username or password is not correct. If you are sure they are right, your account may be locked: unlock it by email with Forgotten | Request Username/Password | Unlock Account.";

export interface LockoutPolicy {
  /** Consecutive failures that lock the account (LOCKOUT_THRESHOLD, 5). */
  threshold: number;
  /** How long it stays locked, unless unlocked sooner (LOCKOUT_MINUTES, 30). */
  minutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, minutes: 30 };

/** What a source that must wait is told: the same for every username, so it names no account. */
export function loginDelayedMessage(minutes: number): string {
  return `Too many wrong passwords for this username from your network. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again, or unlock the account by email: Forgotten | Request Username/Password | Unlock Account.`;
}

export interface LoginAttempt {
  username: string;
  password: string;
  ip?: string;
  /** This browser has logged in to the account the username names before, or followed its unlock link (known-devices.ts). */
  knownBrowser?: boolean;
}

export interface LogInOptions {
  /** Keys the hash under which usernames are counted (the session secret). */
  secret: string;
  lockout?: LockoutPolicy;
  /** More to write in a right password's own transaction (the new session's row): one durable commit for both. */
  inLoginTransaction?: (trx: Db, account: Account) => Promise<void>;
}

/**
 * Checks a username and password. Wrong passwords slow the source they come from, for that
 * username (login-failures.ts); the account itself is locked only for guessing spread over many
 * sources, and only for browsers not known to it, so no one can keep its owner out. A locked
 * account is refused with the same words as a wrong password (and after the same work), so the
 * page tells an attacker nothing; counts and locks are kept in the database, so they hold across
 * app processes. `secret` keys the hash under which usernames are counted.
 */
export async function logIn(db: Db, clock: Clock, attempt: LoginAttempt, options: LogInOptions): Promise<Account> {
  const { secret, lockout = DEFAULT_LOCKOUT } = options;
  const failures = loginFailures(secret);
  const accounts = createAccountStore(db);
  const source = attempt.knownBrowser ? `known:${sourceOf(attempt.ip)}` : sourceOf(attempt.ip);
  const now = clock.now();
  const at = now.toISOString();
  const account = attempt.username.trim() ? await accounts.findByUsername(attempt.username) : undefined;
  // The username only when it names an account: what names none may be a password typed in
  // the wrong box (a username-shaped one included), and is never stored.
  const audited = { username: account ? account.username : "(names no account: not kept)" };
  const waitUntil = await failures.waitingUntil(db, attempt.username, source, now);
  if (waitUntil) {
    await recordAudit(db, { kind: "login.delayed", at, personId: account?.personId ?? null, ip: attempt.ip ?? null, detail: { ...audited, until: waitUntil } });
    throw new AppError("accounts.login_delayed", loginDelayedMessage(Math.max(1, Math.ceil((Date.parse(waitUntil) - now.getTime()) / 60_000))), 429);
  }
  const valid = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), attempt.password);
  const locked = !attempt.knownBrowser && account?.lockedUntil != null && account.lockedUntil > at;
  if (!account || !valid || locked) {
    await db.transaction(async (trx) => {
      await recordAudit(trx, { kind: locked ? "login.refused_locked" : "login.failed", at, personId: account?.personId ?? null, ip: attempt.ip ?? null, detail: audited });
      if (locked) return;
      await forgetOldFailures(trx, now);
      const counted = await failures.record(trx, attempt.username, source, now, lockout);
      if (counted.waitUntil) await recordAudit(trx, { kind: "login.source_delayed", at, personId: account?.personId ?? null, ip: attempt.ip ?? null, detail: { ...audited, failures: counted.failures, until: counted.waitUntil } });
      if (!account || !(await failures.isDistributedGuessing(trx, attempt.username, now, lockout))) return;
      const until = new Date(now.getTime() + lockout.minutes * 60_000).toISOString();
      await createAccountStore(trx).lock(account.id, until);
      await recordAudit(trx, { kind: "account.locked", at, personId: account.personId, ip: attempt.ip ?? null, detail: { by: "guessing from many sources", until } });
    });
    throw new AppError("accounts.login_refused", LOGIN_REFUSED, 401);
  }
  await db.transaction(async (trx) => {
    await createAccountStore(trx).recordLogin(account.id, at);
    await failures.clearSource(trx, attempt.username, source);
    await recordAudit(trx, { kind: "login", at, actorAccountId: account.id, personId: account.personId, ip: attempt.ip ?? null });
    await options.inLoginTransaction?.(trx, account);
  });
  return account;
}
