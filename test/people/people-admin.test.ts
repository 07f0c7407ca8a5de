import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const HEADER = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position";

/** L&D adding people and assignments one at a time and by CSV, through the real app. */
describe("people and assignments", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: Awaited<ReturnType<typeof logInAgent>>;
  let csrf: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const person = await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" });
    await t.db("positions").insert({ organisation_id: (await t.db("organisations").first("id")).id, name: "Staff Nurse" });
    admin = await logInAgent(t.app, person.username, person.password);
    csrf = csrfFrom((await admin.get("/admin/people/new").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  const upload = (csv: string, mode: "check" | "import" = "import") =>
    admin.post(`/admin/people/upload`).field("_csrf", csrf).field("mode", mode).attach("file", Buffer.from(csv, "utf8"), { filename: "people.csv", contentType: "text/csv" });
  const count = async (table: string) => Number((await t.db(table).count({ n: "*" }).first())?.n);
  const outboxTo = (email: string) => t.db("mail_outbox").where({ to_address: email }).select("subject", "text_body as text");

  it("adds a person with an assignment; they are emailed a link, choose their password and log in", async () => {
    const response = await admin
      .post("/admin/people")
      .type("form")
      .send({ _csrf: csrf, lastName: "Ní Bhriain", firstName: "Aoife", email: "aoife.nibhriain@example.org", day: "9", month: "11", year: "1991", role: "learner", number: "30000001", position: "Staff Nurse" })
      .expect(303);
    const personId = Number(/\/admin\/people\/(\d+)\/edit\?done=added/.exec(response.headers.location ?? "")![1]);
    const account = await t.db("accounts").where({ person_id: personId }).first("username", "password_hash");
    expect(account.username).toBe("297ANIBHRIAIN01");
    expect((await t.db("people").where({ id: personId }).first("date_of_birth")).date_of_birth).toBe("1991-11-09");
    expect(await t.db("assignments").where({ person_id: personId }).pluck("number")).toEqual(["30000001"]);

    // No one knows a password yet: the stored value is no hash of anything.
    expect(account.password_hash).not.toMatch(/^\$argon2/);
    const login = request.agent(t.app);
    const loginCsrf = csrfFrom((await login.get("/login")).text);
    const refused = await login.post("/login").type("form").send({ _csrf: loginCsrf, username: account.username, password: account.password_hash });
    expect(refused.status).toBe(401);

    const [mail] = await outboxTo("aoife.nibhriain@example.org");
    expect(mail.subject).toBe("297 Your learning account");
    expect(mail.text).toContain(`Your username is: ${account.username}`);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const person = request.agent(t.app);
    const form = (await person.get(`/account/reset?token=${token}`).expect(200)).text;
    await person.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token, password: "heather otter lamplight", confirm: "heather otter lamplight" }).expect(303);
    await logInAgent(t.app, account.username, "heather otter lamplight");
    expect(await listAudit(t.db, { personId, kind: "account.invited" })).toHaveLength(1);
  });

  it("keeps the form and lists its problems when a person cannot be added", async () => {
    const before = await count("people");
    const response = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "Doe", firstName: "", email: "not-an-email", day: "31", month: "2", year: "1990", number: "30000002", position: "Staff Nurse" }).expect(400);
    expectErrorPattern(response.text, [
      { field: "firstName", message: "Enter the first name" },
      { field: "email", message: "Enter an email address, like name@example.org" },
      { field: "day", message: "Date of birth must be a real date (1990-02-31 does not exist)" },
    ]);
    expect(response.text).toContain('value="Doe"');
    expect(await count("people")).toBe(before);
  });

  it("refuses a role that is not one, rather than quietly adding a learner", async () => {
    const before = await count("people");
    const response = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "Roleless", firstName: "Rae", email: "rae@example.org", day: "1", month: "2", year: "1990", role: "superuser" }).expect(400);
    expectErrorPattern(response.text, [{ field: "role", message: "Choose a role from the list" }]);
    expect(await count("people")).toBe(before);
  });

  it("changes details, adds, moves and removes assignments; compliance follows and records stay", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Moved, Mo", assignments: [{ number: "30000010", position: "Healthcare Assistant" }] });
    const base = `/admin/people/${learner.personId}`;
    await admin.post(`${base}/assignments`).type("form").send({ _csrf: csrf, number: "30000011", position: "Staff Nurse" }).expect(303);
    await admin.post(`${base}/assignments`).type("form").send({ _csrf: csrf, number: "30000010", position: "Staff Nurse" }).expect(303);
    expect(await t.db("assignments").join("positions", "positions.id", "assignments.position_id").where({ person_id: learner.personId }).orderBy("number").select("number", "name", "is_primary")).toEqual([
      { number: "30000010", name: "Staff Nurse", is_primary: expect.anything() },
      { number: "30000011", name: "Staff Nurse", is_primary: expect.anything() },
    ]);
    await admin.post(`${base}/assignments/30000010/remove`).type("form").send({ _csrf: csrf }).expect(303);
    expect(Boolean((await t.db("assignments").where({ number: "30000011" }).first("is_primary")).is_primary)).toBe(true);

    // Someone else's assignment number is refused, naming the problem.
    const other = await buildLearner(t.db, t.clock, { assignments: [{ number: "30000099", position: "Staff Nurse" }] });
    const refused = await admin.post(`${base}/assignments`).type("form").send({ _csrf: csrf, number: "30000099", position: "Staff Nurse" }).expect(409);
    expectErrorPattern(refused.text, [{ field: "number", message: "Assignment number 30000099 belongs to someone else" }]);
    expect((await t.db("assignments").where({ number: "30000099" }).first("person_id")).person_id).toBe(other.personId);

    await admin.post(`${base}/details`).type("form").send({ _csrf: csrf, lastName: "Moved", firstName: "Morgan", email: "morgan.moved@example.org", day: "3", month: "2", year: "1990" }).expect(303);
    expect(await t.db("people").where({ id: learner.personId }).first("first_name", "email")).toEqual({ first_name: "Morgan", email: "morgan.moved@example.org" });
    expect((await admin.get(`${base}/edit`).expect(200)).text).toContain("30000011");
  });

  it("imports a CSV in one go: new people invited, a person's two rows become two assignments, a known person updated", async () => {
    const known = await buildLearner(t.db, t.clock, { name: "Known, Kit", employeeNumber: "40000001", dob: "1985-06-07", email: "kit@example.org" });
    const csv = [
      HEADER,
      ',Zoë,Ødegård,"zoe.odegard@example.org",07/05/1993,,Learner,40000101,Staff Nurse',
      ',Zoë,Ødegård,"zoe.odegard@example.org",07/05/1993,,Learner,40000102,Healthcare Assistant',
      '40000001,Known,"Kit, Jr",kit.new@example.org,1985-06-07,,Course author,40000103,Staff Nurse',
    ].join("\r\n");
    const checked = await upload(csv, "check").expect(200);
    expect(checked.text).toContain("is ready: 2 people with 3 assignments");
    expect(checked.text).toContain("Importing it would add 1, change 1 and leave 0 as they are");
    expect(checked.text).toContain("Name: Known, Kit -&gt; Known, Kit, Jr; Email: kit@example.org -&gt; kit.new@example.org; Role: learner -&gt; author; Assignment 40000103: new, Staff Nurse");
    expect(await t.db("people").where({ last_name: "Zoë" }).first()).toBeUndefined();

    const imported = await upload(`\uFEFF${csv}`).expect(200);
    expect(imported.text).toContain("imported: 1 added, 1 changed, 0 unchanged (3 assignments in the file)");
    expect(await listAudit(t.db, { personId: known.personId, kind: "person.updated" })).toEqual([expect.objectContaining({ detail: { by: "import", changes: expect.arrayContaining(["Email: kit@example.org -> kit.new@example.org"]) } })]);
    const zoe = await t.db("people").where({ last_name: "Zoë", first_name: "Ødegård" }).first("id", "date_of_birth");
    expect(zoe.date_of_birth).toBe("1993-05-07");
    expect(await t.db("assignments").where({ person_id: zoe.id }).orderBy("number").pluck("number")).toEqual(["40000101", "40000102"]);
    expect(await t.db("people").where({ id: known.personId }).first("first_name", "email")).toEqual({ first_name: "Kit, Jr", email: "kit.new@example.org" });
    expect((await t.db("accounts").where({ person_id: known.personId }).first("role")).role).toBe("author");
    expect(await outboxTo("zoe.odegard@example.org")).toHaveLength(1);
    expect(await outboxTo("kit.new@example.org")).toHaveLength(0); // they have a password already

    // The same file again changes nothing and adds no one.
    const people = await count("people");
    expect((await upload(csv).expect(200)).text).toContain("imported: 0 added, 0 changed, 2 unchanged");
    expect(await count("people")).toBe(people);

    // A row matching someone by employee number but with another date of birth is someone else.
    const hijack = await upload(`${HEADER}\n40000001,Hijack,Someone,hijack@example.org,2000-01-01,,,,`).expect(400);
    expect(hijack.text).toContain(`Row 2, Date of Birth: 2000-01-01 is not the date of birth of ${known.username}, whom this row matches`);
    expect((await t.db("people").where({ id: known.personId }).first("last_name")).last_name).toBe("Known");
  });

  it("names every bad row and column, and imports nothing when any row is bad", async () => {
    const before = { people: await count("people"), assignments: await count("assignments"), mail: await count("mail_outbox") };
    const csv = [
      HEADER,
      ",Good,Gary,gary.good@example.org,1990-01-01,,,50000001,Staff Nurse",
      ",Bad,Email,not-an-email,1990-01-01,,,50000002,Staff Nurse",
      ",Bad,Date,bad.date@example.org,31/02/1990,,,50000003,Staff Nurse",
      ",Bad,Position,bad.position@example.org,1990-01-01,,,50000004,Porter",
      ",Bad,Role,bad.role@example.org,1990-01-01,,Superuser,50000005,Staff Nurse",
      ",Taken,Number,taken@example.org,1990-01-01,,,30000011,Staff Nurse",
      ",Short,Row,short@example.org",
      ",Twice,Listed,twice@example.org,1990-01-01,,,50000001,Staff Nurse",
      ",No,Position,noposition@example.org,1990-01-01,,,50000006,",
    ].join("\n");
    const response = await upload(csv).expect(400);
    const problems = [...response.text.matchAll(/<li><a href="#file">(Row [^<]+)<\/a><\/li>/g)].map((match) => match[1]!.replace(/&#34;/g, '"'));
    expect(problems).toEqual(
      expect.arrayContaining([
        "Row 3, Email: must be an email address",
        expect.stringMatching(/^Row 4, Date of Birth: "31\/02\/1990" must be a real date \(31\/02\/1990 does not exist\)/),
        'Row 5, Position: no position named "Porter"',
        expect.stringMatching(/^Row 6, Role: "Superuser" must be one of/),
        "Row 7, Assignment Number: assignment 30000011 already belongs to someone else",
        "Row 8: has 4 cells where the header has 9",
        'Row 9, Assignment Number: "50000001" is listed twice (also on row 2)',
        "Row 10: give both Assignment Number and Position, or neither",
      ]),
    );
    expect(response.text).toContain("Nothing was imported");
    expect({ people: await count("people"), assignments: await count("assignments"), mail: await count("mail_outbox") }).toEqual(before);
  });

  it("refuses a file that is not the expected CSV with a clear message", async () => {
    expect((await upload("Name,Email\nx,y").expect(400)).text).toContain("Row 1: unknown column &#34;Name&#34;");
    expect((await upload(`${HEADER}\n,"Unclosed,quote,a@b.org,1990-01-01,,,1,Staff Nurse`).expect(400)).text).toContain("The file is not valid CSV");
    expect((await upload(HEADER).expect(400)).text).toContain("The file has no rows below its header");
    const windows1252 = Buffer.concat([Buffer.from(`${HEADER}\n,Ch`), Buffer.from([0xe9]), Buffer.from("rie,Zoe,cherie@example.org,1990-01-01,,,,\n")]);
    const refused = await admin.post(`/admin/people/upload`).field("_csrf", csrf).field("mode", "check").attach("file", windows1252, { filename: "people.csv", contentType: "text/csv" }).expect(400);
    expect(refused.text).toContain("The file is not UTF-8 text");
    const template = await admin.get("/admin/people/upload/template.csv").expect(200);
    expect(template.text.split(/\r?\n/)[0]!.replace(/^\uFEFF/, "")).toBe(`${HEADER},Assignment Start Date,Line Manager Employee Number`);
  });

  it("finds people by any part of their name in any order, accents and case aside, or by part of an employee number", async () => {
    const person = await buildLearner(t.db, t.clock, { name: "Ørsted, Åsa", employeeNumber: "77123456" });
    expect(person.username).toBe("297AORSTED01");
    const found = async (q: string) => [...(await admin.get(`/admin/people?q=${encodeURIComponent(q)}`).expect(200)).text.matchAll(/href="\/admin\/people\/(\d+)"/g)].map((match) => Number(match[1]));
    for (const q of ["Ørsted", "ørsted", "ORSTED", "Åsa Ørsted", "Ørsted, Åsa", "asa", "7712345", "297aorsted"]) expect(await found(q), q).toEqual([person.personId]);
    expect(await found("Ørsted Zed")).toEqual([]);
    await admin.post(`/admin/people/${person.personId}/details`).type("form").send({ _csrf: csrf, lastName: "Lindqvist", firstName: "Åsa", email: "asa@example.org", day: "3", month: "2", year: "1990" }).expect(303);
    expect(await found("lindqvist åsa")).toEqual([person.personId]); // the new name is searched
  });

  it("keeps when someone started in an assignment, from the form and from the CSV, and refuses a start that is no date", async () => {
    const person = await buildLearner(t.db, t.clock, { name: "Mensah, Kofi" });
    const startOf = async (number: string) => (await t.db("assignments").where({ number }).first("start_date"))?.start_date ?? null;
    await admin.post(`/admin/people/${person.personId}/assignments`).type("form").send({ _csrf: csrf, number: "61000001", position: "Staff Nurse", startDate: "2026-02-16" }).expect(303);
    expect(await startOf("61000001")).toBe("2026-02-16");
    expect((await admin.get(`/admin/people/${person.personId}/edit`).expect(200)).text).toContain("16-Feb-2026");
    // Saved again without a start date (moved to another position, say), it keeps the one it has.
    await admin.post(`/admin/people/${person.personId}/assignments`).type("form").send({ _csrf: csrf, number: "61000001", position: "Staff Nurse" }).expect(303);
    expect(await startOf("61000001")).toBe("2026-02-16");
    const refused = await admin.post(`/admin/people/${person.personId}/assignments`).type("form").send({ _csrf: csrf, number: "61000002", position: "Staff Nurse", startDate: "2026-02-30" }).expect(400);
    expectErrorPattern(refused.text, [{ field: "startDate", message: "The start date must be a real date (2026-02-30 does not exist)" }]);
    expect(await t.db("assignments").where({ number: "61000002" }).first()).toBeUndefined();

    const header = `${HEADER},Assignment Start Date`;
    const bad = await upload(`${header}\n,Adeyemi,Tola,tola.adeyemi@example.org,1990-05-05,,,61000003,Staff Nurse,31/02/2026\n,Adeyemi,Tola,tola.adeyemi@example.org,1990-05-05,,,,,2026-02-01`).expect(400);
    expect(bad.text).toContain("Row 2, Assignment Start Date: &#34;31/02/2026&#34; must be a real date (31/02/2026 does not exist)");
    expect(bad.text).toContain("Row 3, Assignment Start Date: give it with the Assignment Number and Position it belongs to");
    await upload(`${header}\n,Adeyemi,Tola,tola.adeyemi@example.org,1990-05-05,,,61000003,Staff Nurse,01/03/2026`).expect(200);
    expect(await startOf("61000003")).toBe("2026-03-01");
  });

  it("is closed to learners and authors", async () => {
    const author = await buildLearner(t.db, t.clock, { role: "author" });
    const agent = await logInAgent(t.app, author.username, author.password);
    const authorCsrf = csrfFrom((await agent.get("/").expect(200)).text);
    await agent.get("/admin/people/new").expect(403);
    await agent.post("/admin/people").type("form").send({ _csrf: authorCsrf, lastName: "Sneaky", firstName: "Sam", email: "sam@example.org", day: "1", month: "1", year: "1990" }).expect(403);
    expect(await t.db("people").where({ last_name: "Sneaky" }).first()).toBeUndefined();
  });
});
