import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/store.ts";
import { createAccountStore, type Account } from "./store.ts";
import { decoyPasswordHash, verifyPassword } from "./passwords.ts";

// One message for an unknown username and a wrong password: the page must not tell an attacker
// which usernames exist.
export const LOGIN_REFUSED = "The username or password is not correct";

export interface LockoutPolicy {
  /** Consecutive failures that lock the account (LOCKOUT_THRESHOLD, 5). */
  threshold: number;
  /** How long it stays locked, unless unlocked sooner (LOCKOUT_MINUTES, 30). */
  minutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, minutes: 30 };

/**
 * Checks a username and password. A locked account is refused with the same words as a wrong
 * password (and after the same work), so the page tells an attacker nothing; the lock is kept in
 * the database, so it holds across app processes.
 */
export async function logIn(db: Db, clock: Clock, attempt: { username: string; password: string; ip?: string }, lockout: LockoutPolicy = DEFAULT_LOCKOUT): Promise<Account> {
  const accounts = createAccountStore(db);
  const account = attempt.username.trim() ? await accounts.findByUsername(attempt.username) : undefined;
  const valid = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), attempt.password);
  const now = clock.now();
  const at = now.toISOString();
  const locked = account?.lockedUntil != null && account.lockedUntil > at;
  if (!account || !valid || locked) {
    await db.transaction(async (trx) => {
      await recordAudit(trx, {
        kind: locked ? "login.refused_locked" : "login.failed",
        at,
        personId: account?.personId ?? null,
        ip: attempt.ip ?? null,
        // The username only when it names an account: what names none may be a password typed in
        // the wrong box (a username-shaped one included), and is never stored.
        detail: { username: account ? account.username : "(names no account: not kept)" },
      });
      if (!account || locked) return;
      const failures = await createAccountStore(trx).recordFailure(account.id);
      if (failures >= lockout.threshold) {
        const until = new Date(now.getTime() + lockout.minutes * 60_000).toISOString();
        await trx("accounts").where({ id: account.id }).update({ locked_until: until, failed_logins: 0 });
        await recordAudit(trx, { kind: "account.locked", at, personId: account.personId, ip: attempt.ip ?? null, detail: { failures, until } });
      }
    });
    throw new AppError("accounts.login_refused", LOGIN_REFUSED, 401);
  }
  await db.transaction(async (trx) => {
    await createAccountStore(trx).recordLogin(account.id, at);
    await recordAudit(trx, { kind: "login", at, actorAccountId: account.id, personId: account.personId, ip: attempt.ip ?? null });
  });
  return account;
}
