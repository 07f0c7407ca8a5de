import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoCourseFolders, PACKAGES_DIR } from "../../server/demo/seed.ts";
import { zipFolder } from "../../server/packages/zip-folder.ts";
import { parseManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip } from "../support/build-zip.ts";
import { lms } from "../support/run-cli.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "lms-paths-"));

async function demoZip(folder: string): Promise<string> {
  const zip = path.join(work, `${path.basename(folder)}.zip`);
  if (!fs.existsSync(zip)) await zipFolder(folder, zip, [{ from: path.join(PACKAGES_DIR, "_shared"), to: "shared" }]);
  return zip;
}

function demoExpectation(folder: string) {
  const manifest = parseManifest(fs.readFileSync(path.join(folder, "imsmanifest.xml"), "utf8"));
  return { title: manifest.title, scormVersion: manifest.scormVersion, scos: manifest.launchables.length };
}

const demo = demoCourseFolders().map((folder) => [path.basename(folder), folder] as const);
const valid = Object.entries(VALID_PACKAGES);

/** Issue 3's "Done when": every demo package and every valid test package imports through both doors. */
describe("every demo and valid test package", () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let token: string;
  beforeAll(async () => {
    // Every demo and valid package through one author: past one person's upload limits (test/security/quotas.test.ts).
    t = await createTestApp({ env: { UPLOADS_PER_QUARTER_HOUR: "1000", AUTHOR_UPLOADS_PER_DAY: "1000" } });
    const user = await buildLearner(t.db, t.clock, { name: "Patel, Amir", role: "author" });
    author = await logInAgent(t.app, user.username, user.password);
    token = csrfFrom((await author.get("/author/courses/upload")).text);
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it.each(demo)("imports demo course %s through lms import-package", async (_name, folder) => {
    const expected = demoExpectation(folder);
    const result = await lms({ ...t.env, LMS_NOW: "2026-03-01" }, "import-package", await demoZip(folder));
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ course: expected.title, version: 1, ...expected });
  });

  it.each(demo)("imports demo course %s through the upload page (told it is the same package as version 1, imported anyway)", async (_name, folder) => {
    const expected = demoExpectation(folder);
    const response = await author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).field("newVersionAnyway", "yes").attach("package", await demoZip(folder));
    expect(response.status).toBe(201);
    expect(response.body.report).toMatchObject({ ok: true, scormVersion: expected.scormVersion, errors: [] });
    expect(response.body.course).toMatchObject({ code: expected.title, version: 2 });
  });

  it.each(valid)("imports valid package %s through lms import-package", async (name, fixture) => {
    const result = await lms(t.env, "import-package", await buildZip(fixture.files), "--code", `CLI ${name}`);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ course: `CLI ${name}`, version: 1, ...fixture.expect });
  });

  it.each(valid)("imports valid package %s through the upload page", async (_name, fixture) => {
    const response = await author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", await buildZip(fixture.files));
    expect(response.status).toBe(201);
    expect(response.body.report).toMatchObject({ ok: true, scormVersion: fixture.expect.scormVersion, title: fixture.expect.title });
    expect(response.body.course).toMatchObject({ code: fixture.expect.title, version: 1 });
  });

  it.each(valid)("validates valid package %s with lms validate-package", async (_name, fixture) => {
    const result = await lms(t.env, "validate-package", await buildZip(fixture.files));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: valid\n/);
    expect(result.stdout).toContain(`SCORM ${fixture.expect.scormVersion}`);
  });
});

describe("lms export-package", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Every demo and valid package through one author: past one person's upload limits (test/security/quotas.test.ts).
    t = await createTestApp({ env: { UPLOADS_PER_QUARTER_HOUR: "1000", AUTHOR_UPLOADS_PER_DAY: "1000" } });
  });
  afterAll(() => t.cleanup());

  it("round-trips: export then import gives the same manifest and file set", async () => {
    const fixture = VALID_PACKAGES["nested-spaces-utf8"]!;
    await lms(t.env, "import-package", await buildZip(fixture.files), "--code", "297 Round Trip");
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-export-")), "exported.zip");
    const exported = await lms(t.env, "export-package", "297 Round Trip", out, "--version", "1");
    expect(exported.stderr).toBe("");
    expect(exported.stdout).toMatch(/^Exported 297 Round Trip version 1: 3 files, \d+ bytes, to /);
    // Exported and zipped again, it is still the same package: recognised, and imported only when asked.
    const refused = await lms(t.env, "import-package", out, "--code", "297 Round Trip");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: This is the same package as version 1, imported on \d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}\. Nothing was imported; to make a new version of it anyway, run again with --new-version-anyway/);
    const again = await lms(t.env, "import-package", out, "--code", "297 Round Trip", "--new-version-anyway");
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 2, ...fixture.expect });
    const versions = await t.db("course_versions").join("courses", "courses.id", "course_versions.course_id").where("courses.code", "297 Round Trip").orderBy("version");
    expect(versions[1].manifest).toBe(versions[0].manifest);
    expect(versions[1].file_count).toBe(versions[0].file_count);
    expect(Number(versions[1].total_bytes)).toBe(Number(versions[0].total_bytes));
  });

  it("exits 1 naming an unknown course or version", async () => {
    const out = path.join(os.tmpdir(), "never-written.zip");
    const course = await lms(t.env, "export-package", "297 No Such Course", out);
    expect(course.code).toBe(1);
    expect(course.stderr).toMatch(/^error: .*297 No Such Course/);
    const version = await lms(t.env, "export-package", "297 Round Trip", out, "--version", "9");
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(/^error: .*9/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("lms import-package after an interrupted import", () => {
  it("removes what the interrupted import left in the temporary folder", async () => {
    const t = await createTestApp();
    try {
      const stale = path.join(t.config.dataDir, "packages", ".tmp", "work-interrupted");
      fs.mkdirSync(stale, { recursive: true });
      fs.writeFileSync(path.join(stale, "half.bin"), "x");
      const old = new Date(Date.now() - 3 * 60 * 60 * 1000);
      fs.utimesSync(path.join(stale, "half.bin"), old, old);
      fs.utimesSync(stale, old, old);
      const result = await lms(t.env, "import-package", await buildZip(VALID_PACKAGES["scorm12-single"]!.files));
      expect(result.code).toBe(0);
      expect(fs.existsSync(stale)).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});

describe("lms validate-package", () => {
  it("checks against the configured limits, as import-package does", async () => {
    const files = { ...VALID_PACKAGES["scorm12-multi-sco"]!.files };
    const zip = await buildZip(files);
    const result = await lms({ PACKAGE_MAX_ENTRIES: "3" }, "validate-package", zip);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("NOT valid");
    expect(result.stdout).toMatch(/at most 3 are allowed/);
  });

  it("prints, as JSON, what a package that is not SCORM is, and fails", async () => {
    const result = await lms({}, "validate-package", await buildZip({ "tincan.xml": "<tincan/>", "index.html": "x" }), "--json");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      errors: [{ code: "package.xapi_not_scorm", file: "tincan.xml", message: 'This is an xAPI (Tin Can) package ("tincan.xml"), not SCORM: this LMS plays SCORM 1.2 and SCORM 2004 packages only: publish the course from its authoring tool as SCORM' }],
      warnings: [],
    });
  });

  it("prints, as JSON, the warnings of a package that imports: an organization built from the resources, an unknown schemaversion", async () => {
    const files = VALID_PACKAGES["scorm12-no-organization"]!.files;
    const manifest = String(files["imsmanifest.xml"]).replace("<schemaversion>1.2</schemaversion>", "<schemaversion>1.3</schemaversion>");
    const result = await lms({}, "validate-package", await buildZip({ ...files, "imsmanifest.xml": manifest }), "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, scormVersion: "1.2", launchables: [{ identifier: "LESSON" }, { identifier: "QUIZ" }], errors: [] });
    expect(report.warnings.map((warning: { code: string; file: string; element: string }) => [warning.code, warning.file, warning.element])).toEqual([
      ["package.schemaversion_unknown", "imsmanifest.xml", "<metadata><schemaversion>"],
      ["package.organization_built", "imsmanifest.xml", "<organizations>"],
    ]);
  });

  it("refuses a bad limit setting like every command", async () => {
    const result = await lms({ PACKAGE_MAX_RATIO: "abc" }, "validate-package", "/nonexistent.zip");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PACKAGE_MAX_RATIO/);
  });
});
