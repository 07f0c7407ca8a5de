import type { Db } from "../db/connect.ts";

// The words of this place a new password must be more than (password-rules.ts): kept beside the
// rules that use them, so that accounts reads the people and organisations tables here rather than
// importing the people area (which creates accounts, and so imports this one).

/** The names of the trusts this LMS serves. */
export async function organisationNames(db: Db): Promise<string[]> {
  return (await db("organisations").select("name")).map((row) => String(row.name));
}

/** The names of an account's holder, from the people table. */
export async function accountHolderName(db: Db, accountId: number): Promise<{ firstName: string; lastName: string } | undefined> {
  const row = await db("accounts").join("people", "people.id", "accounts.person_id").where("accounts.id", accountId).first("people.first_name", "people.last_name");
  return row ? { firstName: String(row.first_name), lastName: String(row.last_name) } : undefined;
}
