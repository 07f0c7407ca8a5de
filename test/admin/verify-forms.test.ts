import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/** Verify a learner's forms (record a competence, import records) come back in the error pattern, every problem at once. */
describe("Verify a learner's forms", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: SignedInAgent;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let competencyId: number;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    competencyId = Number(competency.id);
    learner = await buildLearner(t.db, t.clock, { name: "Conroy, Emma" });
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" }));
  });
  afterAll(() => t.cleanup());

  it("shows every problem of Record a competence at once, each beside its field, and keeps what was typed", async () => {
    const refused = await admin.agent.post(`/admin/people/${learner.personId}/records`).field("_csrf", admin.csrf).field("competencyId", String(competencyId)).field("achievedOn", "2026-02-30").field("expiresOn", "").field("evidence", "").expect(400);
    expectErrorPattern(refused.text, [
      { field: "achievedOn", message: "2026-02-30" },
      { field: "evidence", message: "Say where it was achieved (evidence)" },
    ]);
    expect(refused.text).toContain('value="2026-02-30"');
    expect(refused.text).toContain("<h1>Conroy, Emma</h1>");
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);
  });

  it("asks for the records file when none is chosen, beside its field", async () => {
    const refused = await admin.agent.post(`/admin/people/${learner.personId}/records/import`).field("_csrf", admin.csrf).expect(400);
    expectErrorPattern(refused.text, [{ field: "records-file", message: "Select the competence records file (.json) to import" }]);
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) {
      await agents[who].agent.get(`/admin/people/${learner.personId}`).expect(403);
      await agents[who].agent.post(`/admin/people/${learner.personId}/records`).field("_csrf", agents[who].csrf).field("evidence", "x").expect(403);
    }
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);
  });
});
