import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { addDays } from "../../server/clock.ts";
import { organisationSummary } from "../../server/compliance/organisation-summary-reads.ts";
import { complianceTrend, trendDates } from "../../server/compliance/compliance-trend-reads.ts";
import { requirementPeople } from "../../server/compliance/requirement-people-reads.ts";

/** A small random generator with a seed, so that a failure can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/**
 * The trend counts each month without asking the summary twelve times (compliance-trend-reads.ts):
 * stored expiries for settled requirements, spans of the records for the rest. So it is checked
 * against the summary itself, date by date, over a trust of random histories: renewals, records on
 * the same day, records that never expire, records awaiting approval (which count for nothing),
 * people with two assignments requiring the same competency, a non-essential requirement, and
 * records achieved after the last date. And the people behind each figure are as many as it says.
 */
describe("complianceTrend", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.cleanup());

  it("agrees with the summary as of every month's end, over two years of random histories", async () => {
    const random = seeded(20_261_207);
    const [organisation] = await t.db("organisations").insert({ vpd: "297", name: "Trend Trust" }).returning("id");
    const positions = (await t.db("positions").insert(["Nurse", "Porter", "Doctor"].map((name) => ({ organisation_id: organisation.id, name }))).returning("id")).map((row: { id: number }) => Number(row.id));
    const competencies = (await t.db("competencies").insert(["A", "B", "C", "D"].map((name) => ({ name: `NHS|CSTF|${name}|` }))).returning("id")).map((row: { id: number }) => Number(row.id));
    await t.db("competence_requirements").insert([
      ...competencies.slice(0, 3).map((competency) => ({ position_id: positions[0], competency_id: competency, essential: true })),
      { position_id: positions[0], competency_id: competencies[3], essential: false },
      ...competencies.slice(1).map((competency) => ({ position_id: positions[1], competency_id: competency, essential: true })),
      { position_id: positions[2], competency_id: competencies[0], essential: true },
    ]);
    for (let person = 0; person < 40; person += 1) {
      const [row] = await t.db("people").insert({ organisation_id: organisation.id, employee_number: String(80_000_000 + person), last_name: `Person${person}`, first_name: "Trend", email: `trend${person}@example.org`, date_of_birth: "1980-01-01", created_at: "2024-01-01T00:00:00Z" }).returning("id");
      const personId = Number(row.id);
      const held = [positions[random(3)]!, ...(random(4) === 0 ? [positions[random(3)]!] : [])]; // a quarter hold two assignments
      await t.db("assignments").insert(held.map((positionId, n) => ({ number: String(90_000_000 + person * 10 + n), person_id: personId, position_id: positionId, is_primary: n === 0 })));
      const records = [];
      for (const competency of competencies) {
        for (let n = random(4); n > 0; n -= 1) {
          const achieved = addDays("2024-01-01", random(1100));
          const expires = random(6) === 0 ? null : addDays(achieved, [90, 200, 365, 1095][random(4)]!);
          records.push({ person_id: personId, competency_id: competency, level: "1", achieved_on: achieved, expires_on: expires, source: "manual", status: random(8) === 0 ? "awaiting_approval" : "approved", created_at: `${achieved}T00:00:00Z` });
          if (random(10) === 0) records.push({ ...records[records.length - 1]!, expires_on: addDays(achieved, 30) }); // a second record the same day
        }
      }
      if (records.length) await t.db("competence_records").insert(records);
    }

    const dates = trendDates("2026-06-15", 30);
    const trend = await complianceTrend(t.db, dates);
    expect(trend.map((point) => point.asOf)).toEqual(dates);
    const totals = [];
    for (const point of trend) {
      const summary = await organisationSummary(t.db, point.asOf);
      const sum = (field: "required" | "green" | "amber" | "red") => summary.reduce((total, row) => total + row[field], 0);
      totals.push({ asOf: point.asOf, required: sum("required"), green: sum("green"), amber: sum("amber"), red: sum("red") });
    }
    expect(trend.map(({ asOf, required, green, amber, red }) => ({ asOf, required, green, amber, red }))).toEqual(totals);
    // The data are varied enough to mean something: the figures move, and every status occurs.
    expect(new Set(trend.map((point) => point.green)).size).toBeGreaterThan(5);
    expect(trend.some((point) => point.amber > 0) && trend.some((point) => point.red > 0)).toBe(true);

    // Each figure's people are exactly as many as the figure.
    for (const point of [trend[3]!, trend[17]!, trend[29]!]) {
      for (const status of ["Green", "Amber", "Red"] as const) {
        expect((await requirementPeople(t.db, point.asOf, { status })).total).toBe(point[status.toLowerCase() as "green" | "amber" | "red"]);
      }
      for (const row of await organisationSummary(t.db, point.asOf)) {
        const { rows, total } = await requirementPeople(t.db, point.asOf, { positionId: row.positionId });
        expect(total).toBe(row.required);
        expect(rows.filter((each) => each.status === "Red")).toHaveLength(row.red);
      }
    }
  });
});
