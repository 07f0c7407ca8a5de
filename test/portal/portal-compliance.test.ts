import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personCompliance } from "../../server/compliance/service.ts";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { lms } from "../support/run-cli.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const NOW = "2026-03-01T09:00:00Z";

function statusesOn(html: string): string[] {
  return [...html.matchAll(/app-status--\w+">(\w+)</g)].map((match) => match[1]!);
}

describe("the portal's My Compliance, for the demo learner", () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof logInAgent>>;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    const seeded = await lms({ ...t.env, LMS_NOW: NOW }, "seed-demo");
    expect(seeded.code).toBe(0);
    agent = await logInAgent(t.app, "297ECONROY01", "core-skills-demo");
  }, 120_000);
  afterAll(() => t.cleanup());

  it("shows the guide's first screen: 90% on the portlet, then Green, Amber, Red and Blue rows on the primary assignment", async () => {
    const portal = await agent.get("/").expect(200);
    expect(portal.text).toContain("Percentage Compliance: <strong>90%</strong>");
    // 9 of 10 essential on the first assignment, 4 of 5 on the second: 13 of 15.
    expect(portal.text).toContain("Across all your assignments: <strong>86.7%</strong>");
    expect(portal.text).toMatch(/href="\/compliance\?assignment=\d+">View My Compliance<\/a>/);
    const home = await agent.get("/compliance").expect(200);
    expect(home.text).toContain("Compliance Percentage <strong>90.0%</strong>");
    const statuses = statusesOn(home.text);
    expect(statuses.filter((status) => status === "Green")).toHaveLength(8);
    expect(statuses.filter((status) => status === "Amber")).toHaveLength(1);
    expect(statuses.filter((status) => status === "Red")).toHaveLength(1);
    expect(statuses.filter((status) => status === "Blue")).toHaveLength(1);
    expect(home.text).toMatch(/NHS\|CSTF\|NHS Conflict Resolution \(England\) - 3 Years<\/span><\/td>[\s\S]*?\d{2}-[A-Z][a-z]{2}-\d{4}[\s\S]*?>Red</);
  });

  it("switches to the second assignment with Go", async () => {
    const home = await agent.get("/").expect(200);
    const second = /<option value="(\d+)" >24552167 - Bank Healthcare Assistant/.exec(home.text);
    expect(second).not.toBeNull();
    expect((await agent.get(`/?assignment=${second![1]}`).expect(200)).text).toContain("Percentage Compliance: <strong>80%</strong>");
    const page = await agent.get(`/compliance?assignment=${second![1]}`).expect(200);
    expect(page.text).toContain("Compliance for 24552167 - Bank Healthcare Assistant");
    // Fire, Infection Prevention, Moving and Handling, Safeguarding Adults L1 held; Conflict Resolution expired.
    expect(page.text).toContain("Compliance Percentage <strong>80.0%</strong>");
  });

  it("counts only approved records", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Pending, Pat", assignments: [{ number: "55500001", position: "Bank Healthcare Assistant" }] });
    const fire = await t.db("competencies").where({ name: "NHS|CSTF|Fire Safety - 1 Year|" }).first("id");
    await t.db("competence_records").insert({
      person_id: learner.personId, competency_id: fire.id, level: "1 - Assessed", achieved_on: "2026-01-01", expires_on: "2027-01-01",
      source: "manual", status: "awaiting_approval", created_at: NOW,
    });
    const page = await (await logInAgent(t.app, learner.username, learner.password)).get("/compliance").expect(200);
    expect(page.text).toContain("Compliance Percentage <strong>0.0%</strong>");
    expect(statusesOn(page.text).every((status) => status === "Red")).toBe(true);
  });

  it("has the guide's tabs, Required Competencies Only, and a reason beside each status that is not Green", async () => {
    const page = (await agent.get("/compliance").expect(200)).text;
    expect(page).toMatch(/<a href="\/compliance\?assignment=\d+" aria-current="page" class="app-tabs__current">Compliance<\/a>/);
    expect(page).toContain(">All Competencies</a>");
    expect(page).toContain(">Awaiting Approval</a>");
    const headings = [...page.matchAll(/<th class="nhsuk-table__header" role="columnheader" scope="col">([^<]+)<\/th>/g)].map((match) => match[1]);
    expect(headings).toEqual(["Details", "Competency Name", "Competence Level", "Min Req", "Essential", "Expiry Date", "Compliance Status", "Find Learning"]);
    // The reason's date is kept on one line.
    expect(page).toMatch(/>Red<\/span>\s*<span class="app-reason">expired on <span class="app-nowrap">\d{2}-[A-Z][a-z]{2}-\d{4}<\/span><\/span>/);
    expect(page).toMatch(/>Amber<\/span>\s*<span class="app-reason">expires on <span class="app-nowrap">\d{2}-[A-Z][a-z]{2}-\d{4}<\/span> - renew now<\/span>/);
    const required = (await agent.get("/compliance?required=1").expect(200)).text;
    expect(statusesOn(required)).not.toContain("Blue");
    expect(statusesOn(required)).toHaveLength(10);
    expect(required).toContain('id="required" name="required" type="checkbox" value="1" checked');
  });

  it("shows the guide's Details (record history, what gave it, its certifications), Min Req from the position, Rows 1 to N, and dates on one line", async () => {
    const rowOf = (html: string, competency: string) => new RegExp(`<tr class="nhsuk-table__row" data-competency="${competency.replace(/[|()]/g, "\\$&")}" role="row">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
    // The Details panel: the row after the competency's, across the table (its Details opens it).
    const panelOf = (html: string, competency: string) => new RegExp(`<tr class="nhsuk-table__row app-details-row" id="(details-\\d+)" data-details-of="${competency.replace(/[|()]/g, "\\$&")}" role="row">\\s*<td class="nhsuk-table__cell app-details-row__cell" role="cell" colspan="8">([\\s\\S]*?)</tr>`).exec(html) ?? [];
    const position = await t.db("positions").where({ name: "E-Learning & Design Co-Ordinator" }).first("id");
    const fire = await t.db("competencies").where({ name: "NHS|CSTF|Fire Safety - 1 Year|" }).first("id");
    await t.db("competence_requirements").where({ position_id: position.id, competency_id: fire.id }).update({ min_level: "1 - Assessed" });
    try {
      const page = (await agent.get("/compliance").expect(200)).text;
      expect(page).toContain('data-field="rows">Rows 1 to 11</p>');
      expect((await agent.get("/compliance?required=1").expect(200)).text).toContain('data-field="rows">Rows 1 to 10</p>');
      // Min Req: the position's own level where it names one, Any where it does not; nothing on a Blue row (not required).
      const minReqs = [...page.matchAll(/data-field="min-req"><span[^>]*>Min Req <\/span><span>([^<]*)<\/span>/g)].map((match) => match[1]);
      expect(minReqs).toHaveLength(11);
      expect(rowOf(page, "NHS|CSTF|Fire Safety - 1 Year|")).toContain('data-field="min-req"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Min Req </span><span>1 - Assessed</span>');
      expect(minReqs.filter((value) => value === "Any")).toHaveLength(9);
      expect(minReqs.filter((value) => value === "")).toHaveLength(1);
      // Expiry dates never wrap: the cell keeps 17-Mar-2029 on one line.
      expect(page.match(/class="nhsuk-table__cell app-nowrap" role="cell" data-field="expiry-date"/g)).toHaveLength(11);
      const conflict = rowOf(page, "NHS|CSTF|NHS Conflict Resolution (England) - 3 Years|");
      const [, panelId, panel] = panelOf(page, "NHS|CSTF|NHS Conflict Resolution (England) - 3 Years|");
      expect(conflict).toContain(`<summary aria-controls="${panelId}">Details<span class="nhsuk-u-visually-hidden">: NHS|CSTF|NHS Conflict Resolution (England) - 3 Years</span></summary>`);
      expect(panel).toContain('<p class="nhsuk-u-visually-hidden">Details: NHS|CSTF|NHS Conflict Resolution (England) - 3 Years</p>');
      expect(panel).toMatch(/<ul class="nhsuk-list" data-field="history">\s*<li>[^<]*, achieved <span class="app-nowrap">\d{2}-[A-Z][a-z]{2}-\d{4}<\/span>, expires <span class="app-nowrap">\d{2}-[A-Z][a-z]{2}-\d{4}<\/span>\.\s*Given by: /);
      expect(panel).toMatch(/<a href="\/learning\/certifications\/\d+">297 Core Skills - NHS Conflict Resolution - 3 Years<\/a> \(valid for 1095 Day\(s\)\)/);
    } finally {
      await t.db("competence_requirements").where({ position_id: position.id, competency_id: fire.id }).update({ min_level: null });
    }
  });

  it("names the certification that gave a record in its Details and on All Competencies", async () => {
    // A position of its own, so that the trust's reports below still count the demo's people alone.
    const organisation = await t.db("organisations").where({ vpd: "297" }).first("id");
    const [position] = await t.db("positions").insert({ organisation_id: organisation.id, name: "Details Test Position" }).returning("id");
    const fire = await t.db("competencies").where({ name: "NHS|CSTF|Fire Safety - 1 Year|" }).first("id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: fire.id, essential: true });
    const learner = await buildLearner(t.db, t.clock, { assignments: [{ number: "55500077", position: "Details Test Position" }] });
    const certification = await t.db("certifications").where({ name: "297 Core Skills - NHS Conflict Resolution - 3 Years" }).first("id", "competency_id");
    await t.db("competence_records").insert({ person_id: learner.personId, competency_id: certification.competency_id, level: "1 - Assessed", achieved_on: "2026-02-01", expires_on: "2029-01-31", source: "certification", certification_id: certification.id, status: "approved", created_at: NOW });
    const own = await logInAgent(t.app, learner.username, learner.password);
    const page = (await own.get("/compliance").expect(200)).text;
    expect(page).toContain("1 - Assessed, achieved <span class=\"app-nowrap\">01-Feb-2026</span>, expires <span class=\"app-nowrap\">31-Jan-2029</span>.\n            Given by: Learning certification 297 Core Skills - NHS Conflict Resolution - 3 Years</li>");
    expect(page).toContain("No record held.");
    expect((await own.get("/compliance?tab=all").expect(200)).text).toContain("Learning certification: 297 Core Skills - NHS Conflict Resolution - 3 Years");
  });

  it("exports what is shown as CSV, and prints without the controls", async () => {
    const csv = await agent.get("/compliance/export.csv?required=1").expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const person = await t.db("accounts").join("people", "people.id", "accounts.person_id").where("accounts.username", "297ECONROY01").first("people.id", "people.employee_number");
    const [shown] = await personCompliance(t.db, Number(person.id), "2026-03-01"); // the page's first assignment
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="compliance-${person.employee_number}-${shown!.assignment.number}-2026-03-01.csv"`);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Competency Name,Competence Level,Min Req,Essential,Expiry Date,Compliance Status,Reason");
    expect(lines).toHaveLength(11);
    expect(lines.some((line) => line.startsWith("NHS|CSTF|NHS Conflict Resolution (England) - 3 Years,") && line.includes(",Red,expired on "))).toBe(true);
    // The Printable Page is the table alone: no header, search bar, tabs, forms or footer (issue 20).
    const printable = (await agent.get("/compliance?print=1").expect(200)).text;
    expect(printable).toContain("as of 01-Mar-2026");
    expect(printable).toContain("Compliance for 24552166 - E-Learning &amp; Design Co-Ordinator</caption>");
    expect(printable).toContain("Rows 1 to 11");
    for (const absent of ['class="nhsuk-header"', "app-learning-bar", "Search Course", 'class="nhsuk-footer"', "Need Help?", "<form", "app-tabs", "Find Learning</a>", "<details", "Logout"]) expect(printable).not.toContain(absent);
    const printableAll = (await agent.get("/compliance?tab=all&print=1").expect(200)).text;
    expect(printableAll).toContain("<caption class=\"nhsuk-table__caption\">All Competencies</caption>");
    expect(printableAll).not.toContain('class="nhsuk-header"');
  });

  it("shows every record held on All Competencies, Blue ones included, and what awaits approval", async () => {
    const all = (await agent.get("/compliance?tab=all").expect(200)).text;
    expect(all).toContain("<caption class=\"nhsuk-table__caption\">All Competencies</caption>");
    expect(all).toContain("NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years");
    expect((all.match(/aria-hidden="true">Competency Name <\/span>/g) ?? []).length).toBe(11);
    expect(all).toContain("Rows 1 to 11");
    const awaiting = (await agent.get("/compliance?tab=awaiting").expect(200)).text;
    expect(awaiting).toContain(">None.</td>");
  });

  it("finds the certifications that give a competency, with their details", async () => {
    const page = (await agent.get("/compliance").expect(200)).text;
    const link = /href="(\/compliance\/competencies\/\d+\/learning)" aria-label="Find Learning: NHS\|CSTF\|NHS Conflict Resolution \(England\) - 3 Years"/.exec(page);
    expect(link).not.toBeNull();
    const found = (await agent.get(link![1]!).expect(200)).text;
    expect(found).toContain("NHS|CSTF|NHS Conflict Resolution (England) - 3 Years</dd>"); // without the trailing separator
    for (const heading of ["Certification Name", "Valid Period", "Certification Status", "Progress", "Competence Level", "Details"]) expect(found).toContain(`role="columnheader" scope="col">${heading}</th>`);
    expect(found).toMatch(/297 Core Skills - NHS Conflict Resolution - 3 Years<\/span><\/td>\s*<td class="nhsuk-table__cell app-nowrap" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Valid Period <\/span><span>1095 Day\(s\)<\/span><\/td>/);
    expect(found).toMatch(/href="\/learning\/certifications\/\d+" aria-label="Details: 297 Core Skills - NHS Conflict Resolution - 3 Years">Details<\/a>/);
    await agent.get("/compliance/competencies/999999/learning").expect(404);
  });

  it("prints with lms compliance what the page shows, as text and as JSON", async () => {
    const json = await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297econroy01", "--json");
    expect(json.code).toBe(0);
    const { assignments } = JSON.parse(json.stdout) as { assignments: Array<{ number: string; position: string; percentage: number; rows: Array<{ competency: string; essential: boolean; status: string; expiryDate: string | null; reason: string | null }> }> };
    expect(assignments.map((assignment) => [assignment.number, assignment.position, assignment.percentage])).toEqual([
      ["24552166", "E-Learning & Design Co-Ordinator", 90],
      ["24552167", "Bank Healthcare Assistant", 80],
    ]);
    const red = assignments[0]!.rows.find((row) => row.status === "Red")!;
    expect(red).toMatchObject({ competency: "NHS|CSTF|NHS Conflict Resolution (England) - 3 Years", essential: true, expiryDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), reason: expect.stringMatching(/^expired on /) });
    expect(assignments[0]!.rows.filter((row) => row.status === "Blue")).toHaveLength(1);

    // As of a later date, the Amber record has expired too.
    const later = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01", "--as-of", "2026-06-01", "--json")).stdout);
    expect(later.assignments[0].percentage).toBe(80);
    const text = await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01");
    expect(text.stdout).toContain("24552166 - E-Learning & Design Co-Ordinator: Compliance Percentage 90.0%");
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297NOBODY01")).stderr).toBe('error: No one has the username "297NOBODY01"');
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01", "--as-of", "01/06/2026")).stderr).toBe('error: --as-of "01/06/2026" must be a date from 1900-01-01 to 2999-12-31, YYYY-MM-DD');
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01", "--as-of", "2026-02-30")).stderr).toBe('error: --as-of "2026-02-30" must be a date from 1900-01-01 to 2999-12-31, YYYY-MM-DD');
    // As of a date before any record was achieved, nothing is held yet.
    const before = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01", "--as-of", "2020-01-01", "--json")).stdout);
    expect(before.assignments[0].percentage).toBe(0);
  });

  it("reports the trust's compliance by position and competency, and what is expiring, as the learners' pages show it", async () => {
    const today = NOW.slice(0, 10);
    const byPosition = await lms({ ...t.env, LMS_NOW: NOW }, "report", "compliance", "--csv", "--as-of", today);
    const lines = byPosition.stdout.split("\n");
    expect(lines[0]).toBe("Position,Assignments,Required,Green,Amber,Red,Compliance Percentage");
    expect(lines).toContain("E-Learning & Design Co-Ordinator,1,10,8,1,1,90.0"); // the demo learner's page: 90%
    const byCompetency = await lms({ ...t.env, LMS_NOW: NOW }, "report", "compliance", "--csv", "--by", "competency");
    expect(byCompetency.stdout.split("\n")[0]).toBe("Competency Name,Required,Green,Amber,Red,Compliance Percentage");
    const expiring = await lms({ ...t.env, LMS_NOW: NOW }, "report", "expiring", "--csv");
    const amber = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", "297ECONROY01", "--json")).stdout).assignments.flatMap((assignment: { rows: Array<{ status: string; competency: string }> }) => assignment.rows.filter((row) => row.status === "Amber"));
    expect(amber.length).toBeGreaterThan(0);
    for (const row of amber) expect(expiring.stdout).toContain(row.competency);
    expect(expiring.stdout.split("\n")[0]).toBe("Employee Number,Name,Assignment,Position,Competency Name,Expiry Date");
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "report", "everything")).stderr).toBe('error: There is no report "everything": choose compliance, courses, expiring or trend');
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "report", "compliance")).stdout).toContain("By competency");
  });

  it("shows L&D the trust's reports in the browser's terms, and exports them as CSV that agrees with the learner's page", async () => {
    const admin = await logInAgent(t.app, "297GOKAFOR01", "l-and-d-admin-demo");
    const page = (await admin.get("/admin/reports").expect(200)).text;
    expect(page).toMatch(/<tr class="nhsuk-table__row" role="row" data-position="E-Learning &amp; Design Co-Ordinator">[\s\S]*?data-field="percentage"><span class="nhsuk-table__heading" aria-hidden="true">Compliance Percentage <\/span>90.0%<\/td>/);
    // Its bar in the chart: 8 Green, 1 Amber, 1 Red of 10, each part in its colour.
    expect(page).toMatch(/<g data-label="E-Learning &amp; Design Co-Ordinator">[\s\S]*?90.0%[\s\S]*?width="80.000%" height="18" fill="#007f3b" data-status="Green"[\s\S]*?width="10.000%" height="18" fill="url\(#by-position-chart-amber\)"[\s\S]*?width="10.000%" height="18" fill="url\(#by-position-chart-red\)"/);
    for (const heading of ["Compliance by position", "Compliance by competency", "Expiring in the next 3 months", "Course status"]) expect(page).toContain(heading);
    const csv = await admin.get(`/admin/reports/compliance-by-position.csv?asOf=${NOW.slice(0, 10)}`).expect(200);
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="compliance-by-position-${NOW.slice(0, 10)}.csv"`);
    expect(csv.text.split("\r\n")).toContain("E-Learning & Design Co-Ordinator,1,10,8,1,1,90.0");
    await admin.get("/admin/reports/everything.csv").expect(404);
    expectErrorPattern((await admin.get("/admin/reports?asOf=2026-13-45").expect(400)).text, [{ field: "asOf", message: "The As of date must be a real date (2026-13-45 does not exist)" }]);
    expectErrorPattern((await admin.get("/admin/reports?asOf=9999-12-31").expect(400)).text, [{ field: "asOf", message: "The As of date must be between 1900-01-01 and 2999-12-31" }]);
    await agent.get("/admin/reports").expect(403); // a learner reaches none of it
  });

  it("prints with lms certification the subscription and each component", async () => {
    const name = "297 Core Skills - NHS Conflict Resolution - 3 Years";
    const before = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "certification", "--username", "297ECONROY01", "--name", name, "--json")).stdout);
    expect(before.subscription).toBeNull();
    expect(before.components.map((row: { componentStatus: string; performanceStatus: string }) => [row.componentStatus, row.performanceStatus])).toEqual([
      ["Planned", "Not Attempted"],
      ["Planned", "Not Attempted"],
      ["Planned", "Not Attempted"],
    ]);
    expect(before.components[0].reason).toBe("not subscribed - learning played now will not count");
    const person = await t.db("accounts").where({ username: "297ECONROY01" }).first("person_id");
    const certification = await t.db("certifications").where({ name }).first("id");
    await t.db("subscriptions").insert({ person_id: person.person_id, certification_id: certification.id, status: "Subscribed", subscribed_at: "2026-02-01T00:00:00.000Z", complete_by: "2029-01-31" });
    const after = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "certification", "--username", "297ECONROY01", "--name", name, "--json")).stdout);
    expect(after.subscription).toMatchObject({ status: "Subscribed", completeBy: "2029-01-31" });
    expect(after.components[0]).toMatchObject({ componentStatus: "Planned", reason: "not played yet" });
    expect((await lms({ ...t.env, LMS_NOW: NOW }, "certification", "--username", "297ECONROY01", "--name", "No Such")).stderr).toBe('error: No certification is named "No Such"');
  });
});
