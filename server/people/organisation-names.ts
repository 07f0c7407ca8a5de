import type { Db } from "../db/connect.ts";

/** The names of the trusts this LMS serves: words a new password must be more than (password-rules.ts). */
export async function organisationNames(db: Db): Promise<string[]> {
  return (await db("organisations").select("name")).map((row) => String(row.name));
}
