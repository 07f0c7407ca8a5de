import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../../server/clock.ts";
import type { Db } from "../../server/db/connect.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";
import { AppError } from "../../server/errors.ts";
import { checkCatalog, importCatalog, parseCatalog } from "../../server/setup/import-catalog.ts";
import { logIn } from "../../server/accounts/service.ts";
import { createTestDb } from "../support/test-db.ts";

const clock = createClock("2026-03-01T09:00:00Z");

/** The example shape, with one of everything. */
export function exampleCatalog() {
  return {
    competencies: [{ name: "NHS|CSTF|Fire Safety - 1 Year|", description: "Fire safety" }],
    certifications: [
      {
        name: "297 Core Skills - Fire Safety - 1 Year",
        competency: "NHS|CSTF|Fire Safety - 1 Year|",
        competenceLevel: "1 - Assessed",
        validDays: 365,
        completeWithinDays: 365,
        renewable: true,
        description: "Fire safety for all staff",
        components: [
          { course: "297 Fire Safety - Part 1", requires: "completion" },
          { course: "297 Fire Safety - eAssessment", requires: "pass" },
        ],
      },
    ],
    positions: [{ name: "E-Learning & Design Co-Ordinator", requirements: [{ competency: "NHS|CSTF|Fire Safety - 1 Year|", essential: true, minLevel: "1 - Assessed", dueWithinDays: 30 }] }],
    people: [
      {
        name: "Smith, Jane",
        email: "jane.smith@example.org",
        dob: "1990-02-03",
        username: "297JSMITH01",
        password: "a long enough password",
        role: "learner",
        assignments: [{ number: "24552166", position: "E-Learning & Design Co-Ordinator" }],
      },
    ],
  };
}

async function counts(db: Db) {
  const tables = ["competencies", "certifications", "certification_components", "positions", "competence_requirements", "people", "accounts", "assignments"];
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = Number((await db(table).count({ count: "*" }).first())?.count);
  return result;
}

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error.details;
    throw error;
  }
  return [];
}

describe("importCatalog", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(() => cleanup());

  it("imports competencies, certifications with components, positions and people", async () => {
    const summary = await importCatalog(db, clock, parseCatalog(JSON.stringify(exampleCatalog())));
    expect(summary).toMatchObject({ competencies: 1, certifications: 1, components: 2, positions: 1, people: { added: ["297JSMITH01"] } });
    const components = await db("certification_components").orderBy("position");
    expect(components.map((row) => [row.course_code, row.requires])).toEqual([
      ["297 Fire Safety - Part 1", "completion"],
      ["297 Fire Safety - eAssessment", "pass"],
    ]);
    const assignment = await db("assignments").join("positions", "positions.id", "assignments.position_id").first("number", "name");
    expect(assignment).toEqual({ number: "24552166", name: "E-Learning & Design Co-Ordinator" });
    expect(await db("competence_requirements").first("min_level", "due_within_days")).toEqual({ min_level: "1 - Assessed", due_within_days: 30 });
    await expect(logIn(db, clock, { username: "297jsmith01", password: "a long enough password" }, { secret: "any secret" })).resolves.toMatchObject({ username: "297JSMITH01" });
  });

  it("updates on re-import and never duplicates", async () => {
    const before = await counts(db);
    const changed = exampleCatalog();
    changed.certifications[0]!.validDays = 730;
    changed.certifications[0]!.components = [
      { course: "297 Fire Safety - eAssessment", requires: "pass" },
      { course: "297 Fire Safety - Part 1", requires: "completion", satisfiedBy: "297 Fire Safety - eAssessment" } as never,
    ];
    changed.people[0]!.password = "someone changed it meanwhile";
    await importCatalog(db, clock, parseCatalog(JSON.stringify(changed)));
    expect(await counts(db)).toEqual(before);
    const certification = await db("certifications").first("valid_days");
    expect(Number(certification.valid_days)).toBe(730);
    const components = await db("certification_components").orderBy("position");
    expect(components.map((row) => [row.course_code, row.satisfied_by_course_code])).toEqual([
      ["297 Fire Safety - eAssessment", null],
      ["297 Fire Safety - Part 1", "297 Fire Safety - eAssessment"],
    ]);
    // The file's password only sets the first one.
    await expect(logIn(db, clock, { username: "297JSMITH01", password: "a long enough password" }, { secret: "any secret" })).resolves.toBeDefined();
  });

  it("changes a person's role as Administration does: their sessions end, and the audit says so", async () => {
    const admin = exampleCatalog();
    admin.people[0]!.role = "admin";
    await importCatalog(db, clock, parseCatalog(JSON.stringify(admin)));
    const account = await db("accounts").where({ username_key: "297JSMITH01" }).first("id", "person_id", "role");
    expect(account.role).toBe("admin");
    // Logged in as an administrator: the session carries the role it logged in with.
    await db("sessions").insert({ sid: "jane-as-admin", sess: JSON.stringify({ cookie: {}, accountId: Number(account.id), role: "admin" }), expired: "2099-01-01T00:00:00.000Z" });

    await importCatalog(db, clock, parseCatalog(JSON.stringify(exampleCatalog())));
    expect((await db("accounts").where({ id: account.id }).first("role")).role).toBe("learner");
    expect(await db("sessions").where({ sid: "jane-as-admin" }).first()).toBeUndefined();
    const changed = await db("audit_events").where({ kind: "account.role_changed" }).orderBy("id", "desc").first("person_id", "detail");
    expect(Number(changed.person_id)).toBe(Number(account.person_id));
    expect(typeof changed.detail === "string" ? JSON.parse(changed.detail) : changed.detail).toMatchObject({ from: "admin", to: "learner", sessionsEnded: 1, by: "import" });
  });

  it("lists every problem of a malformed file with its JSON path", () => {
    const broken = exampleCatalog() as Record<string, any>;
    broken.certifications[0].validDays = "a year";
    broken.certifications[0].components[1].requires = "attendance";
    broken.people[0].dob = "03/02/1990";
    broken.people[0].name = "Jane Smith";
    broken.positions[0].requirements[0].essential = "Y";
    broken.surprise = true;
    const problems = problemsOf(() => parseCatalog(JSON.stringify(broken)));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^certifications\[0\]\.validDays: /),
        expect.stringMatching(/^certifications\[0\]\.components\[1\]\.requires: /),
        expect.stringMatching(/^people\[0\]\.dob: must be a date written YYYY-MM-DD/),
        expect.stringMatching(/^people\[0\]\.name: must be written "Last, First"/),
        expect.stringMatching(/^positions\[0\]\.requirements\[0\]\.essential: /),
        expect.stringMatching(/surprise/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it("names a file that is not JSON at all", () => {
    expect(problemsOf(() => parseCatalog("{ not json"))).toEqual([expect.stringMatching(/^\(file\): not valid JSON/)]);
  });

  it("refuses dangling names and duplicates, writing nothing", async () => {
    const before = await counts(db);
    const broken = exampleCatalog() as Record<string, any>;
    broken.competencies = [];
    broken.certifications[0].competency = "NHS|CSTF|No Such Thing|";
    broken.positions[0].requirements.push({ competency: "NHS|CSTF|Fire Safety - 1 Year|", essential: false });
    broken.people[0].assignments[0].position = "Astronaut";
    broken.people.push({ ...broken.people[0], username: "297jsmith01", assignments: [] });
    broken.certifications[0].components[0].satisfiedBy = "297 Something Else";
    let problems: string[] = [];
    try {
      await importCatalog(db, clock, parseCatalog(JSON.stringify(broken)));
    } catch (error) {
      problems = (error as AppError).details;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        'certifications[0].competency: no competency named "NHS|CSTF|No Such Thing|"',
        expect.stringMatching(/^positions\[0\]\.requirements\[1\]\.competency: "NHS\|CSTF\|Fire Safety - 1 Year\|" is listed twice/),
        'people[0].assignments[0].position: no position named "Astronaut"',
        expect.stringMatching(/^people\[1\]\.username: "297JSMITH01" is listed twice/),
        expect.stringMatching(/^certifications\[0\]\.components\[0\]\.satisfiedBy: /),
      ]),
    );
    expect(await counts(db)).toEqual(before);
  });

  it("rolls back everything when a row fails half-way", async () => {
    const before = await counts(db);
    const catalog = exampleCatalog();
    catalog.competencies.push({ name: "NHS|CSTF|Moving and Handling - Level 1 - 3 Years|", description: "" });
    catalog.people = [{ name: "Late, Failing", email: "late@example.org", dob: "1970-01-01", assignments: [{ number: "99999999", position: "E-Learning & Design Co-Ordinator" }] } as never];
    // A real trigger refuses the last row the import writes, after competencies and people went in.
    await refuseInserts(db, "assignments", "number", "99999999");
    try {
      await expect(importCatalog(db, clock, parseCatalog(JSON.stringify(catalog)))).rejects.toThrow(/refused by test trigger/);
    } finally {
      await stopRefusing(db, "assignments");
    }
    expect(await counts(db)).toEqual(before);
    expect(await db("competencies").where({ name: "NHS|CSTF|Moving and Handling - Level 1 - 3 Years|" }).first()).toBeUndefined();
  });

  it("refuses a new username whose employee number belongs to someone else", async () => {
    const catalog = exampleCatalog();
    catalog.people = [{ ...catalog.people[0]!, username: "297OTHER01", employeeNumber: await janesEmployeeNumber(db) } as never];
    await expect(checkCatalog(db, JSON.stringify(catalog))).rejects.toMatchObject({
      details: [expect.stringMatching(/^people\[0\]\.employeeNumber: employee number \d+ belongs to 297JSMITH01/)],
    });
  });

  it("lists shape problems and reference problems together, so one fix round is enough", async () => {
    const broken = exampleCatalog() as Record<string, any>;
    broken.certifications.push({ ...broken.certifications[0], name: "297 Second", components: [], competency: "NHS|CSTF|Nope|" });
    broken.people[0].assignments.push({ number: "24552166", position: "Astronaut" });
    let problems: string[] = [];
    try {
      await checkCatalog(db, JSON.stringify(broken));
    } catch (error) {
      problems = (error as AppError).details;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        "certifications[1].components: a certification needs at least one component",
        'certifications[1].competency: no competency named "NHS|CSTF|Nope|"',
        'people[0].assignments[1].position: no position named "Astronaut"',
        'people[0].assignments[1].number: "24552166" is listed twice (also at people[0].assignments[0])',
      ]),
    );
  });

  it("matches people without a username by employee number or identity on re-import, never adding them twice", async () => {
    const catalog = exampleCatalog();
    const noUsername = { name: "Brown, Sam", email: "Sam.Brown@example.org", dob: "1975-05-05", assignments: [{ number: "30000077", position: "E-Learning & Design Co-Ordinator" }] };
    catalog.people = [noUsername as never];
    const first = await importCatalog(db, clock, await checkCatalog(db, JSON.stringify(catalog)));
    expect(first.people.added).toEqual(["297SBROWN01"]);
    const again = await importCatalog(db, clock, await checkCatalog(db, JSON.stringify(catalog)));
    expect(again.people).toEqual({ added: [], matched: ["297SBROWN01"], changed: 0 });
    expect(await db("people").where({ last_name: "Brown" }).count({ count: "*" }).first()).toMatchObject({ count: expect.anything() });
    expect(Number((await db("people").where({ last_name: "Brown" }).count({ count: "*" }).first())?.count)).toBe(1);
  });

  it("refuses an assignment number held by someone else, with its path", async () => {
    const catalog = exampleCatalog();
    catalog.people = [{ name: "Green, Pat", email: "pat@example.org", dob: "1980-01-01", assignments: [{ number: "30000077", position: "E-Learning & Design Co-Ordinator" }] } as never];
    await expect(checkCatalog(db, JSON.stringify(catalog))).rejects.toMatchObject({
      details: ["people[0].assignments[0].number: assignment 30000077 already belongs to someone else"],
    });
  });

  it("ships an example file that imports", () => {
    const example = parseCatalog(fs.readFileSync(new URL("../../server/demo/demo-trust.catalog.json", import.meta.url), "utf8"));
    expect(example.competencies.length).toBeGreaterThanOrEqual(10);
  });
});

async function janesEmployeeNumber(db: Db): Promise<string> {
  const row = await db("people").first("employee_number");
  return String(row.employee_number);
}

