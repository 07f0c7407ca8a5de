import type { Db } from "../db/connect.ts";
import type { Role } from "../web/roles.ts";

export interface Account {
  id: number;
  personId: number;
  username: string;
  passwordHash: string;
  role: Role;
  failedLogins: number;
  lockedUntil: string | null;
}

/** The canonical form that makes usernames case-insensitive. */
export function usernameKey(username: string): string {
  return username.trim().toUpperCase();
}

function toAccount(row: Record<string, unknown>): Account {
  return {
    id: Number(row.id),
    personId: Number(row.person_id),
    username: String(row.username),
    passwordHash: String(row.password_hash),
    role: row.role as Role,
    failedLogins: Number(row.failed_logins),
    lockedUntil: (row.locked_until as string | null) ?? null,
  };
}

export function createAccountStore(db: Db) {
  return {
    async findByUsername(username: string): Promise<Account | undefined> {
      const row = await db("accounts").where("username_key", usernameKey(username)).first();
      return row ? toAccount(row) : undefined;
    },

    async findByPersonId(personId: number): Promise<Account | undefined> {
      const row = await db("accounts").where("person_id", personId).first();
      return row ? toAccount(row) : undefined;
    },

    async findById(id: number): Promise<Account | undefined> {
      const row = await db("accounts").where("id", id).first();
      return row ? toAccount(row) : undefined;
    },

    async usernamesStartingWith(prefix: string): Promise<string[]> {
      const rows = await db("accounts").where("username_key", "like", `${usernameKey(prefix)}%`).select("username_key");
      return rows.map((row) => String(row.username_key));
    },

    async insert(account: { personId: number; username: string; passwordHash: string; role: Role; now: string }) {
      const [row] = await db("accounts")
        .insert({
          person_id: account.personId,
          username: account.username,
          username_key: usernameKey(account.username),
          password_hash: account.passwordHash,
          role: account.role,
          created_at: account.now,
          updated_at: account.now,
        })
        .returning("id");
      return Number(row.id);
    },

    async update(id: number, changes: { passwordHash?: string; role?: Role; now: string }) {
      await db("accounts")
        .where("id", id)
        .update({
          ...(changes.passwordHash ? { password_hash: changes.passwordHash } : {}),
          ...(changes.role ? { role: changes.role } : {}),
          updated_at: changes.now,
        });
    },

    async recordLogin(id: number, now: string) {
      await db("accounts").where("id", id).update({ failed_logins: 0, locked_until: null, last_login_at: now });
    },

    /** Locks the account until then; its count of failures starts again. */
    async lock(id: number, until: string) {
      await db("accounts").where({ id }).update({ locked_until: until, failed_logins: 0 });
    },

    /** A new password through a reset link, which unlocks the account too. */
    async resetPassword(id: number, passwordHash: string, now: string) {
      await db("accounts").where({ id }).update({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: now });
    },

    async unlock(id: number, now: string) {
      await db("accounts").where({ id }).update({ failed_logins: 0, locked_until: null, updated_at: now });
    },

    async personIdOf(id: number): Promise<number | null> {
      const row = await db("accounts").where({ id }).first("person_id");
      return row ? Number(row.person_id) : null;
    },

    /** The username of an account that exists. */
    /** Counts one more consecutive failure; the count after it. */
    async recordFailure(id: number): Promise<number> {
      await db("accounts").where("id", id).increment("failed_logins", 1);
      return Number((await db("accounts").where("id", id).first("failed_logins")).failed_logins);
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
