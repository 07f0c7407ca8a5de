import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { signedIn, type SignedInAgent } from "../support/role-agents.ts";

const HEADER = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position,Line Manager Employee Number";

/**
 * The people CSV's Line Manager Employee Number (issue 20: the people behind a report listed with
 * their line): someone in the same file or already in the LMS, never the row's own person; an
 * unknown one named with its row and column beside every other problem; an empty cell none.
 */
describe("Upload people: Line Manager Employee Number", () => {
  let t: TestApp;
  let admin: SignedInAgent;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-03-01T09:00:00.000Z" });
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace", assignments: [] }));
    await buildLearner(t.db, t.clock, { name: "Lead, Lena", employeeNumber: "30000001", assignments: [] });
  });
  afterAll(() => t.cleanup());

  const upload = (csv: string, mode: "check" | "import" = "import") =>
    admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).field("mode", mode).attach("file", Buffer.from(csv, "utf8"), { filename: "staff.csv", contentType: "text/csv" });
  const problemsIn = (html: string) => [...html.matchAll(/<li><a href="#file">([^<]+)<\/a><\/li>/g)].map((match) => match[1]!.replace(/&#34;/g, '"'));
  const lineManagerOf = async (assignment: string) => {
    const row = await t.db("assignments").leftJoin("people", "people.id", "assignments.line_manager_id").where("assignments.number", assignment).first("people.employee_number");
    return row?.employee_number ?? null;
  };

  it("sets each assignment's line manager: someone already here, or someone the same file adds further down", async () => {
    const csv = [
      HEADER,
      "40000001,Nurse,Nia,nia.nurse@example.org,1990-01-01,,,60000001,Healthcare Assistant,40000002", // managed by the next row
      "40000002,Sister,Sam,sam.sister@example.org,1985-01-01,,,60000002,Healthcare Assistant,30000001", // managed by someone here
      "40000003,Porter,Pat,pat.porter@example.org,1992-01-01,,,60000003,Healthcare Assistant,",
    ].join("\n");
    const response = await upload(csv).expect(200);
    expect(response.text).toContain("staff.csv imported: 3 added");
    expect(await lineManagerOf("60000001")).toBe("40000002");
    expect(await lineManagerOf("60000002")).toBe("30000001");
    expect(await lineManagerOf("60000003")).toBeNull();
    // The same file again changes nothing.
    expect((await upload(csv, "check").expect(200)).text).toContain("change 0 and leave 3 as they are");
  });

  it("lists a change of line manager in Check only, changes it on Import, and an empty cell takes it away", async () => {
    const moved = `${HEADER}\n40000001,Nurse,Nia,nia.nurse@example.org,1990-01-01,,,60000001,Healthcare Assistant,30000001`;
    expect((await upload(moved, "check").expect(200)).text).toContain("Assignment 60000001: line manager Sister, Sam (40000002) -&gt; Lead, Lena (30000001)");
    expect(await lineManagerOf("60000001")).toBe("40000002");
    await upload(moved).expect(200);
    expect(await lineManagerOf("60000001")).toBe("30000001");
    await upload(`${HEADER}\n40000001,Nurse,Nia,nia.nurse@example.org,1990-01-01,,,60000001,Healthcare Assistant,`).expect(200);
    expect(await lineManagerOf("60000001")).toBeNull();
  });

  it("keeps the line managers a file without the column does not mention", async () => {
    await upload(`${HEADER}\n40000003,Porter,Pat,pat.porter@example.org,1992-01-01,,,60000003,Healthcare Assistant,30000001`).expect(200);
    await upload(`${HEADER.replace(",Line Manager Employee Number", "")}\n40000003,Porter,Pat,pat.porter@example.org,1992-01-01,,,60000003,Healthcare Assistant`).expect(200);
    expect(await lineManagerOf("60000003")).toBe("30000001");
  });

  it("names an unknown line manager and one who is the row's own person by row and column, with every other problem, and imports nothing", async () => {
    const response = await upload([
      HEADER,
      "40000010,Unknown,Una,una.unknown@example.org,1990-01-01,,,60000010,Healthcare Assistant,99999999",
      "40000011,Self,Sid,sid.self@example.org,1990-01-01,,,60000011,Healthcare Assistant,40000011",
      "40000012,Bad,Bea,bea.bad@example.org,31/02/1990,,,60000012,Healthcare Assistant,88888888", // a refused row's line manager is still checked
      ",Nopost,Noa,noa.nopost@example.org,1990-01-01,,,,,30000001",
      "40000003,Porter,Pat,pat.porter@example.org,1992-01-01,,,60000003,Healthcare Assistant,40000003", // already here: themselves by their stored number
    ].join("\n")).expect(400);
    expect(problemsIn(response.text)).toEqual([
      "Row 2, Line Manager Employee Number: no one has employee number 99999999, in this file or in the LMS",
      "Row 3, Line Manager Employee Number: a person cannot be their own line manager",
      'Row 4, Date of Birth: "31/02/1990" must be a real date (31/02/1990 does not exist)',
      "Row 4, Line Manager Employee Number: no one has employee number 88888888, in this file or in the LMS",
      "Row 5, Line Manager Employee Number: give it with the Assignment Number and Position it belongs to",
      "Row 6, Line Manager Employee Number: a person cannot be their own line manager",
    ]);
    expect(await t.db("people").whereIn("employee_number", ["40000010", "40000011"])).toEqual([]);
    expect(await lineManagerOf("60000003")).toBe("30000001");
  });

  it("offers the column in the template and names it on the page", async () => {
    const template = await admin.agent.get("/admin/people/upload/template.csv").expect(200);
    expect(template.text.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toBe(HEADER.replace(",Line Manager", ",Assignment Start Date,Line Manager"));
    expect((await admin.agent.get("/admin/people/upload").expect(200)).text).toContain("Line Manager Employee Number (optional) is the employee number of the person they report to");
  });
});
