import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres, type Db } from "../../server/db/connect.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { lms } from "../support/run-cli.ts";
import { exampleCatalog } from "../setup/import-catalog.test.ts";

const COMMANDS = ["migrate", "seed-demo", "add-user", "import-catalog", "import-package", "export-package", "validate-package", "compliance", "certification", "expire-subscriptions", "export-records", "import-records", "backup", "restore"];

describe("lms --help", () => {
  it("lists every command", async () => {
    const { code, stdout } = await lms({}, "--help");
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it.each(COMMANDS)("describes %s with --help", async (command) => {
    const { code, stdout } = await lms({}, command, "--help");
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: lms ${command}`);
  });

  it("exits 1 with help and an error when no command is named", async () => {
    const { code, stderr } = await lms({});
    expect(code).toBe(1);
    expect(stderr).toContain("Usage: lms");
    expect(stderr).toMatch(/^error: name a command/m);
  });

  it("exits 1 with an error for an unknown command", async () => {
    const { code, stderr } = await lms({}, "frobnicate");
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: unknown command 'frobnicate'/);
  });
});

describe("lms against a database", () => {
  let t: TestDb;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), "lms-cli-"));
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(files, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };

  it("migrate reports the schema up to date", async () => {
    const { code, stdout } = await lms(t.env, "migrate");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Database schema is up to date \(\d+ migrations applied/);
  });

  it("import-catalog imports a valid file and says what it did", async () => {
    const { code, stdout, stderr } = await lms(t.env, "import-catalog", write("catalog.json", exampleCatalog()));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Imported 1 competencies, 1 certifications (2 components), 1 positions, 1 new and 0 existing people.");
    expect(await t.db("certifications").pluck("name")).toEqual(["297 Core Skills - Fire Safety - 1 Year"]);
  });

  it("add-user generates usernames in the guide's form and a password shown once", async () => {
    const first = await lms(t.env, "add-user", "--name", "Smith, John", "--email", "john@example.org", "--dob", "1985-06-07",
      "--assignment", "30000001:E-Learning & Design Co-Ordinator");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Added 297JSMITH02$/m); // 297JSMITH01 is Jane, from the catalog
    expect(first.stdout).toMatch(/^Password \(shown once\): \S{12,}$/m);
    const stored = await t.db("accounts").where({ username_key: "297JSMITH02" }).first("password_hash", "role");
    expect(stored.role).toBe("learner");
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(first.stdout).not.toContain(stored.password_hash);
  });

  it("add-user takes a username, password and role", async () => {
    const result = await lms(t.env, "add-user", "--name", "Jones, Ann", "--email", "ann@example.org", "--dob", "1970-01-01",
      "--username", "297ajones99", "--password", "twelve chars long", "--role", "author");
    expect(result).toMatchObject({ code: 0, stdout: "Added 297AJONES99" });
  });

  it("add-user exits 1 naming each problem", async () => {
    const result = await lms(t.env, "add-user", "--name", "Nobody", "--email", "nope", "--dob", "1970-02-30", "--password", "short", "--role", "king");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: The user cannot be added/);
    for (const problem of [/name "Nobody" must be written "Last, First"/, /email "nope"/, /dob "1970-02-30"/, /at least 12 characters/, /role "king"/]) {
      expect(result.stderr).toMatch(problem);
    }
  });

  it("add-user refuses a date of birth in the future and a second account for the same person", async () => {
    const future = await lms({ ...t.env, LMS_NOW: "2026-03-01" }, "add-user", "--name", "Young, Tim", "--email", "tim@example.org", "--dob", "2030-01-01");
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/dob "2030-01-01" must be a date of birth in the past/);
    const twin = await lms(t.env, "add-user", "--name", "Jones, Ann", "--email", "ANN@example.org", "--dob", "1970-01-01");
    expect(twin.code).toBe(1);
    expect(twin.stderr).toMatch(/^error: Jones, Ann \(ANN@example.org, born 1970-01-01\) already has an account: 297AJONES99$/m);
  });

  it("add-user refuses an unknown position and a taken username", async () => {
    const position = await lms(t.env, "add-user", "--name", "Lee, Kim", "--email", "kim@example.org", "--dob", "1990-01-01", "--assignment", "4:Astronaut");
    expect(position.code).toBe(1);
    expect(position.stderr).toMatch(/Position "Astronaut" does not exist; known positions: E-Learning & Design Co-Ordinator/);
    const taken = await lms(t.env, "add-user", "--name", "Lee, Kim", "--email", "kim@example.org", "--dob", "1990-01-01", "--username", "297AJONES99");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/Username 297AJONES99 is already taken/);
  });

  it("import-catalog exits 1 on a malformed file, names each problem and leaves the database exactly as it was", async () => {
    const broken = exampleCatalog() as Record<string, any>;
    broken.certifications[0].validDays = -5;
    broken.people[0].email = "not-an-email";
    broken.positions[0].requirements[0].competency = "NHS|CSTF|Unknown|";
    for (const file of [write("broken.json", broken), write("not-json.json", "{ nope"), path.join(files, "missing.json")]) {
      const before = await snapshot(t);
      const result = await lms(t.env, "import-catalog", file);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: /);
      expect(await snapshot(t)).toEqual(before);
    }
    const result = await lms(t.env, "import-catalog", path.join(files, "broken.json"));
    expect(result.stderr).toContain("certifications[0].validDays: must be at least 1 day");
    expect(result.stderr).toContain("people[0].email: must be an email address");
    const missing = await lms(t.env, "import-catalog", path.join(files, "missing.json"));
    expect(missing.stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
  });

  it("import-catalog refuses a file whose names do not resolve, writing nothing", async () => {
    const broken = exampleCatalog() as Record<string, any>;
    broken.competencies = [];
    broken.positions[0].requirements[0].competency = "NHS|CSTF|Unknown|";
    const before = await snapshot(t);
    const result = await lms(t.env, "import-catalog", write("dangling.json", broken));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('positions[0].requirements[0].competency: no competency named "NHS|CSTF|Unknown|"');
    expect(await snapshot(t)).toEqual(before);
  });
});

/**
 * What "exactly as it was" means: on SQLite the database file's bytes (with the test's own
 * connection closed, so nothing sits in a WAL), and on either database every row of every table.
 */
async function snapshot(t: TestDb): Promise<{ rows: string; fileHash?: string }> {
  const rows = await dumpRows(t.db);
  if (isPostgres(t.db)) return { rows };
  const file = path.join(t.env.DATA_DIR!, "lms.sqlite");
  await t.db.destroy();
  const fileHash = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  t.db.initialize();
  return { rows, fileHash };
}

async function dumpRows(db: Db): Promise<string> {
  const tables = ["organisations", "people", "accounts", "positions", "assignments", "competencies", "competence_requirements",
    "certifications", "certification_components", "audit_events", "knex_migrations"];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) dump[table] = await db(table).orderBy("id");
  return JSON.stringify(dump);
}
