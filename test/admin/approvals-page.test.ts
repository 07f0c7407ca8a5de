import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/** Awaiting Approval's buttons name the person in full, and a rejection without its reason comes back in the error pattern. */
describe("Awaiting Approval page", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: SignedInAgent;
  let recordId: number;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    const learner = await buildLearner(t.db, t.clock, { name: "Conroy, Emma" });
    const [record] = await t.db("competence_records").insert({ person_id: learner.personId, competency_id: Number(competency.id), level: "1", achieved_on: "2026-01-15", expires_on: "2028-01-15", source: "manual", status: "awaiting_approval", evidence: "Leeds, certificate 4411", created_at: "2026-02-01T00:00:00Z" }).returning("id");
    recordId = Number(record.id);
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" }));
  });
  afterAll(() => t.cleanup());

  it("labels Approve and Reject with the competency and the person's full name, first name included", async () => {
    const page = (await admin.agent.get("/admin/approvals").expect(200)).text;
    expect(page).toContain('aria-label="Approve NHS|CSTF|Fire Safety - 2 Years for Emma Conroy">Approve</button>');
    expect(page).toContain('aria-label="Reject NHS|CSTF|Fire Safety - 2 Years for Emma Conroy">Reject</button>');
  });

  it("brings a rejection without a reason back with the message beside its field, and decides nothing", async () => {
    const refused = await admin.agent.post(`/admin/approvals/${recordId}/reject`).type("form").send({ _csrf: admin.csrf, reason: "  " }).expect(400);
    expectErrorPattern(refused.text, [{ field: `reason-${recordId}`, message: "Give the reason for rejecting it: the learner sees it" }]);
    expect((await t.db("competence_records").where({ id: recordId }).first("status")).status).toBe("awaiting_approval");
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) {
      await agents[who].agent.get("/admin/approvals").expect(403);
      await agents[who].agent.post(`/admin/approvals/${recordId}/approve`).type("form").send({ _csrf: agents[who].csrf }).expect(403);
    }
    expect((await t.db("competence_records").where({ id: recordId }).first("status")).status).toBe("awaiting_approval");
  });
});
