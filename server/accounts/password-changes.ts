import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { ProblemList } from "../problems.ts";
import { recordAudit } from "../audit/index.ts";
import { endSessionsOf } from "../web/session-store.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { passwordProblem, type PasswordContext } from "./password-rules.ts";
import { loginFailures } from "./login-failures.ts";
import { accountHolderName, organisationNames } from "./password-context-reads.ts";
import { checkToken, TOKEN_PROBLEMS, useToken, type TokenPurpose } from "./tokens.ts";
import { createTokenStore } from "./token-store.ts";
import { createAccountStore } from "./store.ts";
import { DEFAULT_LOCKOUT, type LockoutPolicy } from "./service.ts";

/** The account a link opens, or an error saying what is wrong with the link. */
export async function accountForLink(db: Db, clock: Clock, token: string, purpose: TokenPurpose): Promise<{ tokenId: number; accountId: number; username: string }> {
  const check = await checkToken(db, token, purpose, clock.now());
  if (!check.ok) throw new AppError(`accounts.link_${check.problem}`, TOKEN_PROBLEMS[check.problem], 400);
  const account = await createAccountStore(db).findById(check.accountId);
  if (!account) throw new AppError("accounts.link_unknown", TOKEN_PROBLEMS.unknown, 400);
  return { tokenId: check.tokenId, accountId: account.id, username: account.username };
}

/** Whose account a link just reset or unlocked. */
export interface LinkedAccount {
  accountId: number;
  username: string;
}

/**
 * A new password through a reset link: the link is used up, the account unlocked, and every
 * session of the account ended, in one transaction. `secret` keys login_failures' usernames.
 */
export async function resetPassword(db: Db, clock: Clock, request: { token: string; password: string; confirm: string; ip: string | null; secret: string }): Promise<LinkedAccount> {
  const link = await accountForLink(db, clock, request.token, "reset");
  const problems = new ProblemList();
  checkNewPassword(problems, request.password, request.confirm, await passwordContext(db, link.accountId, link.username));
  problems.refuseIfAny("accounts.new_password");
  const passwordHash = await hashPassword(request.password);
  const now = clock.now();
  await db.transaction(async (trx) => {
    if (!(await useToken(trx, link.tokenId, now))) throw new AppError("accounts.link_used", TOKEN_PROBLEMS.used, 400);
    const accounts = createAccountStore(trx);
    await accounts.resetPassword(link.accountId, passwordHash, now.toISOString());
    // Any other link still out for this account is spent too: the one just used was the answer.
    await createTokenStore(trx).useAllOf(link.accountId, now.toISOString());
    await loginFailures(request.secret).clearUsername(trx, link.username);
    const ended = await endSessionsOf(trx, link.accountId);
    await recordAudit(trx, { kind: "account.reset", at: now.toISOString(), actorAccountId: link.accountId, personId: await accounts.personIdOf(link.accountId), ip: request.ip, detail: { sessionsEnded: ended } });
  });
  return { accountId: link.accountId, username: link.username };
}

/** Unlocks through an unlock link; the password stays as it was. */
export async function unlockWithLink(db: Db, clock: Clock, request: { token: string; ip: string | null; secret: string }): Promise<LinkedAccount> {
  const link = await accountForLink(db, clock, request.token, "unlock");
  const now = clock.now();
  await db.transaction(async (trx) => {
    if (!(await useToken(trx, link.tokenId, now))) throw new AppError("accounts.link_used", TOKEN_PROBLEMS.used, 400);
    const accounts = createAccountStore(trx);
    await accounts.unlock(link.accountId, now.toISOString());
    await loginFailures(request.secret).clearUsername(trx, link.username);
    await recordAudit(trx, { kind: "account.unlocked", at: now.toISOString(), actorAccountId: link.accountId, personId: await accounts.personIdOf(link.accountId), ip: request.ip, detail: { by: "unlock link" } });
  });
  return { accountId: link.accountId, username: link.username };
}

/**
 * Change password when logged in: the current one first; other sessions of the account end, this
 * one stays. A wrong current password counts toward the lockout as a failed log-in does, so a
 * borrowed session cannot be used to guess the password; at the lock, every session ends.
 */
export async function changePassword(db: Db, clock: Clock, request: { accountId: number; sessionId: string; current: string; password: string; confirm: string; ip: string | null }, lockout: LockoutPolicy = DEFAULT_LOCKOUT): Promise<void> {
  const account = await createAccountStore(db).findById(request.accountId);
  if (!account) throw new AppError("accounts.current_password", "Your current password is not correct", 400);
  // Every problem at once: the current password's and the new one's (problems.ts).
  const problems = new ProblemList();
  if (!request.current) problems.add("current", "Enter your current password");
  else if (!(await verifyPassword(account.passwordHash, request.current))) {
    const now = clock.now();
    await db.transaction(async (trx) => {
      await recordAudit(trx, { kind: "password_change.failed", at: now.toISOString(), actorAccountId: account.id, personId: account.personId, ip: request.ip });
      const failures = await createAccountStore(trx).recordFailure(account.id);
      if (failures < lockout.threshold) return;
      const until = new Date(now.getTime() + lockout.minutes * 60_000).toISOString();
      await createAccountStore(trx).lock(account.id, until);
      const ended = await endSessionsOf(trx, account.id);
      await recordAudit(trx, { kind: "account.locked", at: now.toISOString(), personId: account.personId, ip: request.ip, detail: { failures, until, sessionsEnded: ended, by: "change password" } });
    });
    problems.add("current", "Your current password is not correct");
  }
  checkNewPassword(problems, request.password, request.confirm, await passwordContext(db, account.id, account.username));
  problems.refuseIfAny("accounts.change_password");
  const passwordHash = await hashPassword(request.password);
  const now = clock.now().toISOString();
  await db.transaction(async (trx) => {
    await createAccountStore(trx).update(account.id, { passwordHash, now });
    const ended = await endSessionsOf(trx, account.id, request.sessionId);
    await recordAudit(trx, { kind: "account.password_changed", at: now, actorAccountId: account.id, personId: account.personId, ip: request.ip, detail: { otherSessionsEnded: ended } });
  });
}

/** What a new password is checked against besides itself: the username, the trusts' names and the holder's names. */
async function passwordContext(db: Db, accountId: number, username: string): Promise<PasswordContext> {
  const personName = await accountHolderName(db, accountId);
  return { username, organisationNames: await organisationNames(db), ...(personName ? { personName } : {}) };
}

/** The new password's problems and its confirmation's, on the fields `password` and `confirm`. */
function checkNewPassword(problems: ProblemList, password: string, confirm: string, context: PasswordContext): void {
  const problem = password ? passwordProblem(password, context) : "Enter a new password";
  if (problem) problems.add("password", problem);
  if (!confirm) {
    if (password) problems.add("confirm", "Enter the new password again");
  } else if (password !== confirm) problems.add("confirm", "The two passwords are not the same");
}
