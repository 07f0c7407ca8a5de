import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/**
 * An assignment's line manager on the person's page (Administration > Change details and
 * assignments), by the manager's employee number, in the NHS error pattern; and shown on Verify
 * a learner beside the assignment.
 */
describe("an assignment's line manager, on the person's page", () => {
  let t: TestApp;
  let admin: SignedInAgent;
  let nurse: { personId: number };
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-03-01T09:00:00.000Z" });
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace", assignments: [] }));
    await buildLearner(t.db, t.clock, { name: "Sister, Sam", employeeNumber: "30000001", assignments: [] });
    nurse = await buildLearner(t.db, t.clock, { name: "Nurse, Nia", employeeNumber: "30000002", assignments: [{ number: "62000001", position: "Healthcare Assistant" }] });
  });
  afterAll(() => t.cleanup());

  const save = (fields: Record<string, string>, who = admin) => who.agent.post(`/admin/people/${nurse.personId}/assignments`).type("form").send({ _csrf: who.csrf, number: "62000001", position: "Healthcare Assistant", ...fields });
  const lineManagerId = async () => (await t.db("assignments").where({ number: "62000001" }).first("line_manager_id")).line_manager_id;

  it("sets the line manager by employee number, shows it beside the assignment and on Verify a learner, and keeps it when left empty", async () => {
    await save({ lineManager: "30000001" }).expect(303);
    const manager = await t.db("people").where({ employee_number: "30000001" }).first("id");
    expect(Number(await lineManagerId())).toBe(Number(manager.id));
    const edit = (await admin.agent.get(`/admin/people/${nurse.personId}/edit`).expect(200)).text;
    expect(edit).toMatch(/<th class="nhsuk-table__header" scope="col" role="columnheader">Line manager<\/th>/);
    expect(edit).toMatch(/data-field="line-manager"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Line manager <\/span>Sister, Sam \(30000001\)<\/td>/);
    expect(edit).toMatch(/<input class="nhsuk-input nhsuk-input--width-10" id="lineManager" name="lineManager"/);
    const verify = (await admin.agent.get(`/admin/people/${nurse.personId}`).expect(200)).text;
    expect(verify).toMatch(/62000001 - Healthcare Assistant: Compliance Percentage [\d.]+%[\s\S]{0,200}Line manager: Sister, Sam \(30000001\)/);
    await save({ lineManager: "" }).expect(303);
    expect(Number(await lineManagerId())).toBe(Number(manager.id));
    const audit = await t.db("audit_events").where({ kind: "assignment.saved", person_id: nurse.personId }).orderBy("id").first("detail");
    expect(String(audit.detail)).toContain('"lineManager":"30000001"');
    expect((await admin.agent.get("/admin/audit").expect(200)).text).toContain("assignment 62000001 was saved: Healthcare Assistant, line manager employee number 30000001");
  });

  it("refuses an employee number that is nobody, the person themself, and one not written as digits, beside the field, all at once with the form's other problems", async () => {
    const before = await lineManagerId();
    expectErrorPattern((await save({ lineManager: "99999999" }).expect(400)).text, [{ field: "lineManager", message: "No one has employee number 99999999: enter the line manager's employee number" }]);
    expectErrorPattern((await save({ lineManager: "30000002" }).expect(400)).text, [{ field: "lineManager", message: "A person cannot be their own line manager" }]);
    expectErrorPattern((await save({ lineManager: "Sam", startDate: "2026-02-30" }).expect(400)).text, [
      { field: "startDate", message: "The start date must be a real date (2026-02-30 does not exist)" },
      { field: "lineManager", message: "The line manager's employee number must be 1 to 20 digits, e.g. 20000123, or left empty" },
    ]);
    // Someone else's assignment number and an unknown line manager: both told, nothing saved.
    await buildLearner(t.db, t.clock, { name: "Other, Olu", assignments: [{ number: "62000009", position: "Healthcare Assistant" }] });
    expectErrorPattern((await save({ number: "62000009", lineManager: "99999999" }).expect(409)).text, [
      { field: "lineManager", message: "No one has employee number 99999999" },
      { field: "number", message: "Assignment number 62000009 belongs to someone else" },
    ]);
    expect(await lineManagerId()).toEqual(before);
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) await save({ lineManager: "30000001" }, agents[who]).expect(403);
  });
});
