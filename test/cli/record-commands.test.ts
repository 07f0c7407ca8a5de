import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../../server/clock.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { buildLearner } from "../support/factories.ts";
import { lms } from "../support/run-cli.ts";

const FIRE = "NHS|CSTF|Fire Safety - 2 Years|";
const clock = createClock("2026-03-01T09:00:00Z");

/** `lms export-records` and `lms import-records`: the same transfer as Verify a learner's, from a shell. */
describe("lms export-records and import-records", () => {
  let from: TestDb;
  let to: TestDb;
  let exporter: string;
  let importer: { personId: number; username: string };
  const files = fs.mkdtempSync(path.join(os.tmpdir(), "lms-records-"));
  const env = (db: TestDb) => ({ ...db.env, LMS_NOW: "2026-03-01T09:00:00Z" });
  beforeAll(async () => {
    [from, to] = await Promise.all([createTestDb(), createTestDb()]);
    for (const db of [from, to]) await db.db("competencies").insert({ name: FIRE });
    const learner = await buildLearner(from.db, clock);
    exporter = learner.username;
    const competency = await from.db("competencies").where({ name: FIRE }).first("id");
    await from.db("competence_records").insert({ person_id: learner.personId, competency_id: competency.id, level: "1 - Assessed", achieved_on: "2025-06-01", expires_on: "2027-06-01", source: "certification", status: "approved", created_at: "2025-06-01T10:00:00Z" });
    importer = await buildLearner(to.db, clock, { name: "Jones, Jane" });
  });
  afterAll(async () => {
    await Promise.all([from.cleanup(), to.cleanup()]);
    fs.rmSync(files, { recursive: true, force: true });
  });

  it("export-records prints the file, or writes it with --out", async () => {
    const printed = await lms(env(from), "export-records", exporter);
    expect(printed.stderr).toBe("");
    expect(printed.code).toBe(0);
    const file = JSON.parse(printed.stdout);
    expect(file).toMatchObject({ format: "lms-competence-records", version: 1, person: { lastName: "Smith", dateOfBirth: "1990-02-03" }, records: [{ competency: FIRE, achievedOn: "2025-06-01", expiresOn: "2027-06-01", source: "certification" }] });

    const out = path.join(files, "records.json");
    const written = await lms(env(from), "export-records", exporter, "--out", out);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(`Wrote 1 approved record(s) of ${exporter} to ${out}`);
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual({ ...file, exportedAt: expect.stringMatching(/^2026-03-01T09:00/) }); // LMS_NOW's clock runs on
  });

  it("import-records brings them in awaiting approval, and a second run adds nothing", async () => {
    const file = path.join(files, "records.json");
    const first = await lms(env(to), "import-records", importer.username, file);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe(`Imported 1 record(s) for ${importer.username}, awaiting approval; skipped 0 already held`);
    expect(await to.db("competence_records").where({ person_id: importer.personId }).select("source", "status", "achieved_on")).toEqual([{ source: "transfer", status: "awaiting_approval", achieved_on: "2025-06-01" }]);
    const second = await lms(env(to), "import-records", importer.username, file);
    expect(second.stdout).toBe(`Imported 0 record(s) for ${importer.username}, awaiting approval; skipped 1 already held`);
    expect(await to.db("competence_records").where({ person_id: importer.personId })).toHaveLength(1);
    expect(await to.db("audit_events").where({ kind: "competence.imported", person_id: importer.personId })).toHaveLength(2);
  });

  it("exits 1 naming the problem: an unknown username, an unreadable file, a file with problems", async () => {
    const unknown = await lms(env(from), "export-records", "297NOBODY01");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: No one has the username "297NOBODY01"');

    const missing = await lms(env(to), "import-records", importer.username, path.join(files, "nope.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Cannot read .*nope\.json: ENOENT$/);

    const bad = path.join(files, "bad.json");
    const content = JSON.parse(fs.readFileSync(path.join(files, "records.json"), "utf8"));
    content.records[0].competency = "NHS|CSTF|Made Up|";
    fs.writeFileSync(bad, JSON.stringify(content));
    const refused = await lms(env(to), "import-records", importer.username, bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: The competence records file has problems; nothing was imported");
    expect(refused.stderr).toContain('  - records[0].competency: no competency here is named "NHS|CSTF|Made Up|"; add it to the catalog first');
    expect(await to.db("competence_records").where({ person_id: importer.personId })).toHaveLength(1);

    // Saved in Windows-1252 by an editor: refused, not imported with its names garbled.
    const latin1 = path.join(files, "latin1.json");
    fs.writeFileSync(latin1, Buffer.from(fs.readFileSync(path.join(files, "records.json"), "utf8").replace("}", ', "note": "Zoë"}'), "latin1"));
    const garbled = await lms(env(to), "import-records", importer.username, latin1);
    expect(garbled.code).toBe(1);
    expect(garbled.stderr).toBe("error: The file is not UTF-8 text, so it is not a competence records file this LMS exported; nothing was imported");
    expect(await to.db("competence_records").where({ person_id: importer.personId })).toHaveLength(1);
  });
});
