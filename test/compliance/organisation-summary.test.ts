import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { createClock } from "../../server/clock.ts";
import { competencySummary, organisationSummary } from "../../server/compliance/organisation-summary-reads.ts";
import { expiringCompetencies } from "../../server/compliance/expiring-reads.ts";
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
  const people: number[] = [];
  let ids: { a: number; b: number };

  /** The same counts, learner by learner, from each learner's own page on that date. */
  async function expectSummaryAgreesWithPages(date: string, personIds: number[]) {
    const summary = await organisationSummary(t.db, date);
    const pages = (await Promise.all(personIds.map((personId) => personCompliance(t.db, personId, date)))).flat();
    const counts = (rows: Array<{ status: string }>) => ({ date, green: rows.filter((row) => row.status === "Green").length, amber: rows.filter((row) => row.status === "Amber").length, red: rows.filter((row) => row.status === "Red").length });
    for (const position of summary) {
      const rows = pages.filter((view) => view.assignment.positionId === position.positionId).flatMap((view) => view.rows.filter((row) => row.required && row.essential));
      expect(counts(rows)).toEqual({ date, green: position.green, amber: position.amber, red: position.red });
    }
    // By competency, and the expiring list (the Amber rows), from the same pages.
    const essentialRows = pages.flatMap((view) => view.rows.filter((row) => row.required && row.essential).map((row) => ({ ...row, assignment: view.assignment.number })));
    for (const competency of await competencySummary(t.db, date)) {
      expect(counts(essentialRows.filter((row) => row.competencyId === competency.competencyId))).toEqual({ date, green: competency.green, amber: competency.amber, red: competency.red });
    }
    const expiring = (await expiringCompetencies(t.db, date)).map((row) => `${row.assignment} ${row.competency} ${row.expiresOn}`).sort();
    expect(expiring).toEqual(essentialRows.filter((row) => row.status === "Amber").map((row) => `${row.assignment} ${row.competency} ${row.expiryDate}`).sort());
    return summary;
  }

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
    await expectSummaryAgreesWithPages(asOf, [one.personId, two.personId]);
    people.push(one.personId, two.personId);
    ids = { a, b };
  });

  it("looks back: on a date before a renewal or a first record, counts only what was held then", async () => {
    const record = (personId: number, competencyId: number, achievedOn: string, expiresOn: string) => ({
      person_id: personId, competency_id: competencyId, level: "1", achieved_on: achievedOn, expires_on: expiresOn, source: "certification", status: "approved", created_at: `${achievedOn}T00:00:00Z`,
    });
    const [one, two] = people as [number, number];
    await t.db("competence_records").insert([
      record(two, ids.a, "2026-04-01", "2029-04-01"), // renews the one expired on 1 March
      record(one, ids.b, "2026-04-20", "2029-04-20"), // renews the Amber one
    ]);
    const before = await expectSummaryAgreesWithPages("2026-03-01", people);
    expect(before.find((row) => row.position === "Nurse")).toMatchObject({ green: 2, amber: 1, red: 1 }); // as before the renewals
    const after = await expectSummaryAgreesWithPages("2026-05-01", people);
    expect(after.find((row) => row.position === "Nurse")).toMatchObject({ green: 4, amber: 0, red: 0 });
    for (const date of ["2024-06-01", "2025-01-01", "2026-04-10", "2027-01-15", "2031-01-01"]) await expectSummaryAgreesWithPages(date, people);
    expect((await organisationSummary(t.db, "2024-06-01")).find((row) => row.position === "Nurse")).toMatchObject({ green: 0, amber: 0, red: 4 }); // nothing achieved yet
  });
});
