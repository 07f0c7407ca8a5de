import type { Db } from "../db/connect.ts";

/**
 * Who holds an account, with the address their recovery emails go to and their trust's VPD code
 * (recovery.ts): the accounts, people and organisations tables read together.
 */
export interface Holder {
  accountId: number;
  personId: number;
  username: string;
  email: string;
  vpd: string;
}

const holders = (db: Db) =>
  db("accounts")
    .join("people", "people.id", "accounts.person_id")
    .join("organisations", "organisations.id", "people.organisation_id")
    .select("accounts.id as account_id", "people.id as person_id", "accounts.username", "people.email", "organisations.vpd");

const toHolder = (row: Record<string, unknown>): Holder => ({ accountId: Number(row.account_id), personId: Number(row.person_id), username: String(row.username), email: String(row.email), vpd: String(row.vpd) });

/** The holder of this username; when `email` is given, only if it is also theirs (in any case). */
export async function holderByUsername(db: Db, username: string, email?: string): Promise<Holder | undefined> {
  const query = holders(db).where("accounts.username_key", username.trim().toUpperCase());
  if (email !== undefined) query.whereRaw("lower(people.email) = ?", [email.trim().toLowerCase()]);
  const row = await query.first();
  return row ? toHolder(row) : undefined;
}

/** Everyone with this email address (in any case) and date of birth (YYYY-MM-DD). */
export async function holdersByEmailAndBirth(db: Db, email: string, dateOfBirth: string): Promise<Holder[]> {
  const rows = await holders(db).whereRaw("lower(people.email) = ?", [email.trim().toLowerCase()]).andWhere("people.date_of_birth", dateOfBirth);
  return rows.map(toHolder);
}
