import type { Db } from "../db/connect.ts";
import { matchingPeople } from "./verify-reads.ts";

/** The accounts Administration lists and opens, each with its person's name and number. */
export function adminAccountReads(db: Db) {
  return {
    /** A page of accounts in username order, those matching `search` when there is one. */
    async list(search: string, limit: number) {
      const query = db("accounts").join("people", "people.id", "accounts.person_id").orderBy("accounts.username_key").limit(limit);
      if (search) matchingPeople(query, search);
      return query.select("accounts.id", "accounts.username", "accounts.role", "accounts.locked_until", "people.first_name", "people.last_name", "people.employee_number");
    },

    async byId(id: number) {
      const account = await db("accounts")
        .join("people", "people.id", "accounts.person_id")
        .where("accounts.id", id)
        .first("accounts.id", "accounts.person_id", "accounts.username", "accounts.role", "accounts.locked_until", "accounts.failed_logins", "accounts.last_login_at", "people.first_name", "people.last_name", "people.employee_number", "people.email");
      return account ? { ...account, id: Number(account.id), person_id: Number(account.person_id) } : undefined;
    },
  };
}
