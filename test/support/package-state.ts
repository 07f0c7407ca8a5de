import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../server/db/connect.ts";
import type { PackageStorage } from "../../server/packages/storage.ts";

/** The rows an import writes, counted: "nothing stored" means these do not move. */
export async function packageRowCounts(db: Db): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ["courses", "course_versions", "classes", "audit_events"]) {
    const row = await db(table).count({ n: "*" }).first();
    result[table] = Number(row?.n);
  }
  return result;
}

/** Everything under the storage root except the (empty) temporary area itself. */
export function storageLeftovers(storage: PackageStorage): string[] {
  const tmp = path.join(storage.root, ".tmp");
  const top = fs.existsSync(storage.root) ? fs.readdirSync(storage.root).filter((name) => name !== ".tmp") : [];
  const temp = fs.existsSync(tmp) ? fs.readdirSync(tmp).map((name) => `.tmp/${name}`) : [];
  return [...top, ...temp];
}
