import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { createClock } from "../../server/clock.ts";
import { organisationSummary } from "../../server/compliance/organisation-summary.ts";
import { personCompliance } from "../../server/compliance/service.ts";
import { buildLearner } from "../support/factories.ts";

/** The organisation-wide summary is one set-based statement; it must agree with every learner's own page. */
describe("organisationSummary", () => {
  let t: TestDb;
  const clock = createClock("2026-03-01T09:00:00Z");
  const asOf = "2026-03-01";
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.cleanup());

  it("counts Green, Amber and Red essential requirements per position, as each learner's page does", async () => {
    const organisation = await t.db("organisations").insert({ vpd: "297", name: "Summary Trust" }).returning("id");
    const organisationId = Number(organisation[0].id);
    const positions = await t.db("positions").insert([{ organisation_id: organisationId, name: "Nurse" }, { organisation_id: organisationId, name: "Porter" }]).returning("id");
    const competencies = await t.db("competencies").insert(["A", "B", "C"].map((name) => ({ name: `NHS|CSTF|${name}|` }))).returning("id");
    const [nurse, porter] = positions.map((row: { id: number }) => Number(row.id)) as [number, number];
    const [a, b, c] = competencies.map((row: { id: number }) => Number(row.id)) as [number, number, number];
    await t.db("competence_requirements").insert([
      { position_id: nurse, competency_id: a, essential: true },
      { position_id: nurse, competency_id: b, essential: true },
      { position_id: nurse, competency_id: c, essential: false },
      { position_id: porter, competency_id: a, essential: true },
    ]);
    const record = (personId: number, competencyId: number, expiresOn: string | null, status = "approved") => ({
      person_id: personId, competency_id: competencyId, level: "1", achieved_on: "2025-01-01", expires_on: expiresOn, source: "manual", status, created_at: "2025-01-01T00:00:00Z",
    });
    const one = await buildLearner(t.db, clock, { assignments: [{ number: "1001", position: "Nurse" }, { number: "1002", position: "Porter" }] });
    const two = await buildLearner(t.db, clock, { assignments: [{ number: "2001", position: "Nurse" }] });
    await t.db("competence_records").insert([
      record(one.personId, a, "2027-01-01"), // Green
      record(one.personId, a, "2026-04-01"), // an older record: the best one counts
      record(one.personId, b, "2026-05-01"), // Amber
      record(two.personId, a, "2026-03-01"), // Red: expired today
      record(two.personId, b, null), // Green: never expires
      record(two.personId, c, "2030-01-01"), // not essential
      record(one.personId, c, "2030-01-01", "awaiting_approval"),
    ]);

    const summary = await organisationSummary(t.db, asOf);
    expect(summary).toEqual([
      { positionId: nurse, position: "Nurse", assignments: 2, required: 4, green: 2, amber: 1, red: 1, percentage: 75 },
      { positionId: porter, position: "Porter", assignments: 1, required: 1, green: 1, amber: 0, red: 0, percentage: 100 },
    ]);
    // The same counts, learner by learner, from the learner's own page.
    const pages = [...(await personCompliance(t.db, one.personId, asOf)), ...(await personCompliance(t.db, two.personId, asOf))];
    for (const position of summary) {
      const rows = pages.filter((view) => view.assignment.positionId === position.positionId).flatMap((view) => view.rows.filter((row) => row.required && row.essential));
      expect({ green: rows.filter((row) => row.status === "Green").length, amber: rows.filter((row) => row.status === "Amber").length, red: rows.filter((row) => row.status === "Red").length }).toEqual({ green: position.green, amber: position.amber, red: position.red });
    }
  });
});
