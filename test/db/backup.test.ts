import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { lms } from "../support/run-cli.ts";
import { connectDb, isPostgres, rawRows } from "../../server/db/connect.ts";

/** `lms backup` then `lms restore` into an empty DATA_DIR finds every row and every file. */
describe("lms backup and lms restore", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lms-backup-"));
  beforeAll(async () => {
    t = await createTestApp({ clock });
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Backup Test - Part 1");
    const learner = await buildLearner(t.db, t.clock);
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Backup|" }).returning("id");
    await t.db("competence_records").insert({ person_id: learner.personId, competency_id: competency.id, level: "1 - Assessed", achieved_on: "2026-01-01", expires_on: "2027-01-01", source: "manual", status: "approved", created_at: clock.now().toISOString() });
    fs.mkdirSync(path.join(t.config.dataDir, "evidence"), { recursive: true });
    fs.writeFileSync(path.join(t.config.dataDir, "evidence", "0123456789abcdef0123456789abcdef"), "%PDF-1.4 evidence");
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const filesUnder = (root: string): string[] =>
    fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))).sort() : [];
  const stored = (root: string) => [...filesUnder(path.join(root, "packages")).map((file) => `packages/${file}`), ...filesUnder(path.join(root, "evidence")).map((file) => `evidence/${file}`)].filter((file) => !file.includes(".uploads"));

  /** Staging folders a restore left beside its target. */
  const leftBeside = (target: string) => fs.readdirSync(path.dirname(target)).filter((name) => name.startsWith(`${path.basename(target)}.restoring-`));

  it("restores into an empty DATA_DIR with every row and file, and refuses what would overwrite or is no backup", async () => {
    const out = path.join(scratch, "backup-1");
    const made = await lms(t.env, "backup", out);
    expect(made.code, made.stderr).toBe(0);
    expect(stored(out)).toEqual(stored(t.config.dataDir));
    expect(stored(out).length).toBeGreaterThan(1);
    expect((await lms(t.env, "backup", out)).stderr).toMatch(/is not empty: back up into a new folder/);

    const target = path.join(scratch, "restored");
    if (isPostgres(t.db)) {
      // PostgreSQL's rows travel by pg_dump (README); the folder carries the files.
      expect(made.stdout).toMatch(/pg_dump/);
      // Without DATABASE_URL the files would sit beside no database: refused, nothing written.
      const nowhere = await lms({ DATA_DIR: target }, "restore", out);
      expect(nowhere.code).toBe(1);
      expect(nowhere.stderr).toMatch(/The backup is of a PostgreSQL LMS, but DATABASE_URL is not set/);
      expect(fs.existsSync(target)).toBe(false);
      const restored = await lms({ ...t.env, DATA_DIR: target }, "restore", out);
      expect(restored.code, restored.stderr).toBe(0);
      expect(stored(target)).toEqual(stored(t.config.dataDir));
      expect(leftBeside(target)).toEqual([]);
      return;
    }
    const restored = await lms({ DATA_DIR: target }, "restore", out);
    expect(restored.code, restored.stderr).toBe(0);
    expect(stored(target)).toEqual(stored(t.config.dataDir));
    const copy = connectDb({ sqliteFile: path.join(target, "lms.sqlite") });
    try {
      const tables = rawRows(await t.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")).map((row) => String(row.name));
      expect(tables).toContain("competence_records");
      for (const table of tables) expect(await copy(table).select(), table).toEqual(await t.db(table).select());
    } finally {
      await copy.destroy();
    }
    expect((await lms({ DATA_DIR: target }, "restore", out)).stderr).toMatch(/already holds an LMS: restore into an empty one/);
    expect((await lms({ DATA_DIR: path.join(scratch, "other") }, "restore", scratch)).stderr).toMatch(/is not an LMS backup/);
  });

  it("refuses a corrupt backup or one whose lms.sqlite is no database, leaving DATA_DIR empty for a retry with a good one", async () => {
    // A SQLite LMS made through the CLI, whatever database this run's other tests use.
    const source = path.join(scratch, "sqlite-source");
    expect((await lms({ DATA_DIR: source }, "migrate")).code).toBe(0);
    const db = connectDb({ sqliteFile: path.join(source, "lms.sqlite") });
    try {
      await db("competencies").insert({ name: "NHS|CSTF|Restore retry|" });
      // Enough rows to fill pages past the one the test damages.
      for (let batch = 0; batch < 4; batch += 1) await db("competencies").insert(Array.from({ length: 100 }, (_, i) => ({ name: `NHS|CSTF|Filler ${batch}-${i}|${"x".repeat(60)}` })));
    } finally {
      await db.destroy();
    }
    fs.mkdirSync(path.join(source, "evidence"), { recursive: true });
    fs.writeFileSync(path.join(source, "evidence", "fedcba9876543210fedcba9876543210"), "%PDF-1.4 evidence");
    const good = path.join(scratch, "sqlite-good");
    const made = await lms({ DATA_DIR: source }, "backup", good);
    expect(made.code, made.stderr).toBe(0);
    expect(fs.statSync(path.join(good, "lms.sqlite")).size).toBeGreaterThan(8192 + 4096);

    const corrupt = path.join(scratch, "sqlite-corrupt");
    fs.cpSync(good, corrupt, { recursive: true });
    const file = fs.openSync(path.join(corrupt, "lms.sqlite"), "r+");
    fs.writeSync(file, randomBytes(4096), 0, 4096, 8192);
    fs.closeSync(file);
    const notDatabase = path.join(scratch, "sqlite-not-a-database");
    fs.cpSync(good, notDatabase, { recursive: true });
    fs.writeFileSync(path.join(notDatabase, "lms.sqlite"), randomBytes(64 * 1024));

    for (const [bad, targetExists] of [[corrupt, true], [notDatabase, false]] as const) {
      const target = path.join(scratch, `retry-${path.basename(bad)}`);
      if (targetExists) fs.mkdirSync(target);
      const refused = await lms({ DATA_DIR: target }, "restore", bad);
      expect(refused.code, bad).toBe(1);
      expect(refused.stderr, bad).toContain(`error: The backup's database ${path.join(bad, "lms.sqlite")} fails its integrity check`);
      expect(refused.stderr, bad).not.toMatch(/error: (PRAGMA|SQLITE_)/);
      // DATA_DIR as it was: empty when it existed, absent when it did not; no staging folder beside it.
      expect(fs.existsSync(target) ? fs.readdirSync(target) : "absent", bad).toEqual(targetExists ? [] : "absent");
      expect(leftBeside(target), bad).toEqual([]);

      const restored = await lms({ DATA_DIR: target }, "restore", good);
      expect(restored.code, restored.stderr).toBe(0);
      expect(fs.readdirSync(target).sort()).toEqual(fs.readdirSync(good).filter((name) => name !== "BACKUP.json").sort());
      expect(leftBeside(target)).toEqual([]);
      const copy = connectDb({ sqliteFile: path.join(target, "lms.sqlite") });
      try {
        expect(await copy("competencies").where({ name: "NHS|CSTF|Restore retry|" }).select("name")).toHaveLength(1);
        expect(rawRows(await copy.raw("PRAGMA integrity_check")).map((row) => Object.values(row)[0])).toEqual(["ok"]);
      } finally {
        await copy.destroy();
      }
      expect(fs.readFileSync(path.join(target, "evidence", "fedcba9876543210fedcba9876543210"), "utf8")).toBe("%PDF-1.4 evidence");
    }
  });

  it("keeps no count of wrong log ins in the copy: a username typed there may be a password, and the copy holds the key of its hash", async () => {
    if (isPostgres(t.db)) return; // pg_dump makes that copy: README's --exclude-table-data=login_failures
    const hash = "ab".repeat(32);
    await t.db("login_failures").insert({ username_hash: hash, source: "192.0.2.9", failures: 1, last_failed_at: clock.now().toISOString(), wait_until: null });
    const out = path.join(scratch, "backup-guesses");
    const made = await lms(t.env, "backup", out);
    expect(made.code, made.stderr).toBe(0);
    const copy = connectDb({ sqliteFile: path.join(out, "lms.sqlite") });
    try {
      expect(await copy("login_failures").select()).toEqual([]);
    } finally {
      await copy.destroy();
    }
    for (const name of fs.readdirSync(out).filter((file) => file.startsWith("lms.sqlite"))) expect(fs.readFileSync(path.join(out, name)).includes(hash), name).toBe(false);
    await t.db("login_failures").where({ username_hash: hash }).delete();
  });
});
