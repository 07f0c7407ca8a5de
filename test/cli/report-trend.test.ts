import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { lms } from "../support/run-cli.ts";

/** `lms report trend`: the web report's month-by-month figures, for a terminal or as CSV. */
describe("lms report trend", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-03-15T09:00:00Z" });
    await buildLearner(t.db, t.clock, { assignments: [] });
    const organisation = await t.db("organisations").where({ vpd: "297" }).first("id");
    const [position] = await t.db("positions").insert({ organisation_id: organisation.id, name: "Ward Clerk" }).returning("id");
    const [competency] = await t.db("competencies").insert({ name: "297|LOCAL|Records Management|" }).returning("id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    const person = await buildLearner(t.db, t.clock, { assignments: [{ number: "70000001", position: "Ward Clerk" }] });
    await t.db("competence_records").insert({ person_id: person.personId, competency_id: competency.id, level: "1", achieved_on: "2025-12-10", expires_on: "2026-05-10", source: "manual", status: "approved", created_at: "2025-12-10T09:00:00Z" });
  });
  afterAll(() => t.cleanup());

  it("prints each month's end and the date asked about, Red until held, Green, then Amber", async () => {
    const { code, stdout } = await lms({ ...t.env, LMS_NOW: "2026-03-15T09:00:00Z" }, "report", "trend");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("The trust's compliance month by month, to 15-Mar-2026 (essential requirements of today's assignments; Amber counts as compliant)");
    expect(lines.slice(1)).toHaveLength(12);
    expect(lines[8]).toBe("  30-Nov-2025    0.0%  0 Green, 0 Amber, 1 Red of 1");
    expect(lines[9]).toBe("  31-Dec-2025  100.0%  1 Green, 0 Amber, 0 Red of 1");
    expect(lines[12]).toBe("  15-Mar-2026  100.0%  0 Green, 1 Amber, 0 Red of 1");
  });

  it("prints CSV with --csv, as the web report's export", async () => {
    const { stdout } = await lms({ ...t.env, LMS_NOW: "2026-03-15T09:00:00Z" }, "report", "trend", "--as-of", "2026-01-31", "--csv");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Date,Required,Green,Amber,Red,Compliance Percentage");
    expect(lines.slice(-2)).toEqual(["31-Dec-2025,1,1,0,0,100.0", "31-Jan-2026,1,1,0,0,100.0"]);
  });
});
