// Issue 18, deliver 8, a probe that held: every kind of broken or hostile package (zip slip by
// "..", absolute and drive-letter names, symbolic links, zip bombs by ratio and by overlapping
// entries, lying sizes and counts, encrypted entries, duplicate names, DOCTYPE entities, ...) is
// refused with an error naming the problem, no row and no file left, and the same verdict from
// validation alone. Moved here from test/packages/import-package.test.ts so that it keeps holding.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, afterAll, beforeEach, expect, it, describe } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { importPackage, validatePackage } from "../../server/packages/import-package.ts";
import { createLocalStorage, type PackageStorage } from "../../server/packages/storage.ts";
import type { ZipLimits } from "../../server/packages/zip-scan.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip, writeTempFile } from "../support/build-zip.ts";
import { fireSafetyManifest12 as manifest12 } from "../support/valid-packages.ts";
import { rawZip, S_IFLNK, unixMode, type RawEntry } from "../support/raw-zip.ts";
import { packageRowCounts, storageLeftovers } from "../support/package-state.ts";

const clock = createClock("2026-03-01T09:00:00Z");
const valid12 = () => ({ "imsmanifest.xml": manifest12(), "index.html": "<p>Fire</p>", "quiz/quiz.html": "<p>Quiz</p>" });

describe("refuses a broken or hostile package, leaving no rows and no files", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => cleanup());
  beforeEach(() => {
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
  });

  const good = (name: string): RawEntry => ({ name, data: `<p>${name}</p>` });
  const manifestEntry: RawEntry = { name: "imsmanifest.xml", data: manifest12("297 Hostile"), deflate: true };
  // [code, what the case exercises, the zip, the entry the message must name, limits]
  type Case = [string, string, () => Promise<string>, string?, Partial<ZipLimits>?];
  const raw = (...entries: RawEntry[]) => async () => writeTempFile(rawZip([manifestEntry, ...entries]));
  const zipOf = (entries: Record<string, string | Buffer>) => async () => buildZip({ ...valid12(), ...entries });
  const cases: Case[] = [
    ["package.unreadable", "a file that is not there", async () => path.join(os.tmpdir(), "no-such-folder", "package.zip"), "ENOENT"],
    ["package.not_a_zip", "a text file", async () => writeTempFile("this is a text file, not a zip archive")],
    ["package.corrupt", "a directory shorter than its declared count", async () =>
      writeTempFile(rawZip([manifestEntry, good("index.html")], { declaredEntryCount: 5 }))],
    ["package.corrupt", "a wrong checksum", raw({ ...good("index.html"), crc32: 1234 }), "index.html"],
    ["package.unsafe_path", "a .. name", raw(good("../evil.html")), "../evil.html"],
    ["package.unsafe_path", "an absolute name", raw(good("/etc/cron.d/evil")), "/etc/cron.d/evil"],
    ["package.unsafe_path", "a drive letter", raw(good("C:/Windows/evil.dll")), "C:/Windows/evil.dll"],
    ["package.unsafe_path", "a backslash name", raw(good("quiz\\..\\..\\evil.html")), "evil.html"],
    ["package.symlink", "a symbolic link", raw({ name: "link", data: "/etc/passwd", externalAttributes: unixMode(S_IFLNK | 0o777) }), "link"],
    ["package.duplicate_entry", "a repeated name", raw(good("index.html"), good("index.html")), "index.html"],
    ["package.duplicate_entry", "names differing only in case", raw(good("index.html"), good("Index.HTML")), "Index.HTML"],
    ["package.duplicate_entry", "a file where a folder must be", raw(good("quiz"), good("quiz/quiz.html")), "quiz/quiz.html"],
    ["package.encrypted", "an encrypted entry", raw({ ...good("index.html"), flags: 0x0801 }), "index.html"],
    ["package.too_many_entries", "more entries than allowed", zipOf({ "extra.html": "x" }), "4 entries", { maxEntries: 3 }],
    ["package.too_many_entries", "more zip64 entries than allowed", async () => buildZip(valid12(), { forceZip64: true }), "3 entries", { maxEntries: 2 }],
    ["package.too_large", "a declared total over the limit", zipOf({}), undefined, { maxTotalBytes: 500 }],
    ["package.compression_ratio", "a zip bomb entry", zipOf({ "zeros.bin": Buffer.alloc(4 * 1024 * 1024) }), "zeros.bin"],
    ["package.size_mismatch", "a stored entry larger than declared", raw({ ...good("index.html"), declaredSize: 3 }), "index.html"],
    ["package.size_mismatch", "a deflated entry larger than declared",
      raw({ name: "quiz/quiz.html", data: "q".repeat(5000), deflate: true, declaredSize: 4000 }), "quiz/quiz.html"],
    ["package.manifest_missing", "no manifest", async () => buildZip({ "index.html": "<p>Hi</p>" })],
    ["package.aicc_not_scorm", "an AICC package", async () =>
      buildZip({ "course.crs": "[Course]\r\nCourse_ID=FIRE", "course.au": '"System_ID","File_Name"', "course.des": '"System_ID","Title"', "course.cst": '"Block","Member"', "index.html": "x" }),
      'This is an AICC package ("course.crs", "course.au", "course.des", "course.cst"), not SCORM: this LMS plays SCORM 1.2 and SCORM 2004 packages only'],
    ["package.xapi_not_scorm", "an xAPI (Tin Can) package", async () =>
      buildZip({ "tincan.xml": '<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities/></tincan>', "story.html": "x" }),
      'This is an xAPI (Tin Can) package ("tincan.xml"), not SCORM: this LMS plays SCORM 1.2 and SCORM 2004 packages only'],
    ["package.cmi5_not_scorm", "a cmi5 package", async () =>
      buildZip({ "cmi5.xml": '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"/>', "au/index.html": "x" }),
      'This is a cmi5 package ("cmi5.xml"), not SCORM: this LMS plays SCORM 1.2 and SCORM 2004 packages only'],
    ["package.manifest_nested", "a manifest two folders down",
      async () => buildZip({ "export/Fire/imsmanifest.xml": manifest12(), "export/Fire/index.html": "x" }), 'zip the contents of the folder "export/Fire", not the folder itself'],
    ["package.no_launchable", "no organization and no SCO resource to build one from",
      zipOf({ "imsmanifest.xml": manifest12().replace(/<organizations[\s\S]*<\/organizations>/, "<organizations/>").replace(/scormtype="sco"/g, 'scormtype="asset"') }),
      'The manifest has no <organization>, and none of its 2 resources is a SCO (adlcp:scormType="sco") to build the course from'],
    ["package.manifest_nested", "a manifest one folder down",
      async () => buildZip({ "Fire/imsmanifest.xml": manifest12(), "Fire/index.html": "x", "Fire/quiz/quiz.html": "y" }), "Fire/imsmanifest.xml"],
    ["package.manifest_unsafe", "a DOCTYPE with an external entity",
      zipOf({ "imsmanifest.xml": `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${manifest12()}` }), "DOCTYPE"],
    ["package.manifest_malformed", "unbalanced tags", zipOf({ "imsmanifest.xml": "<manifest><organizations></manifest>" }), "organizations"],
    ["package.unknown_schema", "no SCORM version",
      zipOf({ "imsmanifest.xml": manifest12().replace(/xmlns(:adlcp)?="[^"]+"/g, "").replace("1.2</schemaversion>", "1.1</schemaversion>") })],
    ["package.missing_resource", "an item without its resource", zipOf({ "imsmanifest.xml": manifest12().replace('identifierref="R2"', 'identifierref="R9"') }), "R9"],
    ["package.launch_missing", "a launch file not in the zip", async () => buildZip({ "imsmanifest.xml": manifest12(), "index.html": "x" }), "quiz/quiz.html"],
    ["package.launch_missing", "a launch file whose case differs in the zip",
      async () => buildZip({ "imsmanifest.xml": manifest12(), "index.html": "x", "quiz/Quiz.HTML": "y" }), 'the zip has "quiz/Quiz.HTML": the case differs'],
    ["package.truncated", "a zip cut short", async () => writeTempFile(fs.readFileSync(await buildZip(valid12())).subarray(0, 300))],
    ["package.corrupt", "an end record that understates its directory", async () =>
      writeTempFile(rawZip([manifestEntry, good("index.html"), good("quiz/quiz.html"), good("extra.html")], { declaredEntryCount: 2 })), "more entries than the 2"],
    ["package.overlapping_entries", "two entries sharing one local header and data", raw(good("index.html"), { name: "quiz/quiz.html", sharesDataOf: 1 }), "index.html"],
    ["package.compression_ratio", "small entries that together expand more than 200:1",
      zipOf(Object.fromEntries(["a", "b", "c", "d", "e"].map((name) => [`${name}.bin`, Buffer.alloc(300_000)]))), "as a whole"],
    ["package.name_too_long", "a 300-byte file name", raw(good(`${"n".repeat(300)}.html`)), `"${"n".repeat(80)}…`],
    ["package.duplicate_identifier", "two items with one identifier", zipOf({ "imsmanifest.xml": manifest12().replace('identifier="I2"', 'identifier="I1"') }), '"I1"'],
    ["package.missing_dependency", "a dependency on no resource",
      zipOf({ "imsmanifest.xml": manifest12().replace('<file href="index.html"/>', '<file href="index.html"/><dependency identifierref="NOPE"/>') }), "NOPE"],
    ["package.external_sco", "a SCO on another site",
      zipOf({ "imsmanifest.xml": manifest12().replace('href="quiz/quiz.html"', 'href="https://example.org/quiz.html"') }), "across origins"],
    ["package.manifest_encoding", "an encoding no decoder knows",
      zipOf({ "imsmanifest.xml": manifest12().replace('encoding="UTF-8"', 'encoding="x-mac-klingon"') }), "x-mac-klingon"],
  ];

  it.each(cases)("%s: %s", async (code, _why, makeZip, names, limits) => {
    const before = await packageRowCounts(db);
    const zip = await makeZip();
    const failure = importPackage({ db, clock, storage }, zip, { limits: limits ?? {} });
    await expect(failure).rejects.toMatchObject({ code, message: expect.stringContaining(names ?? "") });
    expect(await packageRowCounts(db)).toEqual(before);
    expect(storageLeftovers(storage)).toEqual([]);
    // The same verdict without importing.
    const report = await validatePackage(zip, limits);
    expect(report).toMatchObject({ ok: false, errors: [{ code, message: expect.stringContaining(names ?? "") }] });
  });

  it("removes the published folder and writes no rows when the transaction fails after publishing", async () => {
    const before = await packageRowCounts(db);
    const failing: PackageStorage = {
      ...storage,
      async publish(tempDir, key) {
        await storage.publish(tempDir, key);
        throw new Error("disk went away");
      },
    };
    await expect(importPackage({ db, clock, storage: failing }, await buildZip(valid12()))).rejects.toThrow("disk went away");
    expect(await packageRowCounts(db)).toEqual(before);
    expect(storageLeftovers(storage)).toEqual([]);
  });

  it("writes no rows and no files when a row cannot be written (unknown importing account)", async () => {
    const before = await packageRowCounts(db);
    await expect(importPackage({ db, clock, storage }, await buildZip(valid12()), { importedBy: 999_999 })).rejects.toThrow();
    expect(await packageRowCounts(db)).toEqual(before);
    expect(storageLeftovers(storage)).toEqual([]);
  });
});
