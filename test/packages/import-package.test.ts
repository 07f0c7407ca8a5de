import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Scorm2004API } from "scorm-again";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { importPackage, validatePackage } from "../../server/packages/import-package.ts";
import type { Manifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { buildSequencingSettings, scoRuntimeSettings } from "../../server/scorm/manifest/runtime-settings.ts";
import { createLocalStorage, type PackageStorage } from "../../server/packages/storage.ts";
import { zipFolder } from "../../server/packages/zip-folder.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";
import { fireSafetyManifest12 as manifest12, VALID_PACKAGES } from "../support/valid-packages.ts";

const clock = createClock("2026-03-01T09:00:00Z");

const manifest2004 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="IG" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>Information Governance</title>
    <item identifier="I1" identifierref="R1"><title>Data security awareness</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="my page.html"/>
  </resources>
</manifest>`;

const valid12 = () => ({ "imsmanifest.xml": manifest12(), "index.html": "<p>Fire</p>", "quiz/quiz.html": "<p>Quiz</p>" });

describe("importPackage", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => cleanup());
  beforeEach(() => {
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
  });

  it("imports a SCORM 1.2 package: course, version, e-learning class, audit row and published files", async () => {
    const result = await importPackage({ db, clock, storage }, await buildZip(valid12()), { importedBy: null });
    expect(result).toMatchObject({ course: "297 NHS Fire Safety - 1 Year", version: 1, scormVersion: "1.2", title: "297 NHS Fire Safety - 1 Year", scos: 2 });

    const course = await db("courses").where({ code: result.course }).first();
    expect(course).toMatchObject({ title: "297 NHS Fire Safety - 1 Year", kind: "elearning", created_at: "2026-03-01T09:00:00.000Z" });
    const version = await db("course_versions").where({ id: result.courseVersionId }).first();
    expect(version).toMatchObject({ course_id: course.id, version: 1, scorm_version: "1.2", file_count: 3, imported_at: "2026-03-01T09:00:00.000Z", imported_by: null });
    expect(Number(version.total_bytes)).toBe(Buffer.byteLength(manifest12()) + "<p>Fire</p>".length + "<p>Quiz</p>".length);
    expect(JSON.parse(version.manifest).launchables.map((l: { launch: string }) => l.launch)).toEqual(["index.html", "quiz/quiz.html"]);
    expect(await db("classes").where({ course_id: course.id })).toEqual([
      expect.objectContaining({ kind: "elearning", title: result.course, status: "open" }),
    ]);
    const audit = await db("audit_events").where({ kind: "package.imported" }).orderBy("id", "desc").first();
    expect(JSON.parse(audit.detail)).toMatchObject({ course: result.course, version: 1, courseVersionId: result.courseVersionId });

    expect(await storage.exists(version.storage_key, "quiz/quiz.html")).toBe(true);
    expect(fs.readFileSync(storage.pathOf(version.storage_key, "index.html"), "utf8")).toBe("<p>Fire</p>");
    expect(fs.readdirSync(path.join(storage.root, ".tmp"))).toEqual([]);
  });

  it("reports its progress: checking, extracting byte by byte to the total, then saving", async () => {
    const seen: Array<{ stage: string; done: number; total: number }> = [];
    await importPackage({ db, clock, storage }, await buildZip(valid12()), { code: "297 Progress", onProgress: (progress) => seen.push(progress) });
    const stages = seen.map((progress) => progress.stage).filter((stage, index, all) => stage !== all[index - 1]);
    expect(stages).toEqual(["checking", "extracting", "saving"]);
    const extracting = seen.filter((progress) => progress.stage === "extracting");
    expect(extracting.at(-1)!.done).toBe(extracting.at(-1)!.total);
    expect(extracting.map((progress) => progress.done)).toEqual([...extracting.map((progress) => progress.done)].sort((a, b) => a - b));
  });

  it("imports a re-upload as the next version and keeps one e-learning class", async () => {
    const zip = await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Re-import") });
    const first = await importPackage({ db, clock, storage }, zip);
    const second = await importPackage({ db, clock, storage }, zip);
    expect([first.version, second.version]).toEqual([1, 2]);
    const course = await db("courses").where({ code: "297 Re-import" }).first();
    const versions = await db("course_versions").where({ course_id: course.id }).orderBy("version");
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
    expect(versions[0].storage_key).not.toBe(versions[1].storage_key);
    for (const row of versions) expect(await storage.exists(row.storage_key, "index.html")).toBe(true);
    expect(await db("classes").where({ course_id: course.id })).toHaveLength(1);
  });

  it("gives two simultaneous imports of one course consecutive versions", async () => {
    const zip = await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Concurrent") });
    const results = await Promise.all([importPackage({ db, clock, storage }, zip), importPackage({ db, clock, storage }, zip)]);
    expect(results.map((result) => result.version).sort()).toEqual([1, 2]);
    const course = await db("courses").where({ code: "297 Concurrent" }).first();
    expect(await db("classes").where({ course_id: course.id })).toHaveLength(1);
  });

  it("imports a SCORM 2004 4th Edition package under a given code, with xml:base and an encoded launch name", async () => {
    const zip = await buildZip({ "imsmanifest.xml": manifest2004, "content/my page.html": "<p>IG</p>" });
    const result = await importPackage({ db, clock, storage }, zip, { code: "297 Information Governance" });
    expect(result).toMatchObject({ course: "297 Information Governance", title: "Information Governance", scormVersion: "2004 4th Edition", version: 1, scos: 1 });
    const version = await db("course_versions").where({ id: result.courseVersionId }).first();
    expect(await storage.exists(version.storage_key, "content/my page.html")).toBe(true);
  });

  it("imports a zip64 archive", async () => {
    const zip = await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Zip64") }, { forceZip64: true });
    expect(await importPackage({ db, clock, storage }, zip)).toMatchObject({ course: "297 Zip64", version: 1, scos: 2 });
  });

  it("imports a zip made by zipFolder, with extra folders under their prefix and no dotfiles", async () => {
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "lms-src-"));
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), "lms-shared-"));
    for (const [name, content] of Object.entries({ ...valid12(), "imsmanifest.xml": manifest12("297 Zipped"), ".DS_Store": "x" })) {
      fs.mkdirSync(path.dirname(path.join(source, name)), { recursive: true });
      fs.writeFileSync(path.join(source, name), content);
    }
    fs.writeFileSync(path.join(shared, "course.css"), "body{}");
    const zip = path.join(source, "..", `${path.basename(source)}.zip`);
    await zipFolder(source, zip, [{ from: shared, to: "shared" }]);

    const result = await importPackage({ db, clock, storage }, zip);
    const version = await db("course_versions").where({ id: result.courseVersionId }).first();
    expect(await storage.exists(version.storage_key, "shared/course.css")).toBe(true);
    expect(await storage.exists(version.storage_key, ".DS_Store")).toBe(false);
    expect(version.file_count).toBe(4);
  });

  describe("a manifest with no organization to follow", () => {
    const storedManifest = async (courseVersionId: number): Promise<Manifest> =>
      JSON.parse((await db("course_versions").where({ id: courseVersionId }).first("manifest")).manifest) as Manifest;

    it("imports SCORM 1.2 <organizations/> as one item per SCO resource, and says it built them", async () => {
      const result = await importPackage({ db, clock, storage }, await buildZip(VALID_PACKAGES["scorm12-no-organization"]!.files));
      expect(result).toMatchObject({ course: "297 Test 1.2 No Organization", title: "297 Test 1.2 No Organization", scormVersion: "1.2", scos: 2 });
      expect(result.warnings).toEqual([expect.objectContaining({ code: "package.organization_built", file: "imsmanifest.xml", element: "<organizations>" })]);

      const manifest = await storedManifest(result.courseVersionId);
      expect(manifest.launchables).toEqual([
        { identifier: "LESSON", title: "Lesson", resourceId: "LESSON", scormType: "sco", launch: "lesson.html" },
        { identifier: "QUIZ", title: "QUIZ", resourceId: "QUIZ", scormType: "sco", launch: "quiz.html" },
      ]);
      expect(manifest.organization.items.map((item) => [item.identifier, item.identifierref, item.title])).toEqual([["LESSON", "LESSON", "Lesson"], ["QUIZ", "QUIZ", "QUIZ"]]);
      expect(buildSequencingSettings(manifest)).toBeNull();
      expect(scoRuntimeSettings(manifest, "QUIZ")).toMatchObject({ scormVersion: "1.2", masteryScore: null, cmi: {} });
    });

    it("imports SCORM 2004 with no <organization> so that scorm-again's sequencer can deliver each SCO", async () => {
      const result = await importPackage({ db, clock, storage }, await buildZip(VALID_PACKAGES["scorm2004-no-organization"]!.files));
      expect(result).toMatchObject({ course: "297 Test 2004 No Organization", scormVersion: "2004 4th Edition", scos: 2 });
      expect(result.warnings.map((warning) => warning.code)).toEqual(["package.organization_built"]);

      const manifest = await storedManifest(result.courseVersionId);
      expect(manifest.launchables.map((launchable) => [launchable.identifier, launchable.launch])).toEqual([["PART-1", "part1/index.html"], ["PART-2", "part2/index.html"]]);
      const settings = buildSequencingSettings(manifest)!;
      expect(settings.activityTree).toMatchObject({ id: "noorg2004-ORGANIZATION", title: "297 Test 2004 No Organization", children: [{ id: "PART-1", title: "PART-1" }, { id: "PART-2", title: "PART-2" }] });
      // The spec's defaults, as for any item that declares no sequencing: choice on, flow off.
      expect(settings.activityTree.sequencingControls).toMatchObject({ choice: true, flow: false });
      expect(scoRuntimeSettings(manifest, "PART-2")).toMatchObject({ itemIdentifier: "PART-2", objectiveIds: [] });

      // The stored settings drive a real scorm-again sequencer: the player's choice of the first SCO delivers it.
      const api = new Scorm2004API({ logLevel: 5, sequencing: settings });
      expect(api.lmsInitialize()).toBe("true");
      expect(api.processNavigationRequest("choice", "PART-1")).toBe(true);
      expect(api.getSequencingService()!.getSequencingState().currentActivity?.id).toBe("PART-1");
      expect(api.lmsGetValue("adl.nav.request_valid.choice.{target=PART-2}")).toBe("true");
    });

    it("imports a package that has tincan.xml beside imsmanifest.xml as SCORM, with a note", async () => {
      const result = await importPackage({ db, clock, storage }, await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Both Manifests"), "tincan.xml": "<tincan/>" }));
      expect(result).toMatchObject({ course: "297 Both Manifests", scormVersion: "1.2", scos: 2 });
      expect(result.warnings).toEqual([expect.objectContaining({ code: "package.other_course_structure", file: "tincan.xml", message: expect.stringContaining("it is imported as SCORM") })]);
    });

    it("imports a manifest whose <schemaversion> names no known version by its namespaces, warning which version it was taken as", async () => {
      const manifest = manifest12("297 Odd Schemaversion").replace("<schemaversion>1.2</schemaversion>", "<schemaversion>1.2.1</schemaversion>");
      const result = await importPackage({ db, clock, storage }, await buildZip({ ...valid12(), "imsmanifest.xml": manifest }));
      expect(await db("course_versions").where({ id: result.courseVersionId }).first("scorm_version")).toEqual({ scorm_version: "1.2" });
      expect(result.warnings).toEqual([{
        code: "package.schemaversion_unknown",
        file: "imsmanifest.xml",
        element: "<metadata><schemaversion>",
        message: expect.stringMatching(/^The manifest's <schemaversion> is "1\.2\.1", which is none of .*: it was taken as SCORM 1\.2, because the manifest declares the SCORM 1\.2 namespace http:\/\/www\.adlnet\.org\/xsd\/adlcp_rootv1p2$/),
      }]);
    });
  });
});

describe("validatePackage", () => {
  it("reports a valid package's version, title and launchable items without importing it", async () => {
    const report = await validatePackage(await buildZip(valid12()));
    expect(report).toMatchObject({ ok: true, errors: [], fileCount: 3, scormVersion: "1.2", title: "297 NHS Fire Safety - 1 Year" });
    expect(report.launchables).toHaveLength(2);
  });

  it("warns, without blocking, about listed files that are missing, case mismatches, unused files and missing metadata", async () => {
    const files = valid12();
    const manifest = String(files["imsmanifest.xml"])
      .replace(/<schemaversion>[^<]*<\/schemaversion>/, "")
      .replace('<file href="index.html"/>', '<file href="index.html"/><file href="images/Logo.PNG"/><file href="styles/missing.css"/>');
    const report = await validatePackage(await buildZip({ ...files, "imsmanifest.xml": manifest, "images/logo.png": "png", "notes/draft.txt": "old" }));
    expect(report.ok).toBe(true);
    const byCode = Object.fromEntries(report.warnings.map((warning) => [warning.code, warning]));
    expect(byCode["package.case_mismatch"]).toMatchObject({ file: "images/Logo.PNG", message: expect.stringContaining("images/logo.png") });
    expect(byCode["package.listed_file_missing"]).toMatchObject({ file: "styles/missing.css", element: expect.stringContaining("<resource") });
    expect(byCode["package.unused_files"]?.message).toContain("notes/draft.txt");
    expect(byCode["package.metadata_missing"]).toMatchObject({ file: "imsmanifest.xml" });
  });

  it("warns about SCORM 1.2 prerequisites it cannot read or that name items the course lacks (they are not enforced)", async () => {
    const files = valid12();
    const prerequisites = (script: string) =>
      String(files["imsmanifest.xml"]).replace("<title>Assessment</title>", `<title>Assessment</title><adlcp:prerequisites type="aicc_script">${script}</adlcp:prerequisites>`);
    const met = await validatePackage(await buildZip({ ...files, "imsmanifest.xml": prerequisites("I1") }));
    expect(met.warnings.filter((warning) => warning.code.startsWith("package.prerequisites"))).toEqual([]);
    const unknown = await validatePackage(await buildZip({ ...files, "imsmanifest.xml": prerequisites("I1 &amp; INTRO") }));
    expect(unknown.warnings.find((warning) => warning.code === "package.prerequisites_unknown_item")).toMatchObject({ element: '<item identifier="I2"><adlcp:prerequisites>', message: expect.stringContaining('"INTRO"') });
    const unreadable = await validatePackage(await buildZip({ ...files, "imsmanifest.xml": prerequisites("I1 &amp;") }));
    expect(unreadable.ok).toBe(true);
    expect(unreadable.warnings.find((warning) => warning.code === "package.prerequisites_unreadable")?.message).toMatch(/cannot be read/);
  });
});


