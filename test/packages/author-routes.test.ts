import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import unzipper from "unzipper";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip, writeTempFile } from "../support/build-zip.ts";
import { rawZip } from "../support/raw-zip.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

function packageFiles(title: string, page = "<p>Welcome</p>") {
  return {
    "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="M" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>${title}</title>
    <item identifier="I1" identifierref="R1"><title>Part one</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`,
    "index.html": page,
  };
}

/**
 * An upload refused before its body is read: Node answers, then closes the connection, and the
 * client may still be writing the zip when that happens (EPIPE / ECONNRESET instead of the
 * answer). Either is a refusal; the tests check that nothing was stored.
 */
const CLOSED_WHILE_SENDING = ["EPIPE", "ECONNRESET"];
function outcomeOf(request: PromiseLike<{ status: number }>): Promise<number | string | undefined> {
  return Promise.resolve(request).then(
    (response) => response.status,
    (error: { code?: string; status?: number }) => error.status ?? error.code,
  );
}

describe("the course authors' pages", () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let learner: Awaited<ReturnType<typeof logInAgent>>;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const authorUser = await buildLearner(t.db, t.clock, { name: "Patel, Amir", role: "author" });
    const learnerUser = await buildLearner(t.db, t.clock, { name: "Smith, Jane" });
    author = await logInAgent(t.app, authorUser.username, authorUser.password);
    learner = await logInAgent(t.app, learnerUser.username, learnerUser.password);
    token = csrfFrom((await author.get("/author/courses/upload").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  const upload = async (zip: string, code?: string) => {
    const post = author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", zip);
    return code ? post.field("code", code) : post;
  };

  it("are closed to learners and to visitors", async () => {
    for (const url of ["/author/courses", "/author/courses/upload"]) {
      await learner.get(url).expect(403);
      const anonymous = await request(t.app).get(url).expect(302);
      expect(anonymous.headers.location).toMatch(/^\/login/);
    }
    const zip = await buildZip(packageFiles("297 Sneaky Course"));
    const learnerToken = csrfFrom((await learner.get("/").expect(200)).text);
    expect([403, ...CLOSED_WHILE_SENDING]).toContain(await outcomeOf(learner.post("/author/courses/upload").set("X-CSRF-Token", learnerToken).attach("package", zip)));
    expect(await t.db("courses").where({ code: "297 Sneaky Course" }).first()).toBeUndefined();
  });

  it("upload a package, answer with the validation report and link to the course", async () => {
    const response = await upload(await buildZip({ ...packageFiles("297 Fire Safety - Part 1"), "unused/old.html": "x" }));
    expect(response.status).toBe(201);
    expect(response.body.report).toMatchObject({ ok: true, scormVersion: "2004 4th Edition", errors: [] });
    expect(response.body.report.warnings.map((warning: { code: string }) => warning.code)).toEqual(["package.unused_files"]);
    expect(response.body.course).toMatchObject({ code: "297 Fire Safety - Part 1", version: 1, contents: "1 SCO, 3 files" });
    expect(response.body.report).toMatchObject({ fileCount: 3, launchables: [{ identifier: "I1", title: "Part one", scormType: "sco", launch: "index.html" }] });
    const page = await author.get(response.body.course.url).expect(200);
    expect(page.text).toContain("297 Fire Safety - Part 1");
    expect(page.text).toContain("2004 4th Edition");
    expect(page.text).toContain("Part one");
    expect(page.text).toContain("Download version 1");
    const list = await author.get("/author/courses").expect(200);
    expect(list.text).toContain("297 Fire Safety - Part 1");
  });

  it("offer Upload a new version with the course's code filled in", async () => {
    const id = await t.db("courses").where({ code: "297 Fire Safety - Part 1" }).first("id");
    const page = await author.get(`/author/courses/${id.id}`).expect(200);
    const link = /href="(\/author\/courses\/upload\?code=[^"]+)"/.exec(page.text)![1]!;
    const form = await author.get(link.replace(/&amp;/g, "&")).expect(200);
    expect(form.text).toContain('value="297 Fire Safety - Part 1"');
    expect(form.text).toContain("This upload becomes version 2 of <strong>297 Fire Safety - Part 1</strong>");
  });

  it("refuse a version that is not a number", async () => {
    const id = await t.db("courses").where({ code: "297 Fire Safety - Part 1" }).first("id");
    const response = await author.get(`/author/courses/${id.id}/versions/abc/package.zip`).set("Accept", "application/json");
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain('Version "abc"');
  });

  it("add a version when the same course code is uploaded again, and let either version be downloaded", async () => {
    const response = await upload(await buildZip(packageFiles("A different title", "<p>Second edition</p>")), "297 Fire Safety - Part 1");
    expect(response.body.course).toMatchObject({ version: 2 });
    const url = response.body.course.url as string;
    const expected = { 1: ["imsmanifest.xml", "index.html", "unused/old.html"], 2: ["imsmanifest.xml", "index.html"] };
    for (const [version, text] of [[1, "Welcome"], [2, "Second edition"]] as const) {
      const download = await author.get(`${url}/versions/${version}/package.zip`).buffer(true).parse(binary).expect(200);
      expect(download.headers["content-type"]).toBe("application/zip");
      expect(download.headers["content-disposition"]).toMatch(/attachment/);
      const zip = await unzipper.Open.buffer(download.body as Buffer);
      expect(zip.files.map((file) => file.path).sort()).toEqual(expected[version]);
      const page = zip.files.find((file) => file.path === "index.html")!;
      expect((await page.buffer()).toString()).toContain(text);
    }
  });

  it("refuse a hostile package with its reason and store nothing", async () => {
    const before = Number((await t.db("course_versions").count({ count: "*" }).first())?.count);
    const files = packageFiles("297 Hostile");
    const hostile = rawZip(Object.entries({ ...files, "../escape.html": "x" }).map(([name, data]) => ({ name, data })));
    const response = await upload(writeTempFile(hostile));
    expect(response.status).toBe(422);
    expect(response.body.report).toMatchObject({ ok: false, errors: [{ code: "package.unsafe_path", message: expect.stringContaining("../escape.html") }] });
    expect(Number((await t.db("course_versions").count({ count: "*" }).first())?.count)).toBe(before);
    expect(await t.db("courses").where({ code: "297 Hostile" }).first()).toBeUndefined();
    expect(fs.readdirSync(path.join(t.config.dataDir, "packages", ".uploads"))).toEqual([]);
  });

  it("list every blocking problem of a package at once, each naming its file", async () => {
    const files = VALID_PACKAGES["scorm12-multi-sco"]!.files;
    const broken = Object.fromEntries(Object.entries(files).filter(([name]) => !name.startsWith("sco1/") && !name.startsWith("sco3/")));
    const response = await upload(await buildZip(broken));
    expect(response.status).toBe(422);
    const errors = response.body.report.errors as Array<{ code: string; file?: string }>;
    expect(errors.map((error) => [error.code, error.file])).toEqual([
      ["package.launch_missing", "sco1/index.html"],
      ["package.launch_missing", "sco3/index.html"],
    ]);
  });

  it.each([
    ["an AICC package", { "course.crs": "[Course]", "course.au": "x", "course.des": "x", "course.cst": "x", "index.html": "x" }, "package.aicc_not_scorm",
      'This is an AICC package ("course.crs", "course.au", "course.des", "course.cst"), not SCORM'],
    ["an xAPI (Tin Can) package", { "tincan.xml": "<tincan/>", "story.html": "x" }, "package.xapi_not_scorm", 'This is an xAPI (Tin Can) package ("tincan.xml"), not SCORM'],
    ["a cmi5 package", { "cmi5.xml": "<courseStructure/>", "au/index.html": "x" }, "package.cmi5_not_scorm", 'This is a cmi5 package ("cmi5.xml"), not SCORM'],
  ])("say that %s is not SCORM, on the page, and store nothing", async (_what, files, code, message) => {
    const before = Number((await t.db("course_versions").count({ count: "*" }).first())?.count);
    const response = await author.post(`/author/courses/upload`).field("_csrf", token).set("Accept", "text/html").attach("package", await buildZip(files));
    expect(response.status).toBe(422);
    const page = textOf(response.text);
    expect(page).toContain("The package was not imported");
    expect(page).toContain(`${message}: this LMS plays SCORM 1.2 and SCORM 2004 packages only`);
    // The words alone: the code is for the JSON API and the command, not for the author's page.
    expect(page).not.toContain(`(${code})`);
    expect(page).not.toContain(code);
    expect(Number((await t.db("course_versions").count({ count: "*" }).first())?.count)).toBe(before);
    expect(fs.readdirSync(path.join(t.config.dataDir, "packages", ".uploads"))).toEqual([]);
  });

  it("show on the page that a course was built from the package's resources", async () => {
    const response = await author.post(`/author/courses/upload`).field("_csrf", token).set("Accept", "text/html").attach("package", await buildZip(VALID_PACKAGES["scorm2004-no-organization"]!.files));
    expect(response.status).toBe(201);
    expect(response.text).toContain("Imported: 297 Test 2004 No Organization, version 1");
    expect(textOf(response.text)).toContain("SCORM 2004 4th Edition, 2 SCOs, ")
    expect(textOf(response.text)).toMatch(/The manifest has no <organization>: the course was built from its 2 SCO resources "PART-1", "PART-2", one item each in the order the manifest lists them\. .*? \(imsmanifest\.xml <organizations>\)<\/li>/);
  });

  it("refuse an upload without the form's CSRF token", async () => {
    const zip = await buildZip(packageFiles("297 Forged Upload"));
    expect([403, ...CLOSED_WHILE_SENDING]).toContain(await outcomeOf(author.post("/author/courses/upload").attach("package", zip)));
    expect(await t.db("courses").where({ code: "297 Forged Upload" }).first()).toBeUndefined();
  });

  it("work without script: the form posts and the page shows the report", async () => {
    const zip = await buildZip(packageFiles("297 No Script Course"));
    const response = await author.post(`/author/courses/upload`).field("_csrf", token).set("Accept", "text/html").attach("package", zip);
    expect(response.status).toBe(201);
    expect(response.text).toContain("Imported: 297 No Script Course, version 1");
    expect(textOf(response.text)).toContain("SCORM 2004 4th Edition, 1 SCO, 2 files.");
  });

  it("say clearly when no file was chosen", async () => {
    const response = await author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).field("code", "x");
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/Choose a SCORM package/);
  });

  it("escape course titles, which come from untrusted packages", async () => {
    const response = await upload(await buildZip(packageFiles("297 &lt;script&gt;alert(1)&lt;/script&gt;")));
    expect(response.status).toBe(201);
    const list = await author.get("/author/courses").expect(200);
    expect(list.text).not.toContain("<script>alert(1)</script>");
    expect(list.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

/** A page's text as the reader sees it: the entities EJS escapes with, decoded. */
function textOf(html: string): string {
  return html.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
}
