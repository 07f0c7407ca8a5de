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
      expect(made.stdout).toContain("back it up with pg_dump");
      const restored = await lms({ ...t.env, DATA_DIR: target }, "restore", out);
      expect(restored.code, restored.stderr).toBe(0);
      expect(stored(target)).toEqual(stored(t.config.dataDir));
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
});
