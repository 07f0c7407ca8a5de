import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { organisationSummary } from "../../server/compliance/organisation-summary-reads.ts";
import { complianceTrend, trendDates } from "../../server/compliance/compliance-trend-reads.ts";

const POSITION = "Ward Nurse";
const COURSE = "297 Hand Hygiene - Part 1";

/**
 * Reports, issue 20: the trust's trend month by month (the summary's own as-of reading, a month's
 * end at a time), every figure opening the people behind it (and its CSV), the As of form's
 * problems shown on the form, and only L&D administrators let in.
 */
describe("Reports: trend, the people behind each figure, the As of form", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof logInAgent>>;
  let learner: Awaited<ReturnType<typeof logInAgent>>;
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let positionId: number;
  let competencies: { a: number; b: number };

  beforeAll(async () => {
    t = await createTestApp({ now: "2026-03-15T09:00:00Z" });
    const administrator = await buildLearner(t.db, t.clock, { role: "admin", name: "Admin, Ada", assignments: [] });
    const organisationId = Number((await t.db("organisations").where({ vpd: "297" }).first("id")).id);
    positionId = Number((await t.db("positions").insert({ organisation_id: organisationId, name: POSITION }).returning("id"))[0].id);
    const [a, b] = (await t.db("competencies").insert([{ name: "297|LOCAL|Hand Hygiene|" }, { name: "297|LOCAL|Sharps Safety|" }]).returning("id")).map((row: { id: number }) => Number(row.id)) as [number, number];
    competencies = { a, b };
    await t.db("competence_requirements").insert([{ position_id: positionId, competency_id: a, essential: true }, { position_id: positionId, competency_id: b, essential: true }]);
    const one = await buildLearner(t.db, t.clock, { name: "Okafor, Bisi", employeeNumber: "10000001", assignments: [{ number: "50000001", position: POSITION }] });
    const two = await buildLearner(t.db, t.clock, { name: "Price, Cara", employeeNumber: "10000002", assignments: [{ number: "50000002", position: POSITION }] });
    // Okafor reports to the administrator in her assignment; Price has no line manager.
    await t.db("assignments").where({ number: "50000001" }).update({ line_manager_id: administrator.personId });
    const record = (personId: number, competencyId: number, achievedOn: string, expiresOn: string | null) => ({
      person_id: personId, competency_id: competencyId, level: "1 - Assessed", achieved_on: achievedOn, expires_on: expiresOn, source: "manual", status: "approved", created_at: `${achievedOn}T09:00:00Z`,
    });
    await t.db("competence_records").insert([
      record(one.personId, a, "2025-06-10", "2026-01-10"), // Red, then Green from June, Amber from October, Red again from 10 January
      record(one.personId, a, "2026-03-01", "2027-03-01"), // renewed on 1 March: Green again
      record(two.personId, a, "2025-04-01", null), // Green throughout: never expires
      record(two.personId, b, "2025-11-05", "2028-11-05"), // Red until November, Green after
    ]); // Okafor never holds B: Red throughout
    await buildCertification(t.db, { name: "297 Hand Hygiene - 3 Years", competency: "297|LOCAL|Hand Hygiene|", components: [{ courseCode: COURSE }] });
    const certification = await t.db("certifications").where({ name: "297 Hand Hygiene - 3 Years" }).first("id");
    await subscribe(t.db, t.clock, two, Number(certification.id));
    admin = await logInAgent(t.app, administrator.username, administrator.password);
    const learnerUser = await buildLearner(t.db, t.clock, { role: "learner", assignments: [] });
    const authorUser = await buildLearner(t.db, t.clock, { role: "author", assignments: [] });
    learner = await logInAgent(t.app, learnerUser.username, learnerUser.password);
    author = await logInAgent(t.app, authorUser.username, authorUser.password);
  });
  afterAll(() => t.cleanup());

  /** A download as an administrator, its body read as UTF-8 text whatever its type. */
  const download = (url: string) =>
    admin.get(url).buffer(true).parse((res, done) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => done(null, body));
    });

  it("takes the trend's dates as the ends of the eleven months before, then the date asked about", () => {
    expect(trendDates("2026-03-15")).toEqual(["2025-04-30", "2025-05-31", "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-15"]);
    expect(trendDates("2024-03-31", 3)).toEqual(["2024-01-31", "2024-02-29", "2024-03-31"]);
  });

  it("counts the trend month by month, each month as the summary counts it as of that month's end", async () => {
    const trend = await complianceTrend(t.db, trendDates("2026-03-15"));
    expect(trend.map((point) => [point.asOf, point.green, point.amber, point.red])).toEqual([
      ["2025-04-30", 1, 0, 3],
      ["2025-05-31", 1, 0, 3],
      ["2025-06-30", 2, 0, 2],
      ["2025-07-31", 2, 0, 2],
      ["2025-08-31", 2, 0, 2],
      ["2025-09-30", 2, 0, 2],
      ["2025-10-31", 1, 1, 2],
      ["2025-11-30", 2, 1, 1],
      ["2025-12-31", 2, 1, 1],
      ["2026-01-31", 2, 0, 2],
      ["2026-02-28", 2, 0, 2],
      ["2026-03-15", 3, 0, 1],
    ]);
    expect(trend.map((point) => point.percentage)).toEqual([25, 25, 50, 50, 50, 50, 50, 75, 75, 50, 50, 75]);
    for (const point of trend) {
      const summary = (await organisationSummary(t.db, point.asOf)).find((row) => row.positionId === positionId)!;
      expect({ asOf: point.asOf, green: summary.green, amber: summary.amber, red: summary.red }).toEqual({ asOf: point.asOf, green: point.green, amber: point.amber, red: point.red });
    }
  });

  it("draws the trend and the summaries as charts with their figures in tables, each Red count opening its people", async () => {
    const html = (await admin.get("/admin/reports?asOf=2026-03-15").expect(200)).text;
    const trendSvg = /<svg[^>]*id="trend-chart"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(trendSvg).toMatch(/role="img" aria-labelledby="trend-chart-title trend-chart-desc"/);
    expect(trendSvg).toContain("Compliance Percentage went from 25.0% at the end of Apr 2025 to 75.0% on 15-Mar-2026; Red from 3 to 1 of 4 essential requirements.");
    expect(trendSvg.match(/<g data-date=/g)).toHaveLength(12);
    // A column's parts: Green solid green, Amber and Red their patterns (not colour alone).
    const october = /<g data-date="2025-10-31">[\s\S]*?<\/g>/.exec(trendSvg)![0];
    expect(october).toMatch(/fill="#007f3b" data-status="Green"/);
    expect(october).toMatch(/height="42.50" fill="url\(#trend-chart-amber\)" data-status="Amber"/); // 1 of 4 of 170 px
    expect(october).toMatch(/height="85.00" fill="url\(#trend-chart-red\)" data-status="Red"/);
    expect(html).toMatch(/<tr class="nhsuk-table__row" role="row" data-date="2025-10-31">[\s\S]*?31-Oct-2025[\s\S]*?data-field="red">[\s\S]*?2<span class="nhsuk-u-visually-hidden"> Red on 31-Oct-2025/);
    const positionBar = /<g data-label="Ward Nurse">[\s\S]*?<\/g>/.exec(html)![0];
    expect(positionBar).toContain("75.0%");
    expect(positionBar).toMatch(/width="75.000%" height="18" fill="#007f3b" data-status="Green"/);
    expect(positionBar).toMatch(/x="75.000%" y="22" width="25.000%" height="18" fill="url\(#by-position-chart-red\)" data-status="Red"/);
    const row = /<tr class="nhsuk-table__row" role="row" data-position="Ward Nurse">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain(`href="/admin/reports/people?asOf=2026-03-15&amp;position=${positionId}&amp;status=Red"`);
    // The responsive table: each cell carries its heading for a phone.
    expect(row).toMatch(/<span class="nhsuk-table__heading" aria-hidden="true">Red <\/span>/);
    expect(html).not.toContain("<meter");
    const csv = parse((await download("/admin/reports/compliance-trend.csv?asOf=2026-03-15").expect(200)).body as string, { bom: true });
    expect(csv[0]).toEqual(["Date", "Required", "Green", "Amber", "Red", "Compliance Percentage"]);
    expect(csv.slice(1).map((cells: string[]) => cells.join(" "))).toEqual(expect.arrayContaining(["31-Oct-2025 4 1 1 2 50.0", "30-Nov-2025 4 2 1 1 75.0", "15-Mar-2026 4 3 0 1 75.0"]));
    expect(csv).toHaveLength(13);
  });

  it("opens the people who make a position Red on a date, with their assignment, status and expiry, and as CSV", async () => {
    const html = (await admin.get(`/admin/reports/people?asOf=2026-02-28&position=${positionId}&status=Red`).expect(200)).text;
    expect(html).toContain("Ward Nurse: Red, as of 28-Feb-2026");
    const rows = [...html.matchAll(/<tr class="nhsuk-table__row" role="row" data-employee-number="(\d+)">([\s\S]*?)<\/tr>/g)].map(([, number, cells]) => [number, ...[...cells!.matchAll(/<\/span>(?:<a [^>]*>|<strong [^>]*>)?([^<]*)/g)].map((cell) => cell[1]!.trim())]);
    expect(rows).toEqual([
      ["10000001", "Okafor, Bisi", "10000001", "50000001 - Ward Nurse", "Admin, Ada", "297|LOCAL|Hand Hygiene", "Red", "10-Jan-2026"],
      ["10000001", "Okafor, Bisi", "10000001", "50000001 - Ward Nurse", "Admin, Ada", "297|LOCAL|Sharps Safety", "Red", "Not held"],
    ]);
    expect(html).toContain("Rows 1 to 2 of 2");
    expect(html).toMatch(/All \(4\)[\s\S]*Green \(2\)[\s\S]*Amber \(0\)[\s\S]*Red \(2\)/);
    const csv = await download(`/admin/reports/people.csv?asOf=2026-02-28&position=${positionId}&status=Red`).expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="people-red-2026-02-28.csv"');
    expect((csv.body as string).startsWith("\uFEFF")).toBe(true);
    expect(parse(csv.body as string, { bom: true })).toEqual([
      ["Employee Number", "Name", "Assignment", "Position", "Line Manager", "Competency Name", "Status", "Expiry Date"],
      ["10000001", "Okafor, Bisi", "50000001", POSITION, "Admin, Ada", "297|LOCAL|Hand Hygiene", "Red", "10-Jan-2026"],
      ["10000001", "Okafor, Bisi", "50000001", POSITION, "Admin, Ada", "297|LOCAL|Sharps Safety", "Red", "Not held"],
    ]);
    // The same people on the date the renewal had not come, and not after it.
    const after = parse((await download(`/admin/reports/people.csv?asOf=2026-03-15&competency=${competencies.a}`).expect(200)).body as string, { bom: true });
    expect(after.slice(1).map((cells: string[]) => [cells[1], cells[4], cells[6], cells[7]])).toEqual([["Okafor, Bisi", "Admin, Ada", "Green", "01-Mar-2027"], ["Price, Cara", "", "Green", "Does not expire"]]);
  });

  it("opens a month of the trend across the trust, and a course's status to its people", async () => {
    const html = (await admin.get("/admin/reports/people?asOf=2025-10-31&status=Amber").expect(200)).text;
    expect(html).toContain("The trust: Amber, as of 31-Oct-2025");
    expect(html).toContain("Rows 1 to 1 of 1");
    expect(html).toMatch(/Okafor, Bisi[\s\S]*297\|LOCAL\|Hand Hygiene[\s\S]*Amber[\s\S]*10-Jan-2026/);
    const report = (await admin.get("/admin/reports?asOf=2026-03-15").expect(200)).text;
    expect(report).toContain(`href="/admin/reports/course-people?asOf=2026-03-15&amp;course=297+Hand+Hygiene+-+Part+1&amp;status=Planned"`);
    const course = (await admin.get(`/admin/reports/course-people?asOf=2026-03-15&course=${encodeURIComponent(COURSE)}&status=Planned`).expect(200)).text;
    expect(course).toMatch(/data-employee-number="10000002">[\s\S]*Price, Cara[\s\S]*Planned/);
    const csv = parse((await download(`/admin/reports/course-people.csv?asOf=2026-03-15&course=${encodeURIComponent(COURSE)}`).expect(200)).body as string, { bom: true });
    expect(csv).toEqual([["Course", "Employee Number", "Name", "Status"], [COURSE, "10000002", "Price, Cara", "Planned"]]);
    await admin.get("/admin/reports/course-people?course=No+Such+Course").expect(404);
    await admin.get("/admin/reports/people?position=999999").expect(404);
    await admin.get(`/admin/reports/people?position=${positionId}&status=Purple`).expect(404);
  });

  it("shows a wrong As of date on the form, beside the field and in the summary, on the report and on a list of people", async () => {
    for (const [entered, message] of [
      ["2026-02-30", "The As of date must be a real date (2026-02-30 does not exist)"],
      ["31/12/2026", "The As of date must be a date written like 2027-03-31"],
      ["3000-01-01", "The As of date must be between 1900-01-01 and 2999-12-31"],
    ] as const) {
      const html = (await admin.get(`/admin/reports?asOf=${encodeURIComponent(entered)}`).expect(400)).text;
      expectErrorPattern(html, [{ field: "asOf", message }]);
      expect(html).toContain(`value="${entered}"`);
      expect(html).not.toContain("Compliance by position");
    }
    const people = (await admin.get(`/admin/reports/people?asOf=2026-02-30&position=${positionId}&status=Red`).expect(400)).text;
    expectErrorPattern(people, [{ field: "asOf", message: "The As of date must be a real date (2026-02-30 does not exist)" }]);
    expect(people).toContain(`<input type="hidden" name="position" value="${positionId}">`);
    expectErrorPattern((await admin.get("/admin/reports/compliance-by-position.csv?asOf=2026-02-30").expect(400)).text, [{ field: "asOf", message: "The As of date must be a real date (2026-02-30 does not exist)" }]);
  });

  it("shows a long list a page at a time, and the whole of it as CSV", async () => {
    const organisationId = Number((await t.db("organisations").where({ vpd: "297" }).first("id")).id);
    const porter = Number((await t.db("positions").insert({ organisation_id: organisationId, name: "Porter" }).returning("id"))[0].id);
    await t.db("competence_requirements").insert({ position_id: porter, competency_id: competencies.b, essential: true });
    for (let n = 0; n < 55; n += 1) {
      const [person] = await t.db("people").insert({ organisation_id: organisationId, employee_number: String(77_000_000 + n), last_name: `Porter${String(n).padStart(2, "0")}`, first_name: "Pat", email: `porter${n}@example.org`, date_of_birth: "1990-01-01", created_at: "2026-01-01T00:00:00Z" }).returning("id");
      await t.db("assignments").insert({ number: String(99_100_000 + n), person_id: person.id, position_id: porter, is_primary: true });
    }
    const first = (await admin.get(`/admin/reports/people?asOf=2026-03-15&position=${porter}&status=Red`).expect(200)).text;
    expect(first).toContain("Rows 1 to 50 of 55");
    expect(first.match(/data-employee-number=/g)).toHaveLength(50);
    expect(first).toContain(`href="/admin/reports/people?asOf=2026-03-15&amp;position=${porter}&amp;status=Red&amp;page=1"`);
    const second = (await admin.get(`/admin/reports/people?asOf=2026-03-15&position=${porter}&status=Red&page=1`).expect(200)).text;
    expect(second).toContain("Rows 51 to 55 of 55");
    expect([...second.matchAll(/data-employee-number="(\d+)"/g)].map((match) => match[1])).toEqual(["77000050", "77000051", "77000052", "77000053", "77000054"]);
    const csv = parse((await download(`/admin/reports/people.csv?asOf=2026-03-15&position=${porter}&status=Red`).expect(200)).body as string, { bom: true });
    expect(csv).toHaveLength(56);
  });

  it("lets only an L&D administrator see reports and the people behind them", async () => {
    const urls = ["/admin/reports", `/admin/reports/people?position=${positionId}&status=Red`, `/admin/reports/people.csv?position=${positionId}`, `/admin/reports/course-people?course=${encodeURIComponent(COURSE)}`, `/admin/reports/course-people.csv?course=${encodeURIComponent(COURSE)}`, "/admin/reports/compliance-trend.csv"];
    for (const url of urls) {
      for (const agent of [learner, author]) {
        const response = await agent.get(url).expect(403);
        expect(response.text).not.toContain("Okafor");
      }
      await admin.get(url).expect(200);
    }
  });
});

