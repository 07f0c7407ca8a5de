import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres, migrateLatest, migrateRollbackAll, type Db } from "../../server/db/connect.ts";
import { createTestDb } from "../support/test-db.ts";

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
