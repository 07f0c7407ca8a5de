// Issue 18, deliver 7: the disk filling during an import, an evidence upload and a commit. DATA_DIR
// is a real file system with a size limit: a tmpfs mounted for this file, filled by a filler file
// to leave as much room as each case needs. The database's own disk is filled for the commit: on
// SQLite it is DATA_DIR's; on PostgreSQL a cluster of this file's own (support/private-postgres.ts)
// lives on a second tmpfs. Each failure gets a clear error (507), nothing half-written stays, no
// acknowledged commit is lost, and once there is room again the same request goes through. An
// import or upload that cannot fit is now refused before a byte of it is written (its unpacked
// size or the most it may send claimed first: disk-space.ts), so on this disk only the commit
// meets ENOSPC itself; an import's cleanup after one is tested in test/packages/import-hardening.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { createClock } from "../../server/clock.ts";
import { createApp } from "../../server/app.ts";
import { connectDb, migrateLatest, type Db } from "../../server/db/connect.ts";
import { csrfFrom, logInAgent } from "../support/test-app.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { buildZip } from "../support/build-zip.ts";
import { rawPost } from "../support/raw-post.ts";
import { canMountTmpfs } from "../support/tmpfs.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const MB = 1024 * 1024;
const SIZE_MB = 40;
// Room for a fresh cluster (about 40 MB), the test's database and a WAL segment to spare.
const POSTGRES_SIZE_MB = 160;
const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * Mounting needs root and a machine that lets it mount (CI runs as root, as this machine does; a
 * container without the privilege does not): tried once with a tiny tmpfs. Where it cannot (or, on
 * PostgreSQL, a cluster of the test's own cannot be started), the file says why it skipped.
 */
function canMount(): boolean {
  return !(onPostgres && privatePostgresUnavailable() !== null) && canMountTmpfs();
}

describe.skipIf(!canMount())("a full disk (a tmpfs of 40 MB; needs root allowed to mount)", () => {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), "lms-full-disk-"));
  // The database's disk: DATA_DIR's on SQLite, the private cluster's on PostgreSQL.
  const databaseMount = onPostgres ? fs.mkdtempSync(path.join(os.tmpdir(), "lms-full-disk-pg-")) : mount;
  let cluster: PrivatePostgres | undefined;
  let testDb: TestDb | undefined;
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let config: ReturnType<typeof loadConfig>;
  const clock = createClock("2026-03-01T09:00:00Z");

  /** Fills the disk (DATA_DIR's, or another), then gives back `room` bytes. */
  function leaveRoom(room: number, disk = mount): void {
    const filler = path.join(disk, "filler");
    fs.rmSync(filler, { force: true });
    const handle = fs.openSync(filler, "w");
    const chunk = Buffer.alloc(MB, 1);
    try {
      for (;;) fs.writeSync(handle, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    } finally {
      fs.closeSync(handle);
    }
    fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - room));
  }
  const emptyDisk = (disk = mount) => fs.rmSync(path.join(disk, "filler"), { force: true });

  /** The evidence form as a browser would send it, but chunked: no Content-Length. */
  async function sendChunked(agent: ReturnType<typeof request.agent>, csrf: string, competencyId: string, file: Buffer): Promise<{ status: number; body: string }> {
    return rawPost(app, agent, "/compliance/records", { "Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked" }, (req) => {
      const field = (name: string, value: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      req.write(field("_csrf", csrf) + field("competencyId", competencyId) + field("achievedOn", "2026-01-15") + field("evidence", "Fire safety elsewhere"));
      req.write(`--b\r\nContent-Disposition: form-data; name="file"; filename="certificate.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
      for (let at = 0; at < file.length; at += 64 * 1024) req.write(file.subarray(at, at + 64 * 1024));
      req.end("\r\n--b--\r\n");
    });
  }
  const filesUnder = (folder: string) => (fs.existsSync(folder) ? (fs.readdirSync(folder, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(folder, name)).isFile()) : []);

  beforeAll(async () => {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${SIZE_MB}m`, "tmpfs", mount]);
    if (onPostgres) {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${POSTGRES_SIZE_MB}m`, "tmpfs", databaseMount]);
      cluster = await startPrivatePostgres({ dir: path.join(databaseMount, "cluster") });
      const shared = process.env.DATABASE_URL;
      process.env.DATABASE_URL = cluster.url;
      try {
        testDb = await createTestDb();
      } finally {
        process.env.DATABASE_URL = shared;
      }
      db = testDb.db;
    } else {
      db = connectDb({ sqliteFile: path.join(mount, "lms.sqlite") });
      await migrateLatest(db);
    }
    // No floor: the point is what happens when the disk fills all the same (another process, a log).
    config = loadConfig({ DATA_DIR: mount, DISK_FREE_FLOOR_MB: "0", LOG_LEVEL: "silent" });
    app = createApp({ config, db, clock, logger: pino({ level: "silent" }), sessionSecret: "full-disk-secret-".padEnd(40, "f") });
  }, 60_000);
  afterAll(async () => {
    await (testDb ? testDb.cleanup() : db?.destroy());
    await cluster?.destroy();
    for (const disk of new Set([mount, databaseMount])) {
      execFileSync("umount", [disk]);
      fs.rmSync(disk, { recursive: true, force: true });
    }
  });

  it("refuses an import that would fill the disk with 507 before unpacking it, leaving no row and no file, then imports it once there is room", async () => {
    const author = await buildLearner(db, clock, { role: "author" });
    const agent = await logInAgent(app, author.username, author.password);
    const token = csrfFrom((await agent.get("/author/courses/upload").expect(200)).text);
    // 6 MB that deflate cannot shrink: room for the upload, not for what it unpacks to as well.
    const zip = await buildZip({ ...VALID_PACKAGES["scorm12-single"]!.files, "media/video.bin": crypto.randomBytes(6 * MB) });
    const upload = () => agent.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).attach("package", zip);
    leaveRoom(9 * MB);
    const refused = await upload();
    expect(refused.status).toBe(507);
    expect(refused.body.report.errors[0]).toMatchObject({ code: "storage.disk_low" });
    expect(refused.body.report.errors[0].message).toMatch(/short of disk space: this package unpacks to 6 MB, which would not fit on the server's disk, so nothing was saved/);
    expect(Number((await db("course_versions").count({ n: "*" }).first())?.n)).toBe(0);
    expect(filesUnder(path.join(mount, "packages")).filter((name) => !name.endsWith(".lms-package-storage"))).toEqual([]);
    emptyDisk();
    await upload().expect(201);
  });

  it("refuses evidence that would fill the disk with 507, keeping neither record nor file, then keeps it once there is room", async () => {
    const learner = await buildLearner(db, clock);
    const agent = await logInAgent(app, learner.username, learner.password);
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    const csrf = csrfFrom((await agent.get("/compliance?tab=awaiting").expect(200)).text);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), crypto.randomBytes(3 * MB), Buffer.from("\n%%EOF\n")]);
    const send = () => agent.post("/compliance/records").field("_csrf", csrf).set("Accept", "application/json").field("competencyId", String(competency.id ?? competency)).field("achievedOn", "2026-01-15").field("evidence", "Fire safety elsewhere").attach("file", pdf, "certificate.pdf");
    leaveRoom(1 * MB);
    // Declared, its length is refused before a byte is written (the free-space floor's check).
    const declared = await send();
    expect(declared.status).toBe(507);
    expect(declared.body.error).toMatchObject({ code: "storage.disk_low" });
    // Sent chunked, with no length to judge by, it counts as the most evidence may be (5 MB).
    const chunked = await sendChunked(agent, csrf, String(competency.id ?? competency), pdf);
    expect(chunked.status).toBe(507);
    expect(JSON.parse(chunked.body).error).toMatchObject({ code: "storage.disk_low" });
    expect(await db("competence_records").where({ person_id: learner.personId })).toEqual([]);
    expect(filesUnder(path.join(mount, "evidence"))).toEqual([]);
    emptyDisk();
    await send().expect(303);
    expect(filesUnder(path.join(mount, "evidence"))).toHaveLength(1);
  });

  it("refuses a commit the database cannot write with 507, losing no acknowledged commit, and takes it once there is room", async () => {
    const learner = await buildLearner(db, clock);
    const versionId = await importCourseVersion({ db, clock, config }, VALID_PACKAGES["scorm12-single"]!.files, "297 Full Disk");
    const attemptId = await buildAttempt({ db, personId: learner.personId, courseVersionId: versionId });
    const agent = await logInAgent(app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/").expect(200)).text);
    // Suspend data near the most 1.2 allows, so that a commit needs pages of its own.
    const commit = (sequence: number, location: string) =>
      agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: sequence, cmi: { core: { lesson_status: "incomplete", lesson_location: location }, suspend_data: crypto.randomBytes(2000).toString("hex").slice(0, 4000) } });
    await commit(1, "page-1").expect(200);
    leaveRoom(0, databaseMount);
    // A commit may still fit in the room its table's pages have left (PostgreSQL reuses them): the
    // learner carries on until the database needs more of the disk.
    let sequence = 2;
    let refused = await commit(sequence, `page-${sequence}`);
    while (refused.status === 200 && sequence < 200) {
      sequence += 1;
      refused = await commit(sequence, `page-${sequence}`);
    }
    expect(refused.status).toBe(507);
    expect(refused.body).toMatchObject({ result: false });
    expect(refused.body.errorMessage).toMatch(/out of disk space/);
    emptyDisk(databaseMount);
    const kept = JSON.parse((await db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first()).cmi);
    expect(kept.core.lesson_location).toBe(`page-${sequence - 1}`); // the last acknowledged commit, whole
    await commit(sequence, `page-${sequence}`).expect(200);
    expect(JSON.parse((await db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first()).cmi).core.lesson_location).toBe(`page-${sequence}`);
    await request(app).get("/healthz").expect(200);
  });
});
