import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import unzipper from "unzipper";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { exportPackage, exportPackageStream } from "../../server/packages/export-package.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage, type PackageStorage } from "../../server/packages/storage.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";
import { fireSafetyManifest12 as manifest12 } from "../support/valid-packages.ts";

const clock = createClock("2026-03-01T09:00:00Z");



// Nested folders, spaces and non-ASCII names, reached through xml:base.
const manifest2004 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="IG" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>Information Governance</title>
    <item identifier="I1" identifierref="R1"><title>Données et sécurité</title></item>
    <item identifier="I2" identifierref="R2"><title>Assessment</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="Module 1/Einführung – Teil 1.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormType="sco" href="quiz/deep/er/quiz page.html?mode=test"/>
  </resources>
</manifest>`;

const package12 = () => ({
  "imsmanifest.xml": manifest12("297 Export Fire Safety"),
  "index.html": "<p>Fire</p>",
  "quiz/quiz.html": "<p>Quiz</p>",
});

const package2004 = () => ({
  "imsmanifest.xml": manifest2004,
  "content/Module 1/Einführung – Teil 1.html": "<p>Willkommen</p>",
  "content/quiz/deep/er/quiz page.html": "<p>Quiz</p>",
  // Over 1 MiB: extraction streams it rather than reading it whole.
  "content/media/Fire exit (final).mp4": crypto.randomBytes(1_500_000),
  "content/文档/说明 ünïcödé.txt": "Données personnelles",
  "content/css/style sheet.css": "body { margin: 0 }\n".repeat(500),
});

describe("exportPackage", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  let outDir: string;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => cleanup());
  beforeEach(() => {
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-export-"));
  });

  it.each([
    ["SCORM 1.2", package12, "297 Export Fire Safety"],
    ["SCORM 2004 with nested folders, spaces and UTF-8 names", package2004, "297 Export Information Governance"],
  ] as const)("round-trips a %s package: re-importing the export gives the same manifest and files", async (_kind, makePackage, code) => {
    const entries = makePackage();
    const first = await importPackage({ db, clock, storage }, await buildZip(entries), { code });

    const outFile = path.join(outDir, "export.zip");
    const exported = await exportPackage({ db, storage }, code, outFile);
    expect(exported).toEqual({ course: code, version: 1, files: Object.keys(entries).length, bytes: fs.statSync(outFile).size });
    expect(fs.readdirSync(outDir)).toEqual(["export.zip"]);

    const zipEntries = (await unzipper.Open.file(outFile)).files;
    expect(zipEntries[0]?.path).toBe("imsmanifest.xml");
    expect(zipEntries.map((entry) => entry.path).sort()).toEqual(Object.keys(entries).sort());

    const second = await importPackage({ db, clock, storage }, outFile, { code });
    expect(second).toMatchObject({ course: code, version: 2, scormVersion: first.scormVersion, scos: first.scos });
    const [v1, v2] = await Promise.all([versionRow(db, first.courseVersionId), versionRow(db, second.courseVersionId)]);
    expect(JSON.parse(v2.manifest)).toEqual(JSON.parse(v1.manifest));
    expect([v2.file_count, Number(v2.total_bytes)]).toEqual([v1.file_count, Number(v1.total_bytes)]);
    const original = Object.fromEntries(Object.entries(entries).map(([name, content]) => [name, sha256(Buffer.from(content))]));
    expect(storedFiles(storage, v1.storage_key)).toEqual(original);
    expect(storedFiles(storage, v2.storage_key)).toEqual(original);
  });

  it("exports the newest version by default and an older one when asked", async () => {
    const code = "297 Export Versions";
    await importPackage({ db, clock, storage }, await buildZip({ ...package12(), "index.html": "<p>First</p>" }), { code });
    await importPackage({ db, clock, storage }, await buildZip({ ...package12(), "index.html": "<p>Second</p>" }), { code });

    const newest = await exportPackage({ db, storage }, code, path.join(outDir, "newest.zip"));
    const older = await exportPackage({ db, storage }, code, path.join(outDir, "older.zip"), { version: 1 });
    expect([newest.version, older.version]).toEqual([2, 1]);
    expect(await entryText(path.join(outDir, "newest.zip"), "index.html")).toBe("<p>Second</p>");
    expect(await entryText(path.join(outDir, "older.zip"), "index.html")).toBe("<p>First</p>");
  });

  it("refuses an unknown course, naming its code, and writes nothing", async () => {
    const outFile = path.join(outDir, "export.zip");
    await expect(exportPackage({ db, storage }, "297 No Such Course", outFile)).rejects.toMatchObject({
      code: "package.unknown_course",
      message: expect.stringContaining('"297 No Such Course"'),
    });
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it("refuses an unknown version, listing the versions that exist", async () => {
    const code = "297 Export Unknown Version";
    const zip = await buildZip(package12());
    await importPackage({ db, clock, storage }, zip, { code });
    await importPackage({ db, clock, storage }, zip, { code });
    await expect(exportPackage({ db, storage }, code, path.join(outDir, "export.zip"), { version: 7 })).rejects.toMatchObject({
      code: "package.unknown_version",
      message: expect.stringMatching(/version 7.*versions are 1, 2/),
    });
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it("leaves no partial zip, and keeps a previous export, when a stored file cannot be read part-way through", async () => {
    const code = "297 Export Failure";
    await importPackage({ db, clock, storage }, await buildZip(package2004()), { code });
    const outFile = path.join(outDir, "export.zip");
    fs.writeFileSync(outFile, "previous export");
    // The last file in the zip's order vanishes after the listing: earlier entries are already written.
    const failing: PackageStorage = {
      ...storage,
      pathOf: (key, relativePath) =>
        relativePath === "content/文档/说明 ünïcödé.txt" ? path.join(outDir, "vanished.txt") : storage.pathOf(key, relativePath),
    };
    await expect(exportPackage({ db, storage: failing }, code, outFile)).rejects.toMatchObject({ code: "ENOENT" });
    expect(fs.readdirSync(outDir)).toEqual(["export.zip"]);
    expect(fs.readFileSync(outFile, "utf8")).toBe("previous export");
  });

  it("refuses a version whose stored files no longer match what was imported", async () => {
    const code = "297 Export Damaged";
    const result = await importPackage({ db, clock, storage }, await buildZip(package12()), { code });
    fs.rmSync(storage.pathOf((await versionRow(db, result.courseVersionId)).storage_key, "quiz/quiz.html"));
    await expect(exportPackage({ db, storage }, code, path.join(outDir, "export.zip"))).rejects.toMatchObject({
      code: "package.storage_mismatch",
    });
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});

describe("exportPackageStream", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
  });
  afterAll(async () => cleanup());

  it("streams the same bytes as the file export, with a download name", async () => {
    const code = "297 Stream: Fire/Safety";
    await importPackage({ db, clock, storage }, await buildZip(package2004()), { code });
    const streamed = await exportPackageStream({ db, storage }, code);
    expect(streamed).toMatchObject({ course: code, version: 1, files: 6, filename: "297 Stream_ Fire_Safety v1.zip" });
    const bytes = await buffer(streamed.stream);

    const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-export-")), "export.zip");
    await exportPackage({ db, storage }, code, outFile);
    expect(sha256(bytes)).toBe(sha256(fs.readFileSync(outFile)));
  });

  it("rejects an unknown course before any byte is streamed", async () => {
    await expect(exportPackageStream({ db, storage }, "297 Nowhere", { version: 1 })).rejects.toMatchObject({
      code: "package.unknown_course",
    });
  });
});

async function versionRow(db: Db, id: number) {
  return db("course_versions").where({ id }).first();
}

/** path -> sha256 of every regular file in a published package. */
function storedFiles(storage: PackageStorage, key: string): Record<string, string> {
  const folder = path.join(storage.root, key);
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    result[path.relative(folder, full).split(path.sep).join("/")] = sha256(fs.readFileSync(full));
  }
  return result;
}

async function entryText(zip: string, name: string): Promise<string> {
  const entry = (await unzipper.Open.file(zip)).files.find((file) => file.path === name);
  if (!entry) throw new Error(`${name} is not in ${zip}`);
  return (await entry.buffer()).toString("utf8");
}

function sha256(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}
