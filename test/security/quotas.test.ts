// Issue 18, observed point 2: a learner posted 25 evidence files of 5 MB in 4 s, with no quota, no
// rate limit, no cap on records awaiting approval and no check of free space. Each limit is
// configured small here and proven with the real app: refused with a message naming the limit,
// and nothing written (no record, no stored file, not even multer's landing folder where the
// refusal comes before the body is read).
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawPost } from "../support/raw-post.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip } from "../support/build-zip.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

type Agent = ReturnType<typeof request.agent>;

/** A PDF of about this many bytes: what the evidence check takes for one. */
const pdf = (bytes: number) => Buffer.concat([Buffer.from("%PDF-1.4\n", "latin1"), Buffer.alloc(Math.max(0, bytes - 15), 0x20), Buffer.from("\n%%EOF\n", "latin1")]);

async function appWith(env: Record<string, string>) {
  const t = await createTestApp({ env });
  const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
  const learner = await buildLearner(t.db, t.clock);
  const agent = await logInAgent(t.app, learner.username, learner.password);
  const csrf = csrfFrom((await agent.get("/compliance?tab=awaiting").expect(200)).text);
  const record = (file?: Buffer) => {
    const req = agent.post("/compliance/records").field("_csrf", csrf).set("Accept", "application/json").field("competencyId", String(competency.id ?? competency)).field("achievedOn", "2026-01-15").field("evidence", "Fire safety at my last trust");
    return file ? req.attach("file", file, "certificate.pdf") : req;
  };
  const evidence = path.join(t.config.dataDir, "evidence");
  const stored = async () => ({ records: Number((await t.db("competence_records").count({ n: "*" }).first())!.n), files: fs.existsSync(evidence) ? (fs.readdirSync(evidence, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(evidence, name)).isFile()).length : 0 });
  return { t, learner, agent, csrf, record, stored, uploadsFolder: path.join(evidence, ".uploads") };
}

describe("quotas on what one person can store", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.cleanup();
  });

  it("keeps a learner's evidence within EVIDENCE_QUOTA_MB, refusing the file that would pass it", async () => {
    const { t, record, stored } = await appWith({ EVIDENCE_QUOTA_MB: "1" });
    apps.push(t);
    await record(pdf(600 * 1024)).expect(303);
    const before = await stored();
    const refused = await record(pdf(600 * 1024)).expect(413);
    expect(refused.body.error.code).toBe("evidence.quota");
    expect(refused.body.error.message).toMatch(/0\.6 MB of 1\.0 MB is used\. Nothing was saved/);
    expect(await stored()).toEqual(before);
    await record(pdf(300 * 1024)).expect(303); // what still fits is kept
  });

  it("refuses evidence that cannot fit before reading a byte of it: multer never starts", async () => {
    const { t, learner, agent, csrf, stored, uploadsFolder } = await appWith({ EVIDENCE_QUOTA_MB: "1" });
    apps.push(t);
    // What the learner keeps already, straight in the database.
    const [recordRow] = await t.db("competence_records").insert({ person_id: learner.personId, competency_id: (await t.db("competencies").first("id")).id, level: "1 - Assessed", achieved_on: "2026-01-01", source: "manual", status: "approved", evidence: "x", created_at: "2026-01-02T00:00:00Z" }).returning("id");
    await t.db("evidence_files").insert({ competence_record_id: recordRow.id ?? recordRow, stored_name: "0".repeat(32), original_name: "old.pdf", content_type: "application/pdf", size_bytes: 1024 * 1024 - 10, sha256: "0".repeat(64), uploaded_by: null, created_at: "2026-01-02T00:00:00Z" });
    const before = await stored();
    // A browser declares a form's length up front. This one declares 50 MB and sends only its
    // first fields: an LMS that read the body before deciding would wait for the rest for ever.
    const answer = await rawPost(t.app, agent, "/compliance/records", { "Content-Type": "multipart/form-data; boundary=b", "Content-Length": String(50 * 1024 * 1024) }, (req) => {
      req.write(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\n\r\n%PDF-1.4\n`);
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe("evidence.quota");
    expect(fs.readdirSync(uploadsFolder)).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it("keeps at most EVIDENCE_QUOTA_FILES evidence files for a learner", async () => {
    const { t, record, stored } = await appWith({ EVIDENCE_QUOTA_FILES: "2", AWAITING_APPROVAL_MAX: "10" });
    apps.push(t);
    for (let n = 0; n < 2; n++) await record(pdf(2048)).expect(303);
    const before = await stored();
    expect((await record(pdf(2048)).expect(413)).body.error.message).toMatch(/2 of 2 are kept already/);
    expect(await stored()).toEqual(before);
  });

  it("keeps at most AWAITING_APPROVAL_MAX records awaiting approval for a learner", async () => {
    const { t, record, stored } = await appWith({ AWAITING_APPROVAL_MAX: "3" });
    apps.push(t);
    for (let n = 0; n < 3; n++) await record().expect(303);
    const before = await stored();
    const refused = await record().expect(409);
    expect(refused.body.error.code).toBe("approvals.too_many_awaiting");
    expect(await stored()).toEqual(before);
  });

  it("limits one account's uploads in a quarter-hour, counted in the database", async () => {
    const { t, record } = await appWith({ AWAITING_APPROVAL_MAX: "100", EVIDENCE_QUOTA_FILES: "100" });
    apps.push(t);
    for (let n = 0; n < 30; n++) await record().expect(303);
    const refused = await record().expect(429);
    expect(refused.body.error.message).toMatch(/Too many uploads from your account\. Wait \d+ minute/);
    expect(await t.db("request_throttle").where("bucket", "like", "upload:account:%").first("hits")).toMatchObject({ hits: 31 });
  });

  it("lets an author import AUTHOR_UPLOADS_PER_DAY packages in 24 hours", async () => {
    const t = await createTestApp({ env: { AUTHOR_UPLOADS_PER_DAY: "1" } });
    apps.push(t);
    const author = await buildLearner(t.db, t.clock, { role: "author" });
    const agent = await logInAgent(t.app, author.username, author.password);
    const token = csrfFrom((await agent.get("/author/courses/upload").expect(200)).text);
    const zip = await buildZip(VALID_PACKAGES["scorm12-single"]!.files);
    await agent.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", zip).expect(201);
    const versions = await t.db("course_versions").count({ n: "*" }).first();
    const refused = await agent.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", zip).expect(429);
    expect(refused.body.error.message).toMatch(/imported 1 packages in the last 24 hours.*AUTHOR_UPLOADS_PER_DAY/);
    expect(await t.db("course_versions").count({ n: "*" }).first()).toEqual(versions);
  });
});

describe("the disk's free space", () => {
  let t: TestApp;
  let admin: { agent: Agent; csrf: string; personId: number };
  let author: { agent: Agent; csrf: string };
  let learner: { agent: Agent; csrf: string };
  beforeAll(async () => {
    // A floor no disk has above it: every upload is one the disk cannot take.
    t = await createTestApp({ env: { DISK_FREE_FLOOR_MB: "100000000" } });
    const logIn = async (role?: "admin" | "author") => {
      const person = await buildLearner(t.db, t.clock, role ? { role } : {});
      const agent = await logInAgent(t.app, person.username, person.password);
      return { agent, csrf: csrfFrom((await agent.get("/account/password").expect(200)).text), personId: person.personId };
    };
    admin = await logIn("admin");
    author = await logIn("author");
    learner = await logIn();
  });
  afterAll(() => t.cleanup());

  it("refuses every kind of upload below DISK_FREE_FLOOR_MB, with nothing written", async () => {
    const zip = await buildZip(VALID_PACKAGES["scorm12-single"]!.files);
    const uploads: Array<[string, request.Test]> = [
      ["evidence", learner.agent.post("/compliance/records").field("_csrf", learner.csrf).field("competencyId", "1").field("achievedOn", "2026-01-15").field("evidence", "x").attach("file", pdf(4096), "c.pdf")],
      ["package", author.agent.post("/author/courses/upload").set("X-CSRF-Token", author.csrf).attach("package", zip)],
      ["people CSV", admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).attach("file", Buffer.from("last name,first name\n"), "people.csv")],
      ["records file", admin.agent.post(`/admin/people/${learner.csrf ? admin.personId : 0}/records/import`).field("_csrf", admin.csrf).attach("file", Buffer.from("{}"), "records.json")],
    ];
    for (const [name, upload] of uploads) {
      const refused = await upload.set("Accept", "application/json");
      expect(refused.status, name).toBe(507);
      expect(refused.body.error.message, name).toMatch(/short of disk space.*nothing was saved/);
    }
    const files = (fs.readdirSync(t.config.dataDir, { recursive: true }) as string[]).filter((name) => /^(evidence|packages)\//.test(name) && fs.statSync(path.join(t.config.dataDir, name)).isFile());
    expect(files.filter((name) => !name.endsWith(".lms-package-storage"))).toEqual([]);
    expect(Number((await t.db("course_versions").count({ n: "*" }).first())!.n)).toBe(0);
  });
});
