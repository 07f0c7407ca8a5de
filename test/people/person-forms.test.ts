import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/**
 * Add a person, a person's Details and an assignment in the NHS error pattern: bad input with
 * several problems comes back with all of them at once, each linked to its field and shown beside
 * it, with what was typed, and nothing stored.
 */
describe("the person forms' problems", () => {
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

  const count = async (table: string) => Number((await t.db(table).count({ n: "*" }).first())?.n);

  it("lists every problem of Add a person at once, each linked to its field, with what was typed", async () => {
    const before = await count("people");
    const response = await admin
      .post("/admin/people")
      .type("form")
      .send({ _csrf: csrf, lastName: "", firstName: "Ann, Marie", email: "ann@", day: "30", month: "2", year: "2026", employeeNumber: "E12", username: "a b", role: "learner", number: "30000AB", position: "", startDate: "2026-02-30" })
      .expect(400);
    expectErrorPattern(response.text, [
      { field: "lastName", message: "Enter the last name" },
      { field: "firstName", message: "The first name cannot contain a comma" },
      { field: "email", message: "Enter an email address, like name@example.org" },
      { field: "day", message: "Date of birth must be a real date (2026-02-30 does not exist)" },
      { field: "employeeNumber", message: "The employee number must be 1 to 20 digits" },
      { field: "username", message: "The username must be 3 to 50 letters" },
      { field: "number", message: "The assignment number must be 1 to 20 digits" },
      { field: "position", message: "Choose the position" },
      { field: "startDate", message: "The start date must be a real date (2026-02-30 does not exist)" },
    ]);
    expect(response.text).toContain('value="Ann, Marie"');
    expect(response.text).toMatch(/id="day"[^>]*value="30"/);
    expect(response.text).not.toMatch(/<(input|select)[^>]*\srequired/);
    expect(await count("people")).toBe(before);

    const partial = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "Part", firstName: "Pat", email: "pat@example.org", day: "", month: "4", year: "" }).expect(400);
    expectErrorPattern(partial.text, [{ field: "day", message: "Date of birth must include a day and a year" }]);
    const future = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "Part", firstName: "Pat", email: "pat@example.org", day: "1", month: "4", year: "2030" }).expect(400);
    expectErrorPattern(future.text, [{ field: "day", message: "Date of birth must be in the past" }]);
    expect(await count("people")).toBe(before);
  });

  it("puts what only the database can tell on its field: a username taken, a position that does not exist", async () => {
    const taken = await buildLearner(t.db, t.clock, { name: "Taken, Tom" });
    const response = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "New", firstName: "Nia", email: "nia@example.org", day: "1", month: "2", year: "1990", username: taken.username }).expect(409);
    expectErrorPattern(response.text, [{ field: "username", message: `Username ${taken.username} is already taken` }]);
    const unknown = await admin.post("/admin/people").type("form").send({ _csrf: csrf, lastName: "New", firstName: "Nia", email: "nia@example.org", day: "1", month: "2", year: "1990", number: "30000500", position: "Astronaut" }).expect(400);
    expectErrorPattern(unknown.text, [{ field: "position", message: 'Position "Astronaut" does not exist' }]);
  });

  it("lists every problem of Details and of an assignment at once, and changes nothing", async () => {
    const person = await buildLearner(t.db, t.clock, { name: "Kept, Kay", email: "kay@example.org" });
    const base = `/admin/people/${person.personId}`;
    const assignmentsBefore = await t.db("assignments").where({ person_id: person.personId });
    const details = await admin.post(`${base}/details`).type("form").send({ _csrf: csrf, lastName: "", firstName: "", email: "kay", day: "31", month: "4", year: "1990" }).expect(400);
    expectErrorPattern(details.text, [
      { field: "lastName", message: "Enter the last name" },
      { field: "firstName", message: "Enter the first name" },
      { field: "email", message: "Enter an email address, like name@example.org" },
      { field: "day", message: "Date of birth must be a real date (1990-04-31 does not exist)" },
    ]);
    expect(details.text).toContain('value="kay"');
    const assignment = await admin.post(`${base}/assignments`).type("form").send({ _csrf: csrf, number: "", position: "", startDate: "2026-13-01" }).expect(400);
    expectErrorPattern(assignment.text, [
      { field: "number", message: "Enter the assignment number" },
      { field: "position", message: "Choose the position" },
      { field: "startDate", message: "The start date must be a real date (2026-13-01 does not exist)" },
    ]);
    expect(await t.db("people").where({ id: person.personId }).first("last_name", "email")).toEqual({ last_name: "Kept", email: "kay@example.org" });
    expect(await t.db("assignments").where({ person_id: person.personId })).toEqual(assignmentsBefore);
  });

  it("is L&D's alone", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const learnerCsrf = csrfFrom((await agent.get("/").expect(200)).text);
    await agent.get("/admin/people/new").expect(403);
    await agent.post("/admin/people").type("form").send({ _csrf: learnerCsrf, lastName: "", firstName: "" }).expect(403);
    await agent.post(`/admin/people/${learner.personId}/details`).type("form").send({ _csrf: learnerCsrf, lastName: "" }).expect(403);
  });
});
