import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres, migrateLatest, migrateRollbackAll, type Db } from "../../server/db/connect.ts";
import { createTestDb } from "../support/test-db.ts";
import { searchKey } from "../../server/people/names.ts";
import { refreshCourseSearch } from "../../server/learning/course-search-index.ts";

const MODEL_TABLES = [
  "organisations", "people", "accounts", "account_tokens", "sessions", "positions", "assignments",
  "competencies", "competence_requirements", "competence_records", "certifications", "certification_components",
  "courses", "course_versions", "classes", "subscriptions", "enrolments", "attempts", "attempt_scos",
  "commit_log", "audit_events", "mail_outbox", "component_credits", "requirement_holdings", "request_throttle", "reminder_state",
  "evidence_files", "course_search", "certificates",
];

describe("migrations", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(() => cleanup());

  it("create every table of the model", async () => {
    for (const table of MODEL_TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
  });

  it("run down to nothing and up again", async () => {
    await migrateRollbackAll(db);
    for (const table of MODEL_TABLES) expect(await db.schema.hasTable(table), table).toBe(false);
    const applied = await migrateLatest(db);
    expect(applied.length).toBeGreaterThanOrEqual(11);
    for (const table of MODEL_TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
  });

  it("enforce foreign keys", async () => {
    await expect(
      db("people").insert({ organisation_id: 999_999, employee_number: "1", last_name: "A", first_name: "B", email: "a@b.c", date_of_birth: "2000-01-01", created_at: "x" }),
    ).rejects.toThrow(/foreign key|FOREIGN KEY/i);
  });

  it("open SQLite in WAL mode with synchronous FULL and a busy timeout", async () => {
    if (isPostgres(db)) return; // PostgreSQL has no such pragmas; this row is about the SQLite file.
    const [journal] = await db.raw("PRAGMA journal_mode");
    const [synchronous] = await db.raw("PRAGMA synchronous");
    const [busy] = await db.raw("PRAGMA busy_timeout");
    expect(journal.journal_mode).toBe("wal");
    expect(synchronous.synchronous).toBe(2);
    expect(Object.values(busy)[0]).toBe(5000);
  });
});

describe("the migration list", () => {
  it("names every migration file in the folder, in order", async () => {
    const fs = await import("node:fs");
    const { migrations } = await import("../../migrations/index.ts");
    const files = fs.readdirSync(new URL("../../migrations", import.meta.url)).filter((file) => /^\d.*\.ts$/.test(file)).sort();
    expect(migrations.map(([name]) => name)).toEqual(files);
  });
});

/**
 * Migrations 24 and 25 fill their new columns with their own frozen copies of the folding and the
 * search document (issue 19: migrations import nothing from server/, so that changing live code
 * cannot change history). Run over rows from before them, they write what the live code writes
 * today; should the live code change on purpose, this test says the migrations' copies were not
 * meant to follow.
 */
describe("migrations 24 and 25, frozen", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(() => cleanup());

  it("fill people's search_text and course_search as the live code does", async () => {
    await migrateRollbackAll(db);
    while (!(await db("knex_migrations").where({ name: "20261202_23_evidence_files.ts" }).first())) await db.migrate.up();
    const [organisation] = await db("organisations").insert({ vpd: "297", name: "Demo NHS Trust" }).returning("id");
    // More people than one of the migration's sets (200), each named differently.
    const names = Array.from({ length: 450 }, (_, index) => ({ last_name: index === 0 ? "Ørsted" : `Þórðardóttir-${index}`, first_name: index === 0 ? "Åsa-Łucja" : `Zoë ${index}`, employee_number: index === 0 ? "E-Ø17" : `E-${index}` }));
    for (let start = 0; start < names.length; start += 100) {
      await db("people").insert(names.slice(start, start + 100).map((name, index) => ({ organisation_id: organisation.id, ...name, email: `p${start + index}@example.org`, date_of_birth: "1990-01-01", created_at: "2026-01-01T00:00:00.000Z" })));
    }
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 3 Years|" }).returning("id");
    const [certification] = await db("certifications").insert({ name: "297 Core Skills - Fire Safety - 3 Years", competency_id: competency.id, competence_level: "1 - Assessed", valid_days: 1095, complete_within_days: 1095, renewable: true, description: "" }).returning("id");
    await db("courses").insert({ code: "297 Fire Safety - Part 1", title: "Fire Safety: e-Learning 1.2 (Ünïcode)", kind: "elearning", created_at: "2026-01-01T00:00:00.000Z" });
    await db("certification_components").insert([
      { certification_id: certification.id, position: 1, course_code: "297 Fire Safety - Part 1", requires: "completion" },
      { certification_id: certification.id, position: 2, course_code: "000 Fire Safety - eAssessment", requires: "pass" },
    ]);

    await migrateLatest(db);
    const people = await db("people").select("last_name", "first_name", "employee_number", "search_text");
    expect(people).toHaveLength(450);
    for (const person of people) expect(person.search_text).toBe(searchKey(`${person.last_name} ${person.first_name} ${person.employee_number}`));
    expect(people.find((person) => person.employee_number === "E-Ø17")?.search_text).toBe("orsted asa lucja e o17");
    const filled = await db("course_search").orderBy("code").select("code", "organisation", "search_text");
    expect(filled).toHaveLength(2);
    await db("course_search").delete();
    await refreshCourseSearch(db);
    expect(await db("course_search").orderBy("code").select("code", "organisation", "search_text")).toEqual(filled);
  });
});
