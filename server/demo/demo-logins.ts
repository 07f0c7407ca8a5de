import fs from "node:fs";
import { fileURLToPath } from "node:url";

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
