import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres, rawRows, type Db } from "../../server/db/connect.ts";
import { createTestDb } from "../support/test-db.ts";

/**
 * Migration 35: an assignment's line manager, another person or none. Written as SQL because
 * knex would copy the SQLite table to add a foreign key, and the copy would lose migration 18's
 * triggers on assignments: so beside the column itself, this checks those triggers still keep
 * requirement_holdings, after the migration and after it is undone and done again.
 */
describe("migration 35: line managers", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let positionId: number;
  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    const [organisation] = await db("organisations").insert({ vpd: "297", name: "Demo NHS Trust" }).returning("id");
    const [position] = await db("positions").insert({ organisation_id: organisation.id, name: "Porter" }).returning("id");
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 1 Year|" }).returning("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    positionId = Number(position.id);
  });
  afterAll(() => cleanup());

  let people = 0;
  const person = async (lastName: string) => {
    people += 1;
    const [row] = await db("people").insert({ organisation_id: 1, employee_number: `7000${people}`, last_name: lastName, first_name: "Alex", email: `${lastName.toLowerCase()}@example.org`, date_of_birth: "1990-01-01", created_at: "2026-01-01T00:00:00.000Z" }).returning("id");
    return Number(row.id);
  };
  const assignment = async (number: string, personId: number, lineManagerId: number | null) => {
    await db("assignments").insert({ number, person_id: personId, position_id: positionId, is_primary: true, line_manager_id: lineManagerId });
    return db("assignments").where({ number }).first();
  };
  const holdingsOf = async (number: string) => Number((await db("requirement_holdings").join("assignments", "assignments.id", "requirement_holdings.assignment_id").where("assignments.number", number).count({ n: "*" }))[0]!.n);

  it("gives each assignment a line manager: another person, or none", async () => {
    const manager = await person("Manager");
    const managed = await assignment("81000001", await person("Managed"), manager);
    const unmanaged = await assignment("81000002", await person("Unmanaged"), null);
    expect(Number(managed.line_manager_id)).toBe(manager);
    expect(unmanaged.line_manager_id).toBeNull();
  });

  it("refuses a line manager who is nobody", async () => {
    await expect(assignment("81000003", await person("Orphan"), 999_999)).rejects.toThrow(/foreign key|FOREIGN KEY/i);
  });

  it("leaves the staff of a manager who goes with no line manager, and their assignments in place", async () => {
    const manager = await person("Leaver");
    await assignment("81000004", await person("Staff"), manager);
    await db("people").where({ id: manager }).delete();
    const kept = await db("assignments").where({ number: "81000004" }).first();
    expect(kept).toBeDefined();
    expect(kept.line_manager_id).toBeNull();
  });

  it("indexes the line manager, to list a manager's staff", async () => {
    const indexes = isPostgres(db)
      ? rawRows(await db.raw("select indexdef as definition from pg_indexes where tablename = 'assignments' and indexname = 'assignments_line_manager_idx'"))
      : rawRows(await db.raw("select sql as definition from sqlite_master where type = 'index' and name = 'assignments_line_manager_idx'"));
    expect(indexes).toHaveLength(1);
    expect(String(indexes[0]!.definition)).toMatch(/line_manager_id/);
  });

  it("keeps migration 18's triggers on assignments: a new assignment still gets its requirement holdings", async () => {
    await assignment("81000005", await person("Starter"), null);
    expect(await holdingsOf("81000005")).toBe(1);
  });

  it("is undone and done again, the triggers still in place", async () => {
    // Migration 35 by name: later migrations (36's indexes) touch nothing of it, and stay.
    const migration = { name: "20261207_35_line_managers.ts" };
    expect(await db("knex_migrations").where(migration).first()).toBeDefined();
    await db.migrate.down(migration);
    expect(await db.schema.hasColumn("assignments", "line_manager_id")).toBe(false);
    await db("assignments").insert({ number: "81000006", person_id: await person("Between"), position_id: positionId, is_primary: true });
    expect(await holdingsOf("81000006")).toBe(1);
    await db.migrate.up(migration);
    expect(await db.schema.hasColumn("assignments", "line_manager_id")).toBe(true);
    await assignment("81000007", await person("After"), null);
    expect(await holdingsOf("81000007")).toBe(1);
  });
});
