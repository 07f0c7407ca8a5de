import { addCompetenceRecord } from "../records/index.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../db/connect.ts";
import type { Context } from "../deps.ts";
import { importCatalog, parseCatalog, type CatalogImportSummary } from "../setup/index.ts";
import { accountDirectory } from "../accounts/index.ts";
import { importPackage, createLocalStorage, zipFolder } from "../packages/index.ts";
import { parseManifest } from "../scorm/manifest/parse-manifest.ts";
import { DEMO_CATALOG_FILE, DEMO_LOGINS } from "./demo-logins.ts";
import { DEMO_LEARNER, demoRecords } from "./demo-records.ts";
import { addDemoClasses } from "../classroom/index.ts";
import { competencyAndCertification, courseExists, hasCompetenceRecords } from "./seed-reads.ts";

export const PACKAGES_DIR = fileURLToPath(new URL("../../packages", import.meta.url));
const SHARED_DIR = path.join(PACKAGES_DIR, "_shared");

export interface DemoSeedSummary {
  catalog: CatalogImportSummary;
  coursesImported: string[];
  recordsAdded: number;
}

/**
 * Creates the demo trust, or brings it up to date: safe to run again (`lms seed-demo`). Courses
 * already imported are left alone, and the demo learner's records are added only once, so
 * nothing a person did in the demo is undone.
 */
export async function seedDemo({ db, clock, config }: Context): Promise<DemoSeedSummary> {
  const catalog = await importCatalog(db, clock, parseCatalog(fs.readFileSync(DEMO_CATALOG_FILE, "utf8")), { cause: "demo trust" });
  const storage = createLocalStorage(path.join(config.dataDir, "packages"));
  const coursesImported: string[] = [];
  // The demo courses are the demo author's own, as if he had uploaded them: his course pages name
  // him, and in Forums and Chats he has their discussions to answer as their author.
  const importedBy = await demoAuthorAccountId(db);
  for (const folder of demoCourseFolders()) {
    const code = courseCodeOf(folder);
    if (await courseExists(db, code)) continue;
    const zipFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-demo-")), "package.zip");
    try {
      await zipFolder(folder, zipFile, [{ from: SHARED_DIR, to: "shared" }]);
      await importPackage({ db, clock, storage }, zipFile, { code, importedBy });
      coursesImported.push(code);
    } finally {
      fs.rmSync(path.dirname(zipFile), { recursive: true, force: true });
    }
  }
  await addDemoClasses(db, clock.today(), clock.now().toISOString());
  return { catalog, coursesImported, recordsAdded: await addDemoRecords(db, clock.today()) };
}

/** The demo course author's account (the catalog's one author), or null when there is none: then the versions say the LMS's setup imported them. */
async function demoAuthorAccountId(db: Db): Promise<number | null> {
  const login = DEMO_LOGINS.find((person) => person.role === "author");
  const account = login ? await accountDirectory(db).findByUsername(login.username) : undefined;
  return account?.id ?? null;
}

/** Every folder of packages/ with a manifest; `_shared` is added to each, not a course itself. */
export function demoCourseFolders(): string[] {
  return fs
    .readdirSync(PACKAGES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_") && fs.existsSync(path.join(PACKAGES_DIR, entry.name, "imsmanifest.xml")))
    .map((entry) => path.join(PACKAGES_DIR, entry.name))
    .sort();
}

/** A demo course's code is its organization's title, as authored in its manifest. */
function courseCodeOf(folder: string): string {
  return parseManifest(fs.readFileSync(path.join(folder, "imsmanifest.xml"), "utf8")).title;
}

async function addDemoRecords(db: Db, today: string): Promise<number> {
  const account = await accountDirectory(db).findByUsername(DEMO_LEARNER);
  if (!account) return 0;
  if (await hasCompetenceRecords(db, account.personId)) return 0;
  const records = demoRecords(today);
  await db.transaction(async (trx) => {
    for (const record of records) {
      const { competencyId, certification } = await competencyAndCertification(trx, record.competency);
      await addCompetenceRecord(trx, {
        personId: account.personId,
        competencyId,
        level: certification?.competenceLevel ?? "1 - Assessed",
        achievedOn: record.achievedOn,
        expiresOn: record.expiresOn,
        source: "certification",
        status: "approved",
        certificationId: certification?.id ?? null,
        at: `${today}T00:00:00.000Z`,
      });
    }
  });
  return records.length;
}
