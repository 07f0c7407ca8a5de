import type { Db } from "../db/connect.ts";

/** The names of an account's holder, from the people table: words a new password must be more than (password-rules.ts). */
export async function accountHolderName(db: Db, accountId: number): Promise<{ firstName: string; lastName: string } | undefined> {
  const row = await db("accounts").join("people", "people.id", "accounts.person_id").where("accounts.id", accountId).first("people.first_name", "people.last_name");
  return row ? { firstName: String(row.first_name), lastName: String(row.last_name) } : undefined;
}
