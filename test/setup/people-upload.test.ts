import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const HEADER = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position";

/** Upload people: Check only, then Import the checked file without choosing it again; every problem told at once. */
describe("Upload people: Check only, then Import", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: SignedInAgent;
  let otherAdmin: SignedInAgent;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace", assignments: [] }));
    otherAdmin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Patel, Ravi", assignments: [] }));
  });
  afterAll(() => t.cleanup());

  const check = (who: SignedInAgent, csv: string) =>
    who.agent.post("/admin/people/upload").field("_csrf", who.csrf).field("mode", "check").attach("file", Buffer.from(csv, "utf8"), { filename: "staff.csv", contentType: "text/csv" });
  const importChecked = (who: SignedInAgent, checked: string) => who.agent.post("/admin/people/upload/checked").type("form").send({ _csrf: who.csrf, checked });
  const referenceIn = (html: string) => /name="checked" value="([^"]+)"/.exec(html)?.[1];
  const peopleNamed = (lastName: string) => t.db("people").where({ last_name: lastName });

  it("imports the checked file from the page that checked it, without a second upload, once", async () => {
    const checked = (await check(admin, `${HEADER}\n,Conroy,Emma,emma.conroy@example.org,1988-04-12,,,24552166,Healthcare Assistant`).expect(200)).text;
    expect(checked).toContain("staff.csv is ready: 1 person with 1 assignment, no problems.");
    expect(checked).toMatch(/<form method="post" action="\/admin\/people\/upload\/checked" novalidate/);
    expect(checked).toContain("<button class=\"nhsuk-button\" type=\"submit\">Import staff.csv</button>");
    expect(await peopleNamed("Conroy")).toEqual([]);

    const imported = (await importChecked(admin, referenceIn(checked)!).expect(200)).text;
    expect(imported).toContain("staff.csv imported: 1 added, 0 changed, 0 unchanged");
    expect(await peopleNamed("Conroy")).toHaveLength(1);
    expect(await t.db("mail_outbox").where({ to_address: "emma.conroy@example.org" })).toHaveLength(1);
    // The same reference again (Back, then Import) imports nothing more: the file was used.
    const again = await importChecked(admin, referenceIn(checked)!).expect(400);
    expectErrorPattern(again.text, [{ field: "file", message: "The checked file is no longer kept" }]);
    expect(await t.db("mail_outbox").where({ to_address: "emma.conroy@example.org" })).toHaveLength(1);
  });

  it("refuses a reference that is changed, made up, another administrator's, or past its time", async () => {
    const csv = `${HEADER}\n,Novak,Ana,ana.novak@example.org,1991-01-02,,,24552167,Healthcare Assistant`;
    const reference = referenceIn((await check(admin, csv).expect(200)).text)!;
    await importChecked(admin, `${reference.slice(0, -1)}${reference.endsWith("A") ? "B" : "A"}`).expect(400);
    await importChecked(admin, "../../etc/passwd").expect(400);
    await importChecked(otherAdmin, reference).expect(400); // bound to the session that checked it
    expect(await peopleNamed("Novak")).toEqual([]);
    clock.set("2026-03-01T09:31:00.000Z");
    await importChecked(admin, reference).expect(400);
    expect(await peopleNamed("Novak")).toEqual([]);
    clock.set("2026-03-01T09:00:00.000Z");
  });

  it("checks the kept file again as it imports: what changed since the Check is told, and nothing is imported", async () => {
    await t.db("positions").insert({ organisation_id: (await t.db("organisations").first("id")).id, name: "Porter" });
    const reference = referenceIn((await check(admin, `${HEADER}\n,Reyes,Luis,luis.reyes@example.org,1990-05-06,,,24552168,Porter`).expect(200)).text)!;
    await buildLearner(t.db, t.clock, { name: "Early, Ed", assignments: [{ number: "24552168", position: "Healthcare Assistant" }] });
    const refused = (await importChecked(admin, reference).expect(400)).text;
    expect(refused).toContain("Row 2, Assignment Number: assignment 24552168 already belongs to someone else");
    expect(await peopleNamed("Reyes")).toEqual([]);
  });

  it("tells every problem of a row at once: an unknown Position beside a bad date, each with its row and column", async () => {
    const response = await check(admin, [HEADER, ",Bad,Date,bad.date@example.org,31/02/1990,,,50000003,Porters Lodge", ",Good,Row,good.row@example.org,1990-01-01,,,50000004,Porter"].join("\n")).expect(400);
    const problems = [...response.text.matchAll(/<li><a href="#file">([^<]+)<\/a><\/li>/g)].map((match) => match[1]!.replace(/&#34;/g, '"'));
    expect(problems[0]).toBe('Row 2, Date of Birth: "31/02/1990" must be a real date (31/02/1990 does not exist)');
    expect(problems[1]).toMatch(/^Row 2, Position: no position named "Porters Lodge"/);
    expect(problems).toHaveLength(2);
    expect(response.text).not.toContain('name="checked"');
  });

  it("tells a date in the right shape that is no day on the calendar that it does not exist, not to use the shape it has", async () => {
    const response = await check(admin, [HEADER + ",Assignment Start Date", ",Leap,Less,leap.less@example.org,1990-02-30,,,50000005,Porter,2026-02-29", ",Shape,Less,shape.less@example.org,30th Feb,,,50000006,Porter,soon"].join("\n")).expect(400);
    const problems = [...response.text.matchAll(/<li><a href="#file">([^<]+)<\/a><\/li>/g)].map((match) => match[1]!.replace(/&#34;/g, '"'));
    expect(problems).toEqual([
      'Row 2, Date of Birth: "1990-02-30" must be a real date (1990-02-30 does not exist)',
      'Row 2, Assignment Start Date: "2026-02-29" must be a real date (2026-02-29 does not exist)',
      'Row 3, Date of Birth: "30th Feb" must be a date, e.g. 1988-04-12 or 12/04/1988',
      'Row 3, Assignment Start Date: "soon" must be a date, e.g. 2026-12-01 or 01/12/2026',
    ]);
  });

  it("asks for a file when none is chosen, in the error pattern", async () => {
    const response = await admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).field("mode", "check").expect(400);
    expectErrorPattern(response.text, [{ field: "file", message: "Select a CSV file to upload" }]);
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) await importChecked(agents[who], "x".repeat(32)).expect(403);
    await importChecked(agents.anonymous, "x".repeat(32)).expect(302);
    await admin.agent.post("/admin/people/upload/checked").type("form").send({ _csrf: "forged", checked: "x" }).expect(403);
  });
});
