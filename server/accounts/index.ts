import type { Db } from "../db/connect.ts";
import { createAccountStore, type AccountStore } from "./store.ts";

// The accounts area's public surface: log in and recovery pages, passwords and their rules, and
// who holds which account. Other areas import this file, never the modules behind it; the
// accounts table is written only from here and from the area's own services.

export { preloadBreachedPasswords } from "./breached-passwords.ts";
export { organisationNames } from "./password-context-reads.ts";
export { PASSWORD_MIN_LENGTH, passwordProblem } from "./password-rules.ts";
export { hashPassword, NO_PASSWORD_YET, verifyPassword } from "./passwords.ts";
export { recoveryRoutes } from "./recovery-routes.ts";
export { inviteToChoosePassword, type RecoveryDeps, requestReset, requestUnlock } from "./recovery.ts";
export { changeRole, giveRole } from "./roles.ts";
export { accountRoutes } from "./routes.ts";
export { usernameKey } from "./store.ts";

/** What other areas may read of accounts: who holds a username, an account id, a person's account, an account's username. */
export type AccountDirectory = Pick<AccountStore, "findByUsername" | "findById" | "findByPersonId" | "usernamesStartingWith">;

export function accountDirectory(db: Db): AccountDirectory {
  return createAccountStore(db);
}

/**
 * Opening a person's account, in the caller's transaction: Add a user and the catalog import
 * create a person and their account together, or neither. A role changes through giveRole.
 */
export type AccountOpening = AccountDirectory & Pick<AccountStore, "insert">;

export function accountOpening(trx: Db): AccountOpening {
  return createAccountStore(trx);
}
