import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { isPostgres, rawRows } from "../../server/db/connect.ts";
import { parse } from "csv-parse/sync";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { courseStatusCounts, courseStatusPages, courseStatuses } from "../../server/learning/course-status.ts";
import { requirementPeople, requirementPeoplePages } from "../../server/compliance/requirement-people-reads.ts";
import { expiringCompetencies, expiringCompetencyPages, soonestExpiring } from "../../server/compliance/expiring-reads.ts";

const NOW = "2026-03-15T09:00:00.000Z";
const AS_OF = "2026-03-15";
const COURSES = ["297 Pages - Course A", "297 Pages - Course B"];
const STAFF = 23;

/**
 * The reports' CSVs read their rows a page at a time (issue 21: a 200,000-staff trust's list is
 * never held whole): every page read after the last, in the same order, must add up to exactly the
 * list read in one statement, with names that tie (the same name, told apart by employee number),
 * across more pages than one. And the course people list chooses its course inside the statement.
 */
describe("the reports' lists, read a page at a time", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    const organisationId = Number((await t.db("organisations").insert({ vpd: "297", name: "Pages Trust" }).returning("id"))[0].id);
    const positions = (await t.db("positions").insert([{ organisation_id: organisationId, name: "Porter" }, { organisation_id: organisationId, name: "Nurse" }]).returning("id")).map((row: { id: number }) => Number(row.id));
    const competencies = (await t.db("competencies").insert([{ name: "297|LOCAL|Pages One|" }, { name: "297|LOCAL|Pages Two|" }, { name: "297|LOCAL|Pages Three|" }]).returning("id")).map((row: { id: number }) => Number(row.id));
    await t.db("competence_requirements").insert(positions.flatMap((positionId) => competencies.map((competencyId) => ({ position_id: positionId, competency_id: competencyId, essential: true }))));
    const { certificationId } = await buildCertification(t.db, { name: "297 Pages - 1 Year", competency: "297|LOCAL|Pages One|", components: COURSES.map((courseCode) => ({ courseCode })) });
    for (const code of COURSES) {
      const [course] = await t.db("courses").insert({ code, title: code, created_at: NOW }).returning("id");
      await t.db("classes").insert({ course_id: Number(course.id), kind: "elearning", title: `${code} (e-learning)` });
    }
    const elearning = await t.db("classes").join("courses", "courses.id", "classes.course_id").where("courses.code", COURSES[0]).first("classes.id");
    for (let n = 0; n < STAFF; n++) {
      // Five surnames, two first names: most people share their name with someone.
      const [person] = await t.db("people").insert({ organisation_id: organisationId, employee_number: String(90_000_100 - n * 7), last_name: ["Zeller", "Adams", "Mason", "adams", "Ó Briain"][n % 5], first_name: n % 3 ? "Sam" : "Alex", email: `pages${n}@example.org`, date_of_birth: "1990-01-01", created_at: NOW }).returning("id");
      const personId = Number(person.id);
      // Some hold two assignments needing the same competencies.
      for (const [index, positionId] of (n % 4 === 0 ? positions : [positions[n % 2]!]).entries()) await t.db("assignments").insert({ number: `${60_000_000 + n * 10 + index}`, person_id: personId, position_id: positionId, is_primary: index === 0 });
      const records = competencies.flatMap((competencyId, c) => ((n + c) % 4 === 0 ? [] : [{ person_id: personId, competency_id: competencyId, level: "1 - Assessed", achieved_on: "2024-01-01", expires_on: ["2026-04-01", "2026-05-20", "2027-01-01", "2026-03-01"][(n + c) % 4], source: "manual", status: "approved", created_at: NOW }]));
      if (records.length) await t.db("competence_records").insert(records);
      if (n % 3 !== 2) {
        const [subscription] = await t.db("subscriptions").insert({ person_id: personId, certification_id: certificationId, status: "Subscribed", subscribed_at: "2026-03-01T09:00:00.000Z", complete_by: "2027-03-01" }).returning("id");
        if (n % 2) await t.db("enrolments").insert({ person_id: personId, class_id: Number(elearning.id), subscription_id: Number(subscription.id), status: "Enrolled", enrolled_at: "2026-03-02T09:00:00.000Z" });
      }
    }
  });
  afterAll(() => t.cleanup());

  const all = async <Row>(pages: AsyncIterable<Row[]>) => {
    const rows: Row[] = [];
    let count = 0;
    for await (const page of pages) {
      rows.push(...page);
      count += 1;
    }
    return { rows, pages: count };
  };

  it("gives a course's people, chosen in the statement, and the same rows a few at a time", async () => {
    const everyone = await courseStatuses(t.db, AS_OF);
    expect(new Set(everyone.map((row) => row.course))).toEqual(new Set(COURSES));
    let returned = 0;
    const count = (response: unknown) => (returned += Array.isArray(response) ? response.length : ((response as { rows?: unknown[] }).rows?.length ?? 0));
    (t.db as Knex).on("query-response", count);
    const one = await courseStatuses(t.db, AS_OF, COURSES[1]);
    (t.db as Knex).removeListener("query-response", count);
    expect(one).toEqual(everyone.filter((row) => row.course === COURSES[1]));
    expect(one.length).toBeGreaterThan(10);
    // Only the course's own rows came back from the database.
    expect(returned).toBe(one.length);

    for (const pageSize of [1, 4, 1000]) {
      expect((await all(courseStatusPages(t.db, AS_OF, undefined, pageSize))).rows).toEqual(everyone);
      expect((await all(courseStatusPages(t.db, AS_OF, COURSES[0], pageSize))).rows).toEqual(everyone.filter((row) => row.course === COURSES[0]));
    }
    expect((await all(courseStatusPages(t.db, AS_OF, COURSES[0], 4))).pages).toBeGreaterThan(3);

    // The Reports page's counts, grouped in the database, are the list's.
    const counted = await courseStatusCounts(t.db, AS_OF);
    expect(counted.map((row) => row.course)).toEqual(COURSES);
    for (const { course, counts } of counted) {
      for (const [status, number] of Object.entries(counts)) expect(number, `${course} ${status}`).toBe(everyone.filter((row) => row.course === course && row.status === status).length);
    }
  });

  it("gives the people behind each figure, a range of people at a time, in the list's order", async () => {
    const position = Number((await t.db("positions").where({ name: "Nurse" }).first("id")).id);
    const competency = Number((await t.db("competencies").where({ name: "297|LOCAL|Pages Two|" }).first("id")).id);
    for (const filter of [{}, { status: "Red" as const }, { status: "Amber" as const, positionId: position }, { competencyId: competency }]) {
      const whole = (await requirementPeople(t.db, AS_OF, filter)).rows;
      expect(whole.length, JSON.stringify(filter)).toBeGreaterThan(3);
      for (const people of [1, 3, 1000]) expect((await all(requirementPeoplePages(t.db, AS_OF, filter, people))).rows, `${JSON.stringify(filter)} by ${people}`).toEqual(whole);
    }
    expect((await all(requirementPeoplePages(t.db, AS_OF, {}, 3))).pages).toBeGreaterThan(6);
  });

  it("gives what is expiring, a few rows at a time, in the list's order", async () => {
    const whole = await expiringCompetencies(t.db, AS_OF);
    expect(whole.length).toBeGreaterThan(8);
    for (const pageSize of [1, 5, 1000]) expect((await all(expiringCompetencyPages(t.db, AS_OF, pageSize))).rows).toEqual(whole);
    // The Reports page lists the soonest few and says how many there are in all.
    expect(await soonestExpiring(t.db, AS_OF, 5)).toEqual({ rows: whole.slice(0, 5), total: whole.length });
    expect(await soonestExpiring(t.db, AS_OF, 1000)).toEqual({ rows: whole, total: whole.length });
  });

  it("runs its statements uncompiled on PostgreSQL (JIT made a page of the people list 15x slower)", async () => {
    if (!isPostgres(t.db)) return expect(isPostgres(t.db)).toBe(false);
    // Every connection of the pool, not only the first.
    const settings = await Promise.all(Array.from({ length: 4 }, () => t.db.transaction(async (trx) => rawRows(await trx.raw("show jit"))[0]!.jit)));
    expect(settings).toEqual(["off", "off", "off", "off"]);
  });

  it("downloads each list whole as CSV", async () => {
    const administrator = await buildLearner(t.db, t.clock, { role: "admin", name: "Admin, Ada", assignments: [] });
    const admin = await logInAgent(t.app, administrator.username, administrator.password);
    const csv = async (url: string) => parse((await admin.get(url).buffer(true).parse((res, done) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => done(null, text));
    }).expect(200)).body as string, { bom: true }) as string[][];
    expect((await csv(`/admin/reports/courses.csv?asOf=${AS_OF}`)).slice(1)).toEqual((await courseStatuses(t.db, AS_OF)).map((row) => [row.course, row.employeeNumber, row.name, row.status]));
    expect((await csv(`/admin/reports/course-people.csv?asOf=${AS_OF}&course=${encodeURIComponent(COURSES[0]!)}&status=Enrolled`)).slice(1)).toEqual((await courseStatuses(t.db, AS_OF, COURSES[0])).filter((row) => row.status === "Enrolled").map((row) => [row.course, row.employeeNumber, row.name, row.status]));
    expect((await csv(`/admin/reports/people.csv?asOf=${AS_OF}`)).slice(1).map((cells) => cells.slice(0, 2).concat(cells[6]!))).toEqual((await requirementPeople(t.db, AS_OF, {})).rows.map((row) => [row.employeeNumber, row.name, row.status]));
    expect((await csv(`/admin/reports/expiring.csv?asOf=${AS_OF}`)).slice(1).map((cells) => cells[0])).toEqual((await expiringCompetencies(t.db, AS_OF)).map((row) => row.employeeNumber));
    const expiring = await expiringCompetencies(t.db, AS_OF);
    const reports = (await admin.get(`/admin/reports?asOf=${AS_OF}`).expect(200)).text;
    expect(reports).toContain(`Expiring in the next 3 months (${expiring.length})</h2>`);
    expect(reports).not.toContain("the CSV has them all");
  });
});
