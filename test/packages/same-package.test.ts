// Issue 20, authors: uploading the identical package again silently made a new version, a
// failed import and the upload form's own problems did not follow the NHS error pattern, and a
// preview's result was shown nowhere. On SQLite, and on PostgreSQL with DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip, writeTempFile } from "../support/build-zip.ts";
import { rawZip } from "../support/raw-zip.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

function packageFiles(title: string, page = "<p>Welcome</p>") {
  return {
    "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="M" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>${title}</title>
    <item identifier="I1" identifierref="R1"><title>Part one</title></item><item identifier="I2" identifierref="R2"><title>Part two</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="index.html"><file href="index.html"/></resource>
  <resource identifier="R2" type="webcontent" adlcp:scormType="sco" href="two.html"><file href="two.html"/></resource></resources>
</manifest>`,
    "index.html": page,
    "two.html": "<p>Part two</p>",
  };
}

const GUIDE_MOMENT = /\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}/;

describe("an author uploading a package the course already has", () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let learner: Awaited<ReturnType<typeof logInAgent>>;
  let token: string;
  let authorPersonId: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOADS_PER_QUARTER_HOUR: "1000", AUTHOR_UPLOADS_PER_DAY: "1000" } });
    const authorUser = await buildLearner(t.db, t.clock, { name: "Patel, Amir", role: "author" });
    authorPersonId = authorUser.personId;
    const learnerUser = await buildLearner(t.db, t.clock, { name: "Smith, Jane" });
    author = await logInAgent(t.app, authorUser.username, authorUser.password);
    learner = await logInAgent(t.app, learnerUser.username, learnerUser.password);
    token = csrfFrom((await author.get("/author/courses/upload").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  const upload = (zip: string, fields: Record<string, string> = {}) => {
    let post = author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    return post.attach("package", zip);
  };
  const versionsOf = async (code: string) =>
    t.db("course_versions").join("courses", "courses.id", "course_versions.course_id").where("courses.code", code).orderBy("version").select("version", "content_hash");
  const uploadsLeft = () => fs.readdirSync(path.join(t.config.dataDir, "packages", ".uploads"));

  it("is told which version it already is, and nothing is imported", async () => {
    const code = "297 Same Package";
    const zip = await buildZip(packageFiles(code));
    expect((await upload(zip)).status).toBe(201);
    const audits = Number((await t.db("audit_events").count({ n: "*" }).first())?.n);

    const again = await upload(zip);
    expect(again.status).toBe(409);
    expect(again.body.samePackage).toMatchObject({ course: code, version: 1, url: expect.stringMatching(/^\/author\/courses\/\d+$/) });
    expect(again.body.samePackage.message).toMatch(new RegExp(`^This is the same package as version 1, imported on ${GUIDE_MOMENT.source}$`));
    expect((await versionsOf(code)).map((row) => row.version)).toEqual([1]);
    expect(Number((await t.db("audit_events").count({ n: "*" }).first())?.n)).toBe(audits);
    expect(uploadsLeft()).toEqual([]);
  });

  it("is recognised however the same files were zipped: another order, stored instead of deflated", async () => {
    const code = "297 Same Package";
    const files = Object.entries(packageFiles(code)).reverse().map(([name, data]) => ({ name, data }));
    const rezipped = await upload(writeTempFile(rawZip(files)));
    expect(rezipped.status).toBe(409);
    expect(rezipped.body.samePackage.version).toBe(1);
  });

  it("is not asked about a package whose files changed, nor about the same files under another course code", async () => {
    const code = "297 Same Package";
    const changed = await upload(await buildZip(packageFiles(code, "<p>Welcome, second edition</p>")));
    expect(changed.status).toBe(201);
    expect(changed.body.course.version).toBe(2);
    const elsewhere = await upload(await buildZip(packageFiles(code)), { code: "297 Another Course" });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.course).toMatchObject({ code: "297 Another Course", version: 1 });
  });

  it("makes a new version only when the author confirms, and the audit says it was the same package", async () => {
    const code = "297 Same Package";
    const confirmed = await upload(await buildZip(packageFiles(code)), { newVersionAnyway: "yes" });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.course.version).toBe(3);
    const versions = await versionsOf(code);
    expect(versions.map((row) => row.version)).toEqual([1, 2, 3]);
    expect(versions[0].content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(versions[2].content_hash).toBe(versions[0].content_hash);
    expect(versions[1].content_hash).not.toBe(versions[0].content_hash);
    const audit = await t.db("audit_events").where({ kind: "package.imported" }).orderBy("id", "desc").first("detail");
    expect(JSON.parse(String(audit.detail))).toMatchObject({ course: code, version: 3, sameAsVersion: 1 });
    // Asked again, it names the newest version of that content.
    expect((await upload(await buildZip(packageFiles(code)))).body.samePackage.version).toBe(3);
  });

  it("of two identical uploads at the same moment, imports one and asks about the other", async () => {
    const zip = await buildZip(packageFiles("297 Raced Package"));
    const answers = await Promise.all([upload(zip), upload(zip)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect((await versionsOf("297 Raced Package")).map((row) => row.version)).toEqual([1]);
  });

  it("without script, asks on the page: Yes sends the package again with newVersionAnyway, No goes back to the course", async () => {
    const code = "297 <b>Same</b> Package";
    const zip = await buildZip(packageFiles("297 &lt;b&gt;Same&lt;/b&gt; Package"));
    expect((await author.post("/author/courses/upload").field("_csrf", token).set("Accept", "text/html").attach("package", zip)).status).toBe(201);
    const page = await author.post("/author/courses/upload").field("_csrf", token).set("Accept", "text/html").attach("package", zip);
    expect(page.status).toBe(409);
    expect(page.text).toMatch(new RegExp(`This is the same package as version 1, imported on ${GUIDE_MOMENT.source}\\. Nothing was imported\\.`));
    expect(page.text).toContain("Do you want to import it again as a new version anyway?");
    expect(page.text).toMatch(/<input type="hidden" name="newVersionAnyway" value="yes">/);
    expect(page.text).toMatch(/<input type="hidden" name="code" value="">/);
    expect(page.text).not.toContain(code);
    expect(page.text).toContain("Yes, import it as a new version");
    expect(page.text).toMatch(/<a class="nhsuk-link" href="\/author\/courses\/\d+">No, keep version 1<\/a>/);
    expect((await versionsOf("297 <b>Same</b> Package")).map((row) => row.version)).toEqual([1]);
    // Review of issue 20: "Yes" is a real form's submit button, in a form that posts a file chosen
    // again with newVersionAnyway=yes, so it works without script.
    const question = /<form method="post" action="\/author\/courses\/upload" enctype="multipart\/form-data" novalidate data-same-package-form>([\s\S]*?)<\/form>/.exec(page.text)?.[1] ?? "";
    expect(question).toMatch(/<input class="nhsuk-file-upload" id="package-again" name="package" type="file"/);
    expect(question).toMatch(/<label class="nhsuk-label" for="package-again">Choose the same package again<\/label>/);
    expect(question).toMatch(/<button class="nhsuk-button nhsuk-button--secondary" type="submit" data-new-version-anyway>Yes, import it as a new version<\/button>/);
    const hidden = Object.fromEntries([...question.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, value!]));
    expect(hidden).toEqual({ _csrf: expect.any(String), newVersionAnyway: "yes", code: "" });
    // Submitted as the browser would: its fields, and the file chosen again.
    let yes = author.post("/author/courses/upload").set("Accept", "text/html");
    for (const [name, value] of Object.entries(hidden)) yes = yes.field(name, value);
    const answered = await yes.attach("package", zip);
    expect(answered.status).toBe(201);
    expect(answered.text).toContain("version 2");
    expect((await versionsOf("297 <b>Same</b> Package")).map((row) => row.version)).toEqual([1, 2]);
  });

  it("without script, Yes with no file chosen again says so at the file field, and imports nothing", async () => {
    const before = Number((await t.db("course_versions").count({ n: "*" }).first())?.n);
    const response = await author.post("/author/courses/upload").set("Accept", "text/html").field("_csrf", token).field("newVersionAnyway", "yes").field("code", "");
    expect(response.status).toBe(400);
    expectErrorPattern(response.text, [{ field: "package", message: "Choose the same package again to import it as a new version" }]);
    expect(Number((await t.db("course_versions").count({ n: "*" }).first())?.n)).toBe(before);
  });
});

describe("the upload form and a refused package, in the NHS error pattern", () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const user = await buildLearner(t.db, t.clock, { name: "Patel, Amir", role: "author" });
    author = await logInAgent(t.app, user.username, user.password);
    token = csrfFrom((await author.get("/author/courses/upload").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  it("lists every problem of the form at once, each linked to its field, and stores nothing", async () => {
    const response = await author.post("/author/courses/upload").set("Accept", "text/html").field("_csrf", token).field("code", "c".repeat(201)).field("other", "x");
    expect(response.status).toBe(400);
    expectErrorPattern(response.text, [
      { field: "package", message: "Choose a SCORM package (.zip) to upload" },
      { field: "code", message: "The course code must be 200 characters or fewer" },
    ]);
    expect(response.text).toContain('value="' + "c".repeat(201) + '"');
    expect(Number((await t.db("courses").count({ n: "*" }).first())?.n)).toBe(0);
  });

  it("links each of a refused package's problems to the file field, with the message beside it", async () => {
    const response = await author.post("/author/courses/upload").set("Accept", "text/html").field("_csrf", token).attach("package", await buildZip({ "tincan.xml": "<tincan/>", "index.html": "x" }));
    expect(response.status).toBe(422);
    expectErrorPattern(response.text, [{ field: "package", message: 'This is an xAPI (Tin Can) package ("tincan.xml"), not SCORM' }]);
    expect(response.text).toContain("The package was not imported");
    expect(response.text).toContain("nhsuk-form-group--error");
  });

  // Review of issue 20: a broken zip's summary ended in "(package.truncated)", a code for logs.
  it("shows only the words of a refused package's problem, not its code", async () => {
    const cut = writeTempFile(fs.readFileSync(await buildZip(packageFiles("297 Cut Short"))).subarray(0, 300));
    const response = await author.post("/author/courses/upload").set("Accept", "text/html").field("_csrf", token).attach("package", cut);
    expect(response.status).toBe(422);
    expectErrorPattern(response.text, [{ field: "package", message: "The zip is incomplete: it may have been cut short while uploading or copying" }]);
    expect(response.text).not.toContain("package.truncated");
    expect(response.text).not.toContain('class="app-code"');
  });
});

describe("what a preview reported, on the author's course page", () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let other: Awaited<ReturnType<typeof logInAgent>>;
  let learner: Awaited<ReturnType<typeof logInAgent>>;
  let token: string;
  let courseId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const authorUser = await buildLearner(t.db, t.clock, { name: "Patel, Amir", role: "author" });
    const otherUser = await buildLearner(t.db, t.clock, { name: "Jones, Ann", role: "author" });
    const learnerUser = await buildLearner(t.db, t.clock, { name: "Smith, Jane" });
    author = await logInAgent(t.app, authorUser.username, authorUser.password);
    other = await logInAgent(t.app, otherUser.username, otherUser.password);
    learner = await logInAgent(t.app, learnerUser.username, learnerUser.password);
    token = csrfFrom((await author.get("/author/courses/upload").expect(200)).text);
    const imported = await author.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", await buildZip(packageFiles("297 Previewed Course")));
    courseId = Number(/\d+$/.exec(imported.body.course.url)![0]);
  });
  afterAll(() => t.cleanup());

  /** Starts a preview as the page's button does, and stores what its SCOs reported, as the runtime keeps it. */
  async function preview(agent: typeof author, reported: Array<{ sco: string; performance: string; completion: string; success: string; score: number | null; ms: number }>): Promise<number> {
    const csrf = csrfFrom((await agent.get(`/author/courses/${courseId}`).expect(200)).text);
    const started = await agent.post(`/author/courses/${courseId}/versions/1/preview`).type("form").send({ _csrf: csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)$/.exec(String(started.headers.location))![1]);
    for (const row of reported) {
      await t.db("attempt_scos").insert({ attempt_id: attemptId, sco_identifier: row.sco, cmi: "{}", updated_at: "2026-03-01T09:05:00.000Z", performance_status: row.performance, completion_status: row.completion, success_status: row.success, score_scaled: row.score, total_time_ms: row.ms });
    }
    return attemptId;
  }

  it("says, before any preview, that one shows what the course reports", async () => {
    const page = await author.get(`/author/courses/${courseId}`).expect(200);
    expect(page.text).toContain("Preview a version to see here what the course reports: its status, success, score and time.");
  });

  it("shows each SCO's status, success, score and time from the author's newest preview", async () => {
    await preview(author, [{ sco: "I1", performance: "Incomplete", completion: "incomplete", success: "unknown", score: null, ms: 5_000 }]);
    await preview(author, [
      { sco: "I1", performance: "Passed", completion: "completed", success: "passed", score: 0.8, ms: 192_500 },
      { sco: "I2", performance: "Failed", completion: "completed", success: "failed", score: 0.4, ms: 61_000 },
    ]);
    // Another author's preview is theirs, not this author's.
    await preview(other, [{ sco: "I1", performance: "Completed", completion: "completed", success: "unknown", score: 0.99, ms: 1_000 }]);

    const page = (await author.get(`/author/courses/${courseId}`).expect(200)).text;
    const section = page.slice(page.indexOf('id="previews"'));
    const row = (sco: string) => {
      const html = new RegExp(`<tr class="nhsuk-table__row" role="row" data-sco="${sco}">([\\s\\S]*?)</tr>`).exec(section)?.[1] ?? "";
      return Object.fromEntries([...html.matchAll(/data-field="(\w+)"><span[^>]*>[^<]*<\/span>([^<]*)<\/td>/g)].map(([, field, value]) => [field, value!.trim()]));
    };
    expect(row("I1")).toEqual({ status: "Passed", success: "Passed", score: "80%", time: "3 min 13 s" });
    expect(row("I2")).toEqual({ status: "Failed", success: "Failed", score: "40%", time: "1 min 1 s" });
    expect(section).toContain("Part one");
    expect(section).toContain("Part two");
    expect(section).not.toContain("99%");
    expect(section).toMatch(/Version 1, previewed <span class="app-nowrap">\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}<\/span>/);

    const theirs = (await other.get(`/author/courses/${courseId}`).expect(200)).text;
    expect(theirs.slice(theirs.indexOf('id="previews"'))).toContain("99%");
  });

  it("is the authors' alone", async () => {
    await learner.get(`/author/courses/${courseId}`).expect(403);
  });

  // Review of issue 20: a version imported by the command line (lms import-package, lms seed-demo
  // before it imported as the demo author) said "system" in its By column.
  it("names the author who imported a version, and a version imported with no account in a person's words", async () => {
    expect((await author.get(`/author/courses/${courseId}`).expect(200)).text).toMatch(/aria-hidden="true">By <\/span>[^<\s]+<\/td>/);
    await t.db("course_versions").where({ course_id: courseId }).update({ imported_by: null });
    const page = (await author.get(`/author/courses/${courseId}`).expect(200)).text;
    expect(page).toContain('aria-hidden="true">By </span>The LMS\'s setup</td>');
    expect(page).not.toMatch(/>\s*system\s*</);
  });
});
