// Issue 18, observed point 1: a manifest of 200,000 items (a 540 KB zip of two entries) blocked
// the event loop for 8 s and took RSS from 205 MB to 1 GB: only zip entries were limited. Now
// items, resources, files listed, depth and sequencing rules are, each refused by name before the
// manifest is parsed, and the parse runs in a worker thread. The outside review of issue 18 then
// made a player page of 41 MB from 5,000 items whose titles were 3,900 characters each, in a
// manifest of 19.8 MB under a hard-coded cap of 20 MB: the cap is now PACKAGE_MAX_MANIFEST_BYTES,
// and a title keeps its first 200 characters.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { importPackage, PackageError, type PackageLimits } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { countManifest, DEFAULT_MANIFEST_LIMITS } from "../../server/scorm/manifest/manifest-limits.ts";
import { checkManifest, startManifestReader } from "../../server/packages/read-manifest.ts";
import { readManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { createTestDb } from "../support/test-db.ts";
import { rawZip } from "../support/raw-zip.ts";
import { packageRowCounts, storageLeftovers } from "../support/package-state.ts";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { loadConfig } from "../../server/config.ts";

const clock = createClock("2026-03-01T09:00:00Z");

/** A 1.2 manifest of `count` items, each its own SCO, nested `depth` deep along the first. */
function manifestOf(count: number, { depth = 1, filesPerResource = 1, oneResource = false } = {}): string {
  const items = Array.from({ length: count }, (_, n) => `<item identifier="I${n}" identifierref="R${oneResource ? 0 : n}"><title>Part ${n}</title></item>`);
  let tree = items.join("");
  for (let level = 1; level < depth; level++) tree = `<item identifier="G${level}"><title>Group ${level}</title>${tree}</item>`;
  const files = (n: number) => Array.from({ length: filesPerResource }, (_, f) => `<file href="p${n}-${f}.html"/>`).join("");
  const resources = Array.from({ length: oneResource ? 1 : count }, (_, n) => `<resource identifier="R${n}" type="webcontent" adlcp:scormtype="sco" href="p${n}-0.html">${files(n)}</resource>`).join("");
  return `<?xml version="1.0"?><manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Large</title>${tree}</organization></organizations><resources>${resources}</resources></manifest>`;
}

describe("manifest limits", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lms-manifest-limits-"));
  const storage = createLocalStorage(root);
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => {
    await cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const zipOf = (manifest: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-zip-")), "package.zip");
    fs.writeFileSync(file, rawZip([{ name: "imsmanifest.xml", data: manifest, deflate: true }, { name: "p0-0.html", data: "<p>0</p>" }]));
    return file;
  };

  /** Imports and expects a refusal naming the setting, with no row and no file left. */
  async function refused(manifest: string, limits: Partial<PackageLimits>, setting: string) {
    const before = await packageRowCounts(db);
    const error = await importPackage({ db, clock, storage }, zipOf(manifest), { limits }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).code).toBe("package.manifest_too_large");
    expect((error as PackageError).message).toContain(setting);
    expect(await packageRowCounts(db)).toEqual(before);
    expect(storageLeftovers(storage)).toEqual([]);
    return (error as PackageError).message;
  }

  it("counts items, resources, files listed, depth and rules, whatever the prefix or case", () => {
    const text = `<manifest><organizations><organization><item identifier="a"><ims:Item identifier="b"/><item identifier="c"><item identifier="d"></item></item></item></organization></organizations>
      <resources><resource identifier="r"><file href="x"/><FILE href="y"></FILE><dependency identifierref="r2"/></resource><cp:resource identifier="r2"/></resources>
      <imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule/><imsss:exitConditionRule></imsss:exitConditionRule><imsss:postConditionRule/></imsss:sequencingRules>
      <imsss:rollupRules><imsss:rollupRule/></imsss:rollupRules></imsss:sequencing></manifest>`;
    expect(countManifest(text)).toEqual({ items: 4, resources: 2, filesListed: 3, depth: 3, sequencingRules: 4, attributes: 9 });
  });

  it("reads a tag to its end, not to a '>' inside a quoted value: such an item is not self-closed", () => {
    // Valid XML: ">" may stand in an attribute's value. Read to its first ">", each item below
    // seemed self-closed, and 61 levels of nesting passed a limit of 20.
    const nested = (depth: number, quote: string) => `${Array.from({ length: depth }, (_, n) => `<item identifier="d${n}" x=${quote}/>${quote}>`).join("")}${"</item>".repeat(depth)}`;
    expect(countManifest(nested(61, '"')).depth).toBe(61);
    expect(countManifest(nested(61, "'")).depth).toBe(61);
    expect(countManifest(`<item a="/>"/><item b='x'/>`)).toMatchObject({ items: 2, depth: 1, attributes: 2 });
  });

  it("stops a quote left open at the next tag (no value holds '<'), so that a pass over many stays linear", () => {
    // Not tags at all (the parser refuses the document after): read to a closing quote each, this
    // would be 50,000 reads to the end of the text.
    expect(countManifest(`<item x="${"<item y=\"".repeat(50_000)}`)).toMatchObject({ items: 0, attributes: 0 });
    expect(countManifest(`<item x="1"/><item y="${"<item z=\"".repeat(50_000)}<item w="2"/>`)).toMatchObject({ items: 2, attributes: 2 });
  });

  it("refuses the observed manifest of 200,000 items before parsing it, naming PACKAGE_MAX_ITEMS", async () => {
    // As short as the observed one's: 200,000 bare items, inside the 10 MB a manifest may be.
    const items = Array.from({ length: 200_000 }, (_, n) => `<item identifier="i${n}" identifierref="R0"/>`).join("");
    const message = await refused(manifestOf(1).replace("</organization>", `${items}</organization>`), {}, "PACKAGE_MAX_ITEMS");
    expect(message).toContain("The manifest has 200,001 items; the most this LMS takes is 5,000");
  });

  it.each([
    ["items", manifestOf(11), { maxItems: 10 }, "PACKAGE_MAX_ITEMS"],
    ["resources", manifestOf(11), { maxResources: 10 }, "PACKAGE_MAX_RESOURCES"],
    ["files listed", manifestOf(3, { filesPerResource: 4 }), { maxFilesListed: 11 }, "PACKAGE_MAX_FILES_LISTED"],
    ["depth", manifestOf(1, { depth: 4 }), { maxDepth: 3 }, "PACKAGE_MAX_DEPTH"],
    ["attributes", manifestOf(1).replace("<manifest ", `<manifest ${Array.from({ length: 300 }, (_, n) => `a${n}="${n}"`).join(" ")} `), { maxAttributes: 250 }, "PACKAGE_MAX_ATTRIBUTES"],
    ["bytes", manifestOf(40), { maxManifestBytes: 4096 }, "PACKAGE_MAX_MANIFEST_BYTES"],
  ])("refuses a manifest past its limit of %s, as configured", async (_what, manifest, limits, setting) => {
    await refused(manifest, limits, setting);
  });

  it("takes PACKAGE_MAX_MANIFEST_BYTES from the environment, 10 MB unless set, and names it when refusing", async () => {
    expect(loadConfig({}).packageLimits.maxManifestBytes).toBe(10 * 1024 * 1024);
    const limits = loadConfig({ PACKAGE_MAX_MANIFEST_BYTES: "4096" }).packageLimits;
    const manifest = manifestOf(40);
    const message = await refused(manifest, limits, "PACKAGE_MAX_MANIFEST_BYTES");
    expect(message).toContain(`The manifest is ${Buffer.byteLength(manifest).toLocaleString("en-GB")} bytes; the most this LMS takes is 4,096 (PACKAGE_MAX_MANIFEST_BYTES)`);
  });

  it("cuts a title between characters, never inside one (200 code points, not UTF-16 units)", () => {
    const title = `${"é".repeat(199)}😀${"x".repeat(50)}`;
    const reading = readManifest(manifestOf(1).replace("<title>Part 0</title>", `<title>${title}</title>`));
    expect(reading.manifest.launchables[0]!.title).toBe(`${"é".repeat(199)}😀`);
    expect(readManifest(manifestOf(1).replace("<title>Part 0</title>", `<title>${"😀".repeat(150)}</title>`)).warnings.filter((warning) => warning.code === "package.title_shortened")).toEqual([]);
  });

  it("refuses sequencing rules past PACKAGE_MAX_SEQUENCING_RULES", async () => {
    const rules = Array.from({ length: 6 }, () => `<imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>`).join("");
    const manifest = manifestOf(2).replace('<title>Part 1</title>', `<title>Part 1</title><imsss:sequencing xmlns:imsss="http://www.imsglobal.org/xsd/imsss"><imsss:sequencingRules>${rules}</imsss:sequencingRules></imsss:sequencing>`);
    await refused(manifest, { maxSequencingRules: 5 }, "PACKAGE_MAX_SEQUENCING_RULES");
  });

  it("imports a manifest at the default limits", async () => {
    const imported = await importPackage({ db, clock, storage }, zipOf(manifestOf(DEFAULT_MANIFEST_LIMITS.maxItems, { oneResource: true })));
    expect(imported.scos).toBe(DEFAULT_MANIFEST_LIMITS.maxItems);
  }, 120_000);

  it("keeps the first 200 characters of a 4,000-character title, organization's and items', with a warning for each", async () => {
    const long = (start: string) => `${start} ${"x".repeat(4_000)}`;
    const manifest = manifestOf(3, { oneResource: true }).replace(/<title>([^<]*)<\/title>/g, (_, title: string) => `<title>${long(title)}</title>`);
    const imported = await importPackage({ db, clock, storage }, zipOf(manifest));
    expect(imported.title).toBe(long("297 Large").slice(0, 200));
    expect(imported.launchables.map((launchable) => launchable.title)).toEqual([0, 1, 2].map((n) => long(`Part ${n}`).slice(0, 200)));
    const shortened = imported.warnings.filter((warning) => warning.code === "package.title_shortened");
    expect(shortened.map((warning) => warning.element)).toEqual(['<organization identifier="O"><title>', '<item identifier="I0"><title>', '<item identifier="I1"><title>', '<item identifier="I2"><title>']);
    expect(shortened[1]!.message).toBe(`The title of item "I0" is 4,007 characters long; the first 200 are kept (SCORM's smallest permitted maximum for a title)`);
    // What is stored is the short one, everywhere a title is.
    const stored = await db("course_versions").where({ id: imported.courseVersionId }).first("manifest", "title");
    expect(stored.title).toHaveLength(200);
    expect((await db("courses").where({ code: imported.course }).first("title")).title).toHaveLength(200);
    expect(stored.manifest).not.toMatch(/x{201}/);
  }, 60_000);

  it("caps the findings in the worker: twenty of each kind and how many more, not one each for 100,000 missing files", () => {
    const checked = checkManifest(manifestOf(2, { filesPerResource: 60 }), DEFAULT_MANIFEST_LIMITS, ["p0-0.html", "p1-0.html"], []);
    expect(checked.warnings).toHaveLength(21);
    expect(checked.warnings.at(-1)!.message).toBe("... and 98 more problems like the ones above (package.listed_file_missing)");
  });

  it("reads the manifest in a worker thread: the event loop turns while it does, and the reading is the same", async () => {
    const text = manifestOf(DEFAULT_MANIFEST_LIMITS.maxItems);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const reader = startManifestReader();
    const checked = await reader.check(text, DEFAULT_MANIFEST_LIMITS, ["p0-0.html"], []).finally(() => reader.stop());
    clearInterval(ticker);
    // Read on this thread, as before, the interval could not have run at all until it finished.
    expect(turns).toBeGreaterThanOrEqual(3);
    const reading = readManifest(text);
    expect(JSON.parse(checked.manifestJson)).toEqual(reading.manifest);
    expect(checked.summary.launchables).toEqual(reading.manifest.launchables);
  }, 60_000);
});

describe("a course of thousands of items", () => {
  let t: TestApp;
  afterAll(() => t.cleanup());

  it("shows no title longer than 200 characters on the player page or the author's course page", async () => {
    t = await createTestApp();
    const manifest = manifestOf(5).replace(/<title>([^<]*)<\/title>/g, (_, title: string) => `<title>${title} ${"x".repeat(4_000)}</title>`);
    const files = Object.fromEntries([["imsmanifest.xml", manifest], ...[0, 1, 2, 3, 4].map((n) => [`p${n}-0.html`, `<p>${n}</p>`])]);
    const versionId = await importCourseVersion(t, files, "297 Long Titles");
    const courseId = (await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id;
    const learner = await buildLearner(t.db, t.clock);
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const player = (await (await logInAgent(t.app, learner.username, learner.password)).get(`/player/attempts/${attemptId}`).expect(200)).text;
    const author = await buildLearner(t.db, t.clock, { role: "author" });
    const course = (await (await logInAgent(t.app, author.username, author.password)).get(`/author/courses/${courseId}`).expect(200)).text;
    for (const page of [player, course]) {
      expect(page).toMatch(/Part 4 x{193}/); // each item's title, as much of it as is kept
      expect(page).not.toMatch(/x{194}/);
    }
  }, 60_000);

  it("is shown to its author a hundred items a page: the 200,000-item course page was 44 MB", async () => {
    t = await createTestApp();
    const versionId = await importCourseVersion(t, { "imsmanifest.xml": manifestOf(DEFAULT_MANIFEST_LIMITS.maxItems, { oneResource: true }), "p0-0.html": "<p>0</p>" }, "297 Thousands");
    const courseId = (await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id;
    const author = await buildLearner(t.db, t.clock, { role: "author" });
    const agent = await logInAgent(t.app, author.username, author.password);
    const rows = (html: string) => [...html.matchAll(/<tr class="nhsuk-table__row" role="row"><td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Item <\/span>(I\d+)<\/td>/g)].map((match) => match[1]);

    const first = (await agent.get(`/author/courses/${courseId}`).expect(200)).text;
    expect(rows(first)).toEqual(Array.from({ length: 100 }, (_, n) => `I${n}`));
    expect(first).toContain("Showing 1 to 100 of 5,000");
    expect(first).toContain(`href="/author/courses/${courseId}?page=2"`);
    expect(first.length).toBeLessThan(200_000);
    const last = (await agent.get(`/author/courses/${courseId}?page=50`).expect(200)).text;
    expect(rows(last)).toEqual(Array.from({ length: 100 }, (_, n) => `I${4900 + n}`));
    expect(last).toContain("Showing 4,901 to 5,000 of 5,000");
    expect(last).not.toContain("?page=51");
    expect(rows((await agent.get(`/author/courses/${courseId}?page=9999`).expect(200)).text)[0]).toBe("I4900");
    expect(rows((await agent.get(`/author/courses/${courseId}?page=abc`).expect(200)).text)[0]).toBe("I0");
  }, 120_000);
});
