import { expectErrorPattern } from "../support/error-pattern.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";

/** Awaiting Approval: a competence held from elsewhere counts only once L&D approve it. */
describe("competences awaiting approval", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let competencyId: number;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    competencyId = Number(competency.id);
    await t.db("certifications").insert({ name: "297 Core Skills - Fire Safety - 2 Years", competency_id: competencyId, competence_level: "1 - Assessed", valid_days: 730, complete_within_days: 30, renewable: true });
    await buildLearner(t.db, t.clock); // makes the organisation and the position
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: competencyId, essential: true });
  });
  afterAll(() => t.cleanup());

  const statusOf = async (agent: Awaited<ReturnType<typeof logInAgent>>) =>
    /data-competency="NHS\|CSTF\|Fire Safety - 2 Years\|"[^>]*>[\s\S]*?app-status--\w+">(\w+)</.exec((await agent.get("/compliance").expect(200)).text)?.[1];

  it("records one from elsewhere, shows it awaiting, and counts it once approved; a rejection says why and counts nothing", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    expect(await statusOf(agent)).toBe("Red");
    const tab = (await agent.get("/compliance?tab=awaiting").expect(200)).text;
    expect(tab).toContain("Record a competence held from elsewhere");
    const csrf = csrfFrom(tab);

    const bad = await agent.post("/compliance/records").type("form").send({ _csrf: csrf, competencyId: String(competencyId), achievedOn: "2026-02-30", evidence: "" }).expect(400);
    // The NHS error pattern: every problem at once, each beside its field; 2026-02-30 is not told to use the format it uses.
    expectErrorPattern(bad.text, [
      { field: "achievedOn", message: "The date achieved must be a real date (2026-02-30 does not exist)" },
      { field: "evidence", message: "Say where it was achieved (evidence), so that Learning and Development can check it" },
    ]);
    const worse = await agent.post("/compliance/records").type("form").send({ _csrf: csrf, competencyId: "999999", achievedOn: "15/01/2026", expiresOn: "2025-13-01", evidence: "x" }).expect(400);
    expectErrorPattern(worse.text, [
      { field: "competencyId", message: "Choose the competency you hold" },
      { field: "achievedOn", message: "The date achieved must be a date written like 2027-03-31" },
      { field: "expiresOn", message: "The expiry date must be a real date (2025-13-01 does not exist), or leave it empty" },
    ]);
    expect(bad.text).toContain("Record a competence held from elsewhere"); // the form comes back, as typed
    expect(bad.text).toContain('value="2026-02-30"');
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);

    await agent.post("/compliance/records").type("form").send({ _csrf: csrf, competencyId: String(competencyId), achievedOn: "2026-01-15", evidence: "Fire safety at Leeds Teaching Hospitals, certificate 4411" }).expect(303).expect("Location", "/compliance?tab=awaiting");
    expect((await agent.get("/compliance?tab=awaiting").expect(200)).text).toContain("15-Jan-2026");
    expect(await statusOf(agent)).toBe("Red"); // not yet approved
    const [record] = await t.db("competence_records").where({ person_id: learner.personId });
    expect(record).toMatchObject({ status: "awaiting_approval", source: "manual", expires_on: "2028-01-15" });

    const staff = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, staff.username, staff.password);
    const queue = (await admin.get("/admin/approvals").expect(200)).text;
    expect(queue).toContain("Fire safety at Leeds Teaching Hospitals, certificate 4411");
    const adminCsrf = csrfFrom(queue);
    expect((await admin.post(`/admin/approvals/${record.id}/reject`).type("form").send({ _csrf: adminCsrf, reason: "" }).expect(400)).text).toContain("Give the reason for rejecting it");
    await admin.post(`/admin/approvals/${record.id}/approve`).type("form").send({ _csrf: adminCsrf }).expect(303);
    expect(await statusOf(agent)).toBe("Green");
    await admin.post(`/admin/approvals/${record.id}/reject`).type("form").send({ _csrf: adminCsrf, reason: "late" }).expect(409); // decided once

    await agent.post("/compliance/records").type("form").send({ _csrf: csrf, competencyId: String(competencyId), achievedOn: "2026-02-20", expiresOn: "2030-02-20", evidence: "A course I made up" }).expect(303);
    const second = await t.db("competence_records").where({ person_id: learner.personId, status: "awaiting_approval" }).first("id");
    await admin.post(`/admin/approvals/${second.id}/reject`).type("form").send({ _csrf: adminCsrf, reason: "No such course is recognised" }).expect(303);
    expect(await t.db("competence_records").where({ id: second.id }).first()).toMatchObject({ status: "rejected", decision_reason: "No such course is recognised" });
    expect(/data-competency="NHS\|CSTF\|Fire Safety - 2 Years\|"[^>]*>[\s\S]*?data-field="expiry-date"><span[^>]*>[^<]*<\/span><span>([^<]*)<\/span>/.exec((await agent.get("/compliance").expect(200)).text)?.[1]).toBe("15-Jan-2028"); // the rejected 2030 expiry does not count
    expect((await listAudit(t.db, { personId: learner.personId })).map((event) => event.kind)).toEqual(expect.arrayContaining(["competence.recorded", "competence.approved", "competence.rejected"]));
    await agent.get("/admin/approvals").expect(403);

    // The learner sees why, on their tab and by email; the approval was emailed too.
    const awaiting = (await agent.get("/compliance?tab=awaiting").expect(200)).text;
    expect(awaiting).toMatch(/Not approved<\/strong><span class="app-reason">Reason: No such course is recognised<\/span>/);
    const email = String((await t.db("people").where({ id: learner.personId }).first("email")).email);
    const mail = await t.db("mail_outbox").where({ to_address: email }).orderBy("id").select("subject", "text_body");
    expect(mail.map((message) => message.subject)).toEqual(["297 Competence approved", "297 Competence not approved"]);
    expect(mail[1]!.text_body).toContain("Reason: No such course is recognised");
  });

  it("refuses an administrator's decision on their own record: another administrator must decide", async () => {
    const staff = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, staff.username, staff.password);
    const csrf = csrfFrom((await admin.get("/compliance?tab=awaiting").expect(200)).text);
    await admin.post("/compliance/records").type("form").send({ _csrf: csrf, competencyId: String(competencyId), achievedOn: "2026-01-15", evidence: "My own certificate" }).expect(303);
    const own = await t.db("competence_records").where({ person_id: staff.personId }).first("id");
    const refused = await admin.post(`/admin/approvals/${own.id}/approve`).type("form").send({ _csrf: csrf }).expect(403);
    expect(refused.text).toContain("You cannot decide on your own competence record");
    expect((await t.db("competence_records").where({ id: own.id }).first("status")).status).toBe("awaiting_approval");
  });
});
