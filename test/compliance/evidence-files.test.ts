import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("\0\0\0\rIHDR rest of an image", "latin1")]);
const EXE = Buffer.concat([Buffer.from("MZ\x90\0\x03\0\0\0", "latin1"), Buffer.alloc(200, 0x41)]);
const HTML = Buffer.from("<!doctype html><script>alert(document.cookie)</script>", "utf8");

type Agent = ReturnType<typeof request.agent>;

/** Binary bodies as a Buffer, whatever the content type. */
const asBuffer = (response: request.Response) => response.body as Buffer;
const binary = (req: request.Test) => req.buffer(true).parse((res, done) => {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => done(null, Buffer.concat(chunks)));
});

/** An evidence file with a competence held from elsewhere: kept with its record or not at all, and seen only by its learner and L&D. */
describe("evidence files on competences awaiting approval", () => {
  let t: TestApp;
  let competencyId: number;
  let evidenceDir: string;
  beforeAll(async () => {
    t = await createTestApp();
    evidenceDir = path.join(t.config.dataDir, "evidence");
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    competencyId = Number(competency.id);
    await t.db("certifications").insert({ name: "297 Core Skills - Fire Safety - 2 Years", competency_id: competencyId, competence_level: "1 - Assessed", valid_days: 730, complete_within_days: 30, renewable: true });
  });
  afterAll(() => t.cleanup());

  /** Every file under the evidence folder (the uploads folder included), by path relative to it. */
  const storedFiles = (): string[] => (fs.existsSync(evidenceDir) ? (fs.readdirSync(evidenceDir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(evidenceDir, name)).isFile()) : []);

  async function learnerWithForm() {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const page = (await agent.get("/compliance?tab=awaiting").expect(200)).text;
    expect(page).toContain('enctype="multipart/form-data"');
    return { learner, agent, csrf: csrfFrom(page) };
  }

  const sendRecord = (agent: Agent, csrf: string, file: { content: Buffer; name: string } | undefined, fields: Record<string, string> = {}) => {
    const req = agent.post(`/compliance/records`).field("_csrf", csrf).set("Accept", "application/json");
    const all = { competencyId: String(competencyId), achievedOn: "2026-01-15", evidence: "Fire safety at Leeds Teaching Hospitals, certificate 4411", ...fields };
    for (const [name, value] of Object.entries(all)) req.field(name, value);
    return file ? req.attach("file", file.content, file.name) : req;
  };

  it("keeps a PDF with the record under a random name, for its learner and L&D to download, and no other learner", async () => {
    const { learner, agent, csrf } = await learnerWithForm();
    await sendRecord(agent, csrf, { content: PDF, name: "My certificate.pdf" }).expect(303).expect("Location", "/compliance?tab=awaiting");

    const record = await t.db("competence_records").where({ person_id: learner.personId }).first();
    expect(record).toMatchObject({ status: "awaiting_approval", source: "manual" });
    const stored = await t.db("evidence_files").where({ competence_record_id: record.id }).first();
    expect(stored).toMatchObject({ original_name: "My certificate.pdf", content_type: "application/pdf", size_bytes: PDF.length });
    expect(stored.stored_name).toMatch(/^[0-9a-f]{32}$/);
    expect(storedFiles()).toEqual([stored.stored_name]);
    expect(fs.readFileSync(path.join(evidenceDir, stored.stored_name)).equals(PDF)).toBe(true);

    const tab = (await agent.get("/compliance?tab=awaiting").expect(200)).text;
    expect(tab).toContain(`href="/compliance/evidence-files/${stored.id}"`);
    const download = await binary(agent.get(`/compliance/evidence-files/${stored.id}`)).expect(200);
    expect(asBuffer(download).equals(PDF)).toBe(true);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toBe('attachment; filename="My certificate.pdf"');
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(download.headers["cache-control"]).toBe("no-store");

    const other = await buildLearner(t.db, t.clock);
    const otherAgent = await logInAgent(t.app, other.username, other.password);
    const refused = await otherAgent.get(`/compliance/evidence-files/${stored.id}`).expect(404);
    expect(refused.text).not.toContain("%PDF");
    await otherAgent.get(`/admin/evidence-files/${stored.id}`).expect(403);
    await request(t.app).get(`/compliance/evidence-files/${stored.id}`).expect(302).expect("Location", /^\/login\?next=/);

    const staff = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, staff.username, staff.password);
    expect((await admin.get("/admin/approvals").expect(200)).text).toContain(`href="/admin/evidence-files/${stored.id}"`);
    expect((await admin.get(`/admin/people/${learner.personId}`).expect(200)).text).toContain(`href="/admin/evidence-files/${stored.id}"`);
    const asAdmin = await binary(admin.get(`/admin/evidence-files/${stored.id}`)).expect(200);
    expect(asBuffer(asAdmin).equals(PDF)).toBe(true);
    expect(asAdmin.headers["content-disposition"]).toBe('attachment; filename="My certificate.pdf"');
    await admin.get("/admin/evidence-files/999999").expect(404);

    // A name in any language arrives as the browser sent it (UTF-8) and goes back out intact.
    await sendRecord(agent, csrf, { content: PDF, name: 'Zoë cértificat, "v2".pdf' }).expect(303);
    const accented = await t.db("evidence_files").orderBy("id", "desc").first("id", "original_name");
    expect(accented.original_name).toBe("Zoë cértificat_ _v2_.pdf");
    expect((await binary(agent.get(`/compliance/evidence-files/${accented.id}`)).expect(200)).headers["content-disposition"]).toContain("filename*=UTF-8''Zo%C3%AB%20c%C3%A9rtificat_%20_v2_.pdf");
  });

  it("refuses a file that is not a PDF, PNG or JPEG whatever its name, and keeps neither the record nor the file", async () => {
    const before = storedFiles();
    const { learner, agent, csrf } = await learnerWithForm();
    for (const file of [{ content: EXE, name: "certificate.pdf" }, { content: HTML, name: "certificate.pdf" }, { content: PDF, name: "certificate.exe" }, { content: Buffer.alloc(0), name: "empty.pdf" }]) {
      const refused = await sendRecord(agent, csrf, file).expect(400);
      // One problem is the error's message itself; more are its details too (problems.ts's FormRefusal).
      expect([refused.body.error.message, ...refused.body.error.details].join("\n"), file.name).toMatch(/The evidence file must be a PDF, PNG or JPEG|The evidence file is empty/);
    }
    // A good file with a bad record: the file goes too.
    const badRecord = await sendRecord(agent, csrf, { content: PDF, name: "certificate.pdf" }, { achievedOn: "2026-02-30" }).expect(400);
    expect(badRecord.body.error.message).toBe("The date achieved must be a real date (2026-02-30 does not exist)");
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);
    expect(await t.db("evidence_files").join("competence_records", "competence_records.id", "evidence_files.competence_record_id").where("competence_records.person_id", learner.personId)).toEqual([]);
    expect(storedFiles()).toEqual(before);
  });

  it("refuses a file over 5 MB, saying so, and keeps nothing", async () => {
    const before = storedFiles();
    const { learner, agent, csrf } = await learnerWithForm();
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const refused = await sendRecord(agent, csrf, { content: big, name: "scan.pdf" }).expect(400);
    expect(refused.body.error.message).toBe("The file is too large: it must be 5 MB or smaller. Nothing was saved");
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);
    expect(storedFiles()).toEqual(before);
    // Exactly 5 MB is allowed.
    await sendRecord(agent, csrf, { content: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length, 0x20)]), name: "scan.pdf" }).expect(303);
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toHaveLength(1);
  });

  it("still takes the form without a file", async () => {
    const { learner, agent, csrf } = await learnerWithForm();
    await sendRecord(agent, csrf, undefined).expect(303);
    const record = await t.db("competence_records").where({ person_id: learner.personId }).first("id");
    expect(await t.db("evidence_files").where({ competence_record_id: record.id })).toEqual([]);
  });

  it("lets L&D record a competence with a file from Verify a learner: it awaits approval, the audit names who recorded it, and it counts once approved", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const staff = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, staff.username, staff.password);
    const staffAccountId = Number((await t.db("accounts").where({ username_key: staff.username }).first("id")).id);
    const page = (await admin.get(`/admin/people/${learner.personId}`).expect(200)).text;
    expect(page).toContain("Record a competence held from elsewhere");
    const csrf = csrfFrom(page);
    const post = admin.post(`/admin/people/${learner.personId}/records`).field("_csrf", csrf)
      .field("competencyId", String(competencyId)).field("achievedOn", "2026-02-01").field("evidence", "Seen the original at induction")
      .attach("file", PNG, "photo of certificate.png");
    await post.expect(303).expect("Location", `/admin/people/${learner.personId}?done=recorded#competence-records`);

    const record = await t.db("competence_records").where({ person_id: learner.personId }).first();
    expect(record).toMatchObject({ status: "awaiting_approval", source: "manual", evidence: "Seen the original at induction" });
    const stored = await t.db("evidence_files").where({ competence_record_id: record.id }).first();
    expect(stored).toMatchObject({ content_type: "image/png", original_name: "photo of certificate.png", uploaded_by: staffAccountId });
    const recorded = (await listAudit(t.db, { kind: "competence.recorded", personId: learner.personId }))[0];
    expect(recorded).toMatchObject({ actorAccountId: staffAccountId, detail: { recordId: Number(record.id), evidenceFile: { name: "photo of certificate.png", type: "image/png" } } });
    const after = (await admin.get(`/admin/people/${learner.personId}?done=recorded`).expect(200)).text;
    expect(after).toContain("It is awaiting approval.");
    expect(after).toMatch(/Fire Safety - 2 Years<\/span><\/td>[\s\S]*?Awaiting Approval/);

    // The learner sees it on their own tab and may download it: it is theirs.
    const agent = await logInAgent(t.app, learner.username, learner.password);
    expect((await agent.get("/compliance?tab=awaiting").expect(200)).text).toContain(`href="/compliance/evidence-files/${stored.id}"`);
    expect(asBuffer(await binary(agent.get(`/compliance/evidence-files/${stored.id}`)).expect(200)).equals(PNG)).toBe(true);

    await admin.post(`/admin/approvals/${record.id}/approve`).type("form").send({ _csrf: csrf }).expect(303);
    expect((await agent.get("/compliance?tab=all").expect(200)).text).toContain("01-Feb-2026");

    // A person who does not exist: refused, and the upload is not left behind.
    const before = storedFiles();
    await admin.post(`/admin/people/999999/records`).field("_csrf", csrf).field("competencyId", String(competencyId)).field("achievedOn", "2026-02-01").field("evidence", "x").attach("file", PNG, "x.png").expect(404);
    expect(storedFiles()).toEqual(before);
  });

  it("is not for learners: they cannot record for someone else from Verify a learner", async () => {
    const { agent, csrf } = await learnerWithForm();
    const other = await buildLearner(t.db, t.clock);
    await agent.post(`/admin/people/${other.personId}/records`).field("_csrf", csrf).field("competencyId", String(competencyId)).field("achievedOn", "2026-02-01").field("evidence", "x").attach("file", PDF, "x.pdf").expect(403);
    expect(await t.db("competence_records").where({ person_id: other.personId })).toEqual([]);
  });
});
