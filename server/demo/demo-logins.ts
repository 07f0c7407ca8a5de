import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "../db/connect.ts";
import { accountDirectory, verifyPassword } from "../accounts/index.ts";

export const DEMO_CATALOG_FILE = fileURLToPath(new URL("./demo-trust.catalog.json", import.meta.url));

interface DemoPerson {
  name: string;
  username: string;
  password: string;
  role: string;
}

/** The demo trust's people, as start-up prints them: the catalog file is the one source. */
export const DEMO_LOGINS = (JSON.parse(fs.readFileSync(DEMO_CATALOG_FILE, "utf8")).people as DemoPerson[]).map((person) => ({
  who: person.name,
  username: person.username,
  password: person.password,
  role: person.role,
}));

/**
 * The demo logins that still work: start-up prints these and only these, so a trust that imported
 * its own people, or changed the demo passwords, never sees stale or misleading credentials.
 */
export async function usableDemoLogins(db: Db): Promise<typeof DEMO_LOGINS> {
  const accounts = accountDirectory(db);
  const usable: typeof DEMO_LOGINS = [];
  for (const login of DEMO_LOGINS) {
    const account = await accounts.findByUsername(login.username);
    if (account && (await verifyPassword(account.passwordHash, login.password))) usable.push(login);
  }
  return usable;
}
