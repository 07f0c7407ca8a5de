import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { createTestApp, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { spreadsheetCsv } from "../../server/web/csv.ts";

const COMPETENCY = '297|LOCAL|Hand Hygiene, "Level 2"|';
const POSITION = "Nurse, Band 5 (Ward 7; \"Night\")";

/** CSV files read back as a spreadsheet reads them: every cell exactly as shown on the page, none a formula. */
describe("CSV exports", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: Awaited<ReturnType<typeof logInAgent>>;
  let learner: Awaited<ReturnType<typeof logInAgent>>;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const organisationId = (await t.db("organisations").insert({ vpd: "297", name: "Test Trust" }).returning("id"))[0].id;
    const [position] = await t.db("positions").insert({ organisation_id: organisationId, name: POSITION }).returning("id");
    const [competency] = await t.db("competencies").insert({ name: COMPETENCY, description: "" }).returning("id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    const person = await buildLearner(t.db, t.clock, { name: '=HYPERLINK("http://evil.example"), Zoë "Zed"', assignments: [{ number: "11112222", position: POSITION }] });
    // Held, and expiring within the next three months, so it is on every report.
    await t.db("competence_records").insert({ person_id: person.personId, competency_id: competency.id, level: "1 - Assessed", achieved_on: "2025-04-01", expires_on: "2026-04-01", source: "manual", status: "approved", created_at: clock.now().toISOString() });
    const administrator = await buildLearner(t.db, t.clock, { role: "admin", assignments: [] });
    admin = await logInAgent(t.app, administrator.username, administrator.password);
    learner = await logInAgent(t.app, person.username, person.password);
  });
  afterAll(() => t.cleanup());

  /** The file as Excel opens it: a byte-order mark says UTF-8, then RFC 4180 CSV. */
  async function download(agent: typeof admin, url: string): Promise<string[][]> {
    const response = await agent.get(url).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="[\w.-]+\.csv"$/);
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes.toString("utf8"), { bom: true });
  }

  it("keeps commas, quotes and non-ASCII in one cell each, and a formula-looking name as text", async () => {
    const rows = await download(admin, "/admin/reports/expiring.csv?asOf=2026-03-01");
    expect(rows[0]).toEqual(["Employee Number", "Name", "Assignment", "Position", "Competency Name", "Expiry Date"]);
    const row = rows.find((cells) => cells.includes("11112222"))!;
    expect(row.slice(1)).toEqual(['\'=HYPERLINK("http://evil.example"), Zoë "Zed"', "11112222", POSITION, '297|LOCAL|Hand Hygiene, "Level 2"', "01-Apr-2026"]);
    expect(row.every((cell) => !/^[=+\-@]/.test(cell))).toBe(true);
  });

  it("does the same for compliance by position and by competency, and for the learner's own export", async () => {
    const byPosition = await download(admin, "/admin/reports/compliance-by-position.csv?asOf=2026-03-01");
    expect(byPosition.find((cells) => cells[0] === POSITION)).toEqual([POSITION, "1", "1", "0", "1", "0", "100.0"]);
    const byCompetency = await download(admin, "/admin/reports/compliance-by-competency.csv?asOf=2026-03-01");
    expect(byCompetency.map((cells) => cells[0])).toContain('297|LOCAL|Hand Hygiene, "Level 2"');
    const own = await download(learner, "/compliance/export.csv");
    expect(own.find((cells) => cells[0] === '297|LOCAL|Hand Hygiene, "Level 2"')?.[5]).toBe("Amber");
  });

  it("neutralises every formula lead, and leaves numbers and ordinary text alone", () => {
    const parsed = parse(spreadsheetCsv([["=1+1", "+44 20", "-1", "@SUM(A1)", "\t=1", "\r=1", "a=b", "", 42, -3]]), { bom: true });
    expect(parsed).toEqual([["'=1+1", "'+44 20", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "a=b", "", "42", "-3"]]);
  });
});
