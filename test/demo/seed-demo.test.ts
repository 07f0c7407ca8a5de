import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../server/clock.ts";
import { demoCourseFolders } from "../../server/demo/seed.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { lms } from "../support/run-cli.ts";
import pino from "pino";
import { loadConfig } from "../../server/config.ts";
import { createClock } from "../../server/clock.ts";
import { createApp } from "../../server/app.ts";
import { logInAgent, TEST_SESSION_SECRET } from "../support/test-app.ts";

const TODAY = "2026-03-01";

describe("lms seed-demo", () => {
  let t: TestDb;
  let first: Awaited<ReturnType<typeof lms>>;
  beforeAll(async () => {
    t = await createTestDb();
    first = await lms({ ...t.env, LMS_NOW: `${TODAY}T09:00:00Z` }, "seed-demo");
  }, 120_000);
  afterAll(() => t.cleanup());

  it("creates the demo trust with the ten CSTF competencies and a certification for each", async () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const organisation = await t.db("organisations").first("vpd");
    expect(organisation.vpd).toBe("297");
    const competencies = await t.db("competencies").pluck("name");
    expect(competencies.filter((name: string) => name.startsWith("NHS|CSTF|")).length).toBeGreaterThanOrEqual(10);
    const conflict = await t.db("certifications").where({ name: "297 Core Skills - NHS Conflict Resolution - 3 Years" }).first();
    expect(conflict).toMatchObject({ valid_days: 1095, complete_within_days: 1095, competence_level: "1 - Assessed" });
    expect(Boolean(conflict.renewable)).toBe(true);
    const components = await t.db("certification_components").where({ certification_id: conflict.id }).orderBy("position").pluck("course_code");
    expect(components).toEqual(["297 NHS Conflict Resolution - Part 1", "297 NHS Conflict Resolution - Part 2", "297 NHS Conflict Resolution - eAssessment"]);
    for (const competency of competencies) {
      const row = await t.db("certifications").join("competencies", "competencies.id", "certifications.competency_id").where("competencies.name", competency).first("certifications.id");
      expect(row, competency).toBeDefined();
    }
  });

  it("imports every demo course of packages/ as a real SCORM package with an e-learning class", async () => {
    const folders = demoCourseFolders();
    expect(folders.length).toBeGreaterThanOrEqual(4);
    const versions = await t.db("course_versions").join("courses", "courses.id", "course_versions.course_id").select("courses.code", "course_versions.scorm_version");
    expect(versions).toHaveLength(folders.length);
    expect(new Set(versions.map((row) => row.scorm_version.startsWith("2004") ? "2004" : row.scorm_version))).toEqual(new Set(["1.2", "2004"]));
    const classes = await t.db("classes").where({ kind: "elearning" }).count({ count: "*" }).first();
    expect(Number(classes?.count)).toBe(folders.length);
    // The Conflict Resolution journey of the guide is playable end to end.
    const codes = versions.map((row) => row.code);
    expect(codes).toEqual(expect.arrayContaining(["297 NHS Conflict Resolution - Part 1", "297 NHS Conflict Resolution - Part 2", "297 NHS Conflict Resolution - eAssessment"]));
  });

  // Review of issue 20: the demo courses were imported by "system", so the demo author had no course
  // of his own and Forums and Chats told him to subscribe to a certification.
  it("imports the demo courses as the demo author's own: his name on their versions, their discussions his to answer", async () => {
    const demoAuthor = await t.db("accounts").where({ username_key: "297APATEL01" }).first("id");
    const importers = await t.db("course_versions").distinct("imported_by").pluck("imported_by");
    expect(importers.map(Number)).toEqual([Number(demoAuthor.id)]);

    const app = createApp({ config: loadConfig({ ...t.env, LOG_LEVEL: "silent" }), db: t.db, clock: createClock(`${TODAY}T09:00:00Z`), logger: pino({ level: "silent" }), sessionSecret: TEST_SESSION_SECRET });
    const author = await logInAgent(app, "297APATEL01", "course-author-demo");
    const forums = (await author.get("/learning/forums").expect(200)).text;
    expect(forums).not.toContain("There is no discussion for you yet");
    const conflict = await t.db("courses").where({ code: "297 NHS Conflict Resolution - Part 1" }).first("id");
    expect(forums).toContain(`<a href="/learning/forums/course/${conflict.id}">297 NHS Conflict Resolution - Part 1</a>`);
    expect(forums).toContain("297 Core Skills - NHS Conflict Resolution - 3 Years");
    // As the course's author he may start a topic in its discussion, and his course page names him.
    const discussion = (await author.get(`/learning/forums/course/${conflict.id}`).expect(200)).text;
    expect(discussion).toContain("Start a topic");
    const versions = (await author.get(`/author/courses/${conflict.id}`).expect(200)).text;
    expect(versions).toContain('aria-hidden="true">By </span>297APATEL01</td>');
    expect(versions).not.toMatch(/>system</);
  });

  it("gives the demo learner two assignments and records for Green, Amber, Red and Blue rows", async () => {
    const account = await t.db("accounts").where({ username_key: "297ECONROY01" }).first("person_id");
    const assignments = await t.db("assignments").join("positions", "positions.id", "assignments.position_id").where({ person_id: account.person_id }).orderBy("number").select("number", "name", "is_primary", "position_id");
    expect(assignments.map((row) => `${row.number} - ${row.name}`)).toEqual(["24552166 - E-Learning & Design Co-Ordinator", "24552167 - Bank Healthcare Assistant"]);
    const primary = assignments.find((row) => Boolean(row.is_primary))!;
    const required = new Set(await t.db("competence_requirements").where({ position_id: primary.position_id, essential: true }).pluck("competency_id"));
    const records = await t.db("competence_records").where({ person_id: account.person_id });
    const expired = records.filter((record) => record.expires_on < TODAY && required.has(record.competency_id));
    const expiring = records.filter((record) => record.expires_on >= TODAY && record.expires_on <= addDays(TODAY, 90) && required.has(record.competency_id));
    const notRequired = records.filter((record) => !required.has(record.competency_id));
    expect([expired.length, expiring.length, notRequired.length]).toEqual([1, 1, 1]);
    // 9 of 10 essential requirements held and unexpired: the guide's 90%.
    const compliant = records.filter((record) => required.has(record.competency_id) && record.expires_on >= TODAY);
    expect(compliant.length / required.size).toBeCloseTo(0.9);
  });

  it("adds a practical classroom session or two to Moving and Handling, beside its e-learning", async () => {
    const classes = await t.db("classes").join("courses", "courses.id", "classes.course_id").where({ "courses.code": "297 Moving and Handling - Level 1 - Part 1" }).orderBy("classes.id").select("classes.*");
    expect(classes.map((row) => [row.kind, row.starts_at, row.ends_at, row.capacity, Boolean(row.requires_approval)])).toEqual([
      ["elearning", null, null, null, false],
      ["classroom", "2026-03-08T09:30:00.000Z", "2026-03-08T12:30:00.000Z", 8, false],
      ["classroom", "2026-03-15T13:30:00.000Z", "2026-03-15T16:30:00.000Z", 2, true],
    ]);
  });

  it("is safe to run again: nothing duplicated, nothing undone", async () => {
    const count = async (table: string) => Number((await t.db(table).count({ count: "*" }).first())?.count);
    const tables = ["competencies", "certifications", "certification_components", "positions", "people", "accounts", "assignments", "courses", "course_versions", "classes", "competence_records"];
    const before = Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)])));
    const again = await lms({ ...t.env, LMS_NOW: "2026-06-01T09:00:00Z" }, "seed-demo");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 courses imported");
    const after = Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)])));
    expect(after).toEqual(before);
  });
});
