import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/store.ts";
import { createAccountStore, type Account } from "./store.ts";
import { decoyPasswordHash, verifyPassword } from "./passwords.ts";

// One message for an unknown username and a wrong password: the page must not tell an attacker
// which usernames exist.
export const LOGIN_REFUSED = "The username or password is not correct";

export async function logIn(db: Db, clock: Clock, attempt: { username: string; password: string; ip?: string }): Promise<Account> {
  const accounts = createAccountStore(db);
  const account = attempt.username.trim() ? await accounts.findByUsername(attempt.username) : undefined;
  const valid = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), attempt.password);
  const at = clock.now().toISOString();
  if (!account || !valid) {
    await db.transaction(async (trx) => {
      if (account) await createAccountStore(trx).recordFailure(account.id);
      await recordAudit(trx, {
        kind: "login.failed",
        at,
        personId: account?.personId ?? null,
        ip: attempt.ip ?? null,
        detail: { username: attempt.username.slice(0, 50) },
      });
    });
    throw new AppError("accounts.login_refused", LOGIN_REFUSED, 401);
  }
  await db.transaction(async (trx) => {
    await createAccountStore(trx).recordLogin(account.id, at);
    await recordAudit(trx, { kind: "login", at, actorAccountId: account.id, personId: account.personId, ip: attempt.ip ?? null });
  });
  return account;
}
