import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { ROLES, type Role } from "../web/roles.ts";
import { endSessionsOf } from "../web/session-store.ts";
import { createAccountStore } from "./store.ts";

/**
 * An administrator gives an account another role. Nobody takes away their own administrator role
 * (there would be no one left to give it back).
 */
export async function changeRole(
  db: Db,
  clock: Clock,
  change: { account: { id: number; personId: number; role: Role }; role: string; actorAccountId: number; ip: string | null },
): Promise<void> {
  const { account, actorAccountId } = change;
  const role = change.role as Role;
  if (!ROLES.includes(role)) throw new AppError("admin.role", `Choose one of the roles: ${ROLES.join(", ")}`, 400);
  if (account.id === actorAccountId && role !== "admin") throw new AppError("admin.own_role", "You cannot take away your own administrator role: ask another administrator", 400);
  const at = clock.now().toISOString();
  await db.transaction((trx) => giveRole(trx, { account, role, at, actorAccountId, ip: change.ip }));
}

/**
 * Gives the account the role, in the caller's transaction, and audits it; nothing when it already
 * has it. Every way a role changes (Administration, a catalog import) comes here, because the
 * person's sessions must end with it: a session carries the role it logged in with, so an
 * administrator made a learner would stay one until their session ran out.
 */
export async function giveRole(
  trx: Db,
  change: { account: { id: number; personId: number; role: Role }; role: Role; at: string; actorAccountId: number | null; ip: string | null; by?: string },
): Promise<void> {
  const { account, role, at } = change;
  if (role === account.role) return;
  await createAccountStore(trx).update(account.id, { role, now: at });
  const ended = await endSessionsOf(trx, account.id);
  await recordAudit(trx, {
    kind: "account.role_changed",
    at,
    actorAccountId: change.actorAccountId,
    personId: account.personId,
    ip: change.ip,
    detail: { accountId: account.id, from: account.role, to: role, sessionsEnded: ended, ...(change.by ? { by: change.by } : {}) },
  });
}
