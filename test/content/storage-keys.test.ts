import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClock } from "../../server/clock.ts";
import { createStorageKeyCache } from "../../server/content/storage-keys.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";

const clock = createClock("2026-03-01T09:00:00Z");

function course(code: string) {
  return {
    "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="M" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>${code}</title>
    <item identifier="I" identifierref="R"><title>Read</title></item></organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`,
    "index.html": `<!doctype html><title>${code}</title>`,
  };
}

describe("the content origin's storage keys", () => {
  let t: TestDb;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-storage-keys-"));
  const storage = createLocalStorage(path.join(dataDir, "packages"));
  const importCourse = async (code: string) => (await importPackage({ db: t.db, clock, storage }, await buildZip(course(code)))).courseVersionId;
  const keyInDb = async (id: number) => String((await t.db("course_versions").where({ id }).first("storage_key")).storage_key);

  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers a version's key, and after its row is deleted, no key once the key's time is up", async () => {
    let now = 0;
    const keys = createStorageKeyCache(t.db, { maxAgeMs: 60_000, now: () => now });
    const id = await importCourse("297 Deleted Later");
    const key = await keyInDb(id);
    expect(await keys.keyOf(id)).toBe(key);
    await t.db("course_versions").where({ id }).delete();
    now = 59_999;
    expect(await keys.keyOf(id)).toBe(key);
    now = 60_000;
    expect(await keys.keyOf(id)).toBeUndefined();
  });

  it("asks again at once for a version it was told to forget", async () => {
    const keys = createStorageKeyCache(t.db, { now: () => 0 });
    const id = await importCourse("297 Forgotten");
    expect(await keys.keyOf(id)).toBe(await keyInDb(id));
    await t.db("course_versions").where({ id }).delete();
    keys.forget(id);
    expect(await keys.keyOf(id)).toBeUndefined();
  });

  it("keeps at most its number of versions, the least recently asked for going first", async () => {
    const keys = createStorageKeyCache(t.db, { versions: 2, now: () => 0 });
    const [first, second, third] = [await importCourse("297 First"), await importCourse("297 Second"), await importCourse("297 Third")];
    const firstKey = await keyInDb(first);
    await keys.keyOf(first);
    await keys.keyOf(second);
    expect(await keys.keyOf(first)).toBe(firstKey);
    await keys.keyOf(third);
    // second was asked for least recently, so it went: its deleted row is seen; first's is not.
    await t.db("course_versions").whereIn("id", [first, second]).delete();
    expect(await keys.keyOf(second)).toBeUndefined();
    expect(await keys.keyOf(first)).toBe(firstKey);
  });

  it("does not remember a version it did not find, so one imported since is found", async () => {
    const keys = createStorageKeyCache(t.db, { now: () => 0 });
    const next = Number((await t.db("course_versions").max("id as id").first())?.id ?? 0) + 1;
    expect(await keys.keyOf(next)).toBeUndefined();
    const id = await importCourse("297 Imported Since");
    expect(id).toBe(next);
    expect(await keys.keyOf(id)).toBe(await keyInDb(id));
  });
});
