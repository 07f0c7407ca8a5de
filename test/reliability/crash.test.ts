import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { freePort, waitFor } from "../support/processes.ts";
import { COMMIT_LOG_KEEP } from "../../server/runtime/runtime-batch.ts";
import { isPostgres, rawRows, type Db } from "../../server/db/connect.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const LEARNERS = 4;
const ROUNDS = 4;
/** From this commit on, the course reports completed: a later "incomplete" must never take it back. */
const COMPLETED_AT = 3;

/**
 * kill -9 while commits are in flight, several times over: every commit the server acknowledged
 * (answered 200) is stored, in order, no status goes backwards, and the database passes its
 * integrity check. The server is a real process (server/main.ts), the learners real HTTP clients.
 * Each round every learner commits to a fresh attempt: commit_log keeps only the newest
 * COMMIT_LOG_KEEP entries of an attempt, and proof that nothing acknowledged was lost must not
 * depend on how many commits a fast machine fits into the rounds before.
 */
describe("a server killed with commits in flight", () => {
  let t: TestApp;
  let server: ChildProcess | undefined;
  let output = "";
  let baseUrl = "";
  let env: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    env = { ...t.env, PORT: String(port), CONTENT_URL: `http://127.0.0.1:${await freePort()}`, LOG_LEVEL: "warn", SESSION_SECRET: "crash-test-secret-".padEnd(40, "x") };
  }, 60_000);
  afterAll(async () => {
    if (server?.exitCode === null) server.kill("SIGKILL");
    await t.cleanup();
  });

  async function start(): Promise<void> {
    output = "";
    server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (chunk) => (output += chunk));
    server.stderr!.on("data", (chunk) => (output += chunk));
    await waitFor(() => output.includes("LMS ready at"), 90_000, () => output);
  }

  async function kill(): Promise<void> {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server!.kill("SIGKILL");
    await exited;
  }

  it("loses no acknowledged commit, keeps them in order and never downgrades a status, round after round", async () => {
    const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Crash Test - Part 1");
    // People exist, so the server does not add the demo trust on its first start.
    const learners = [];
    for (let n = 0; n < LEARNERS; n++) learners.push(await buildLearner(t.db, t.clock));
    await start();
    const agents = await Promise.all(
      learners.map(async (learner) => {
        const agent = request.agent(baseUrl);
        const page = await agent.get("/login");
        await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(302);
        return { agent, csrf: csrfFrom((await agent.get("/").expect(200)).text) };
      }),
    );
    const commit = (index: number, attemptId: number, sequence: number) =>
      agents[index]!.agent
        .post(`/runtime/attempts/${attemptId}/scos/I1/commit`)
        .set("X-CSRF-Token", agents[index]!.csrf)
        .send({
          commitSequence: sequence,
          cmi: { core: { lesson_status: sequence >= COMPLETED_AT && sequence % 2 === 1 ? "completed" : "incomplete", lesson_location: `page-${sequence}` }, suspend_data: `seq=${sequence};${"x".repeat(3000)}` },
        });
    /** Each learner's attempt of the round before, and the last commit sequence it holds. */
    let previous: { attemptId: number; stored: number }[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) {
        await start();
        // The restarted server carries on from what the crash left: the last round's attempts take
        // their next commit, it is stored and logged, and a completed status stays completed.
        for (const [index, { attemptId, stored }] of previous.entries()) {
          const response = await commit(index, attemptId, stored + 1);
          expect(response.status, `learner ${index}'s commit ${stored + 1} after restart ${round - 1}: ${response.text}`).toBe(200);
          const sco = await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first("commit_sequence");
          expect(Number(sco.commit_sequence)).toBe(stored + 1);
          const logged = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id").pluck("commit_sequence")).map(Number);
          expect(logged.at(-1)).toBe(stored + 1);
          const status = (await t.db("attempts").where({ id: attemptId }).first("performance_status")).performance_status;
          if (stored >= COMPLETED_AT) expect(status, "never downgraded").toBe("Completed");
        }
      }
      const attempts = await Promise.all(learners.map((learner) => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId })));
      const acknowledged = learners.map(() => [] as number[]);
      let running = true;
      // Each learner commits one after another as a player does, a few kB of suspend data each time.
      const loops = attempts.map(async (attemptId, index) => {
        let sequence = 0;
        while (running) {
          sequence += 1;
          try {
            const response = await commit(index, attemptId, sequence);
            if (response.status === 200) acknowledged[index]!.push(sequence);
          } catch {
            return; // the server is gone mid-request: not acknowledged
          }
        }
      });
      // Killed at a random moment once every learner has had a commit acknowledged (a busy machine
      // may take a while to answer the first), so that each round has something to lose.
      await vi.waitFor(() => expect(acknowledged.every((acked) => acked.length > 0)).toBe(true), { timeout: 60_000, interval: 50 });
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.floor(Math.random() * 600)));
      await kill();
      running = false;
      await Promise.all(loops);

      // What the database holds after the crash, before any restart could mend anything.
      previous = [];
      for (const [index, attemptId] of attempts.entries()) {
        const acked = acknowledged[index]!;
        expect(acked.length, `learner ${index} committed in round ${round}`).toBeGreaterThan(0);
        const last = acked.at(-1)!;
        const sco = await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first("commit_sequence", "cmi");
        expect(Number(sco.commit_sequence)).toBeGreaterThanOrEqual(last);
        // Anything stored past the last acknowledgement is one the server applied as the process died.
        const stored = Number(sco.commit_sequence);
        expect(JSON.parse(sco.cmi).suspend_data).toMatch(new RegExp(`^seq=${stored};`));
        // The log below proves nothing lost only while it still holds every commit of the attempt
        // (and the one it takes after the restart).
        expect(stored, `learner ${index} made ${stored} commits in round ${round}: commit_log keeps only ${COMMIT_LOG_KEEP} per attempt, so shorten the round`).toBeLessThan(COMMIT_LOG_KEEP);
        const logged = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id").pluck("commit_sequence")).map(Number);
        expect(logged, "the log is in commit order").toEqual([...logged].sort((a, b) => a - b));
        for (const sequence of acked) expect(logged, `acknowledged commit ${sequence}`).toContain(sequence);
        const status = (await t.db("attempts").where({ id: attemptId }).first("performance_status")).performance_status;
        if (last >= COMPLETED_AT) expect(status, "never downgraded").toBe("Completed");
        previous.push({ attemptId, stored });
      }
      await expectIntact(t.db);
    }
  }, 300_000);
});

/**
 * The database passes its integrity check. SQLite: PRAGMA integrity_check. PostgreSQL has no such
 * pragma; amcheck (contrib, in Debian's postgresql package, which CI installs) checks every btree
 * index against its table, and each table's heap. Then, on both, no row outlives its attempt.
 */
async function expectIntact(db: Db): Promise<void> {
  if (isPostgres(db)) {
    try {
      await db.raw("CREATE EXTENSION IF NOT EXISTS amcheck");
    } catch (error) {
      throw new Error(`the PostgreSQL integrity check needs the amcheck extension (contrib; Debian's postgresql package ships it): ${String(error)}`);
    }
    const indexes = rawRows(
      await db.raw(`
        SELECT c.oid, c.relname FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am am ON am.oid = c.relam
        WHERE n.nspname = 'public' AND am.amname = 'btree' AND i.indisvalid`),
    );
    // The query found the schema's indexes, so the check below is not over an empty list.
    expect(indexes.map((index) => index.relname)).toContain("commit_log_attempt_id_id_index");
    // heapallindexed: every row of the table is also found in the index.
    for (const index of indexes) await db.raw("SELECT bt_index_check(?::oid::regclass, true)", [Number(index.oid)]);
    const heapDamage = rawRows(
      await db.raw(`
        SELECT c.relname, v.blkno, v.offnum, v.msg FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL verify_heapam(c.oid) v
        WHERE n.nspname = 'public' AND c.relkind = 'r'`),
    );
    expect(heapDamage).toEqual([]);
  } else {
    expect(rawRows(await db.raw("PRAGMA integrity_check")).map((row) => Object.values(row)[0])).toEqual(["ok"]);
  }
  for (const table of ["attempt_scos", "commit_log"]) {
    const orphans = await db(table).leftJoin("attempts", "attempts.id", `${table}.attempt_id`).whereNull("attempts.id").count({ n: "*" }).first();
    expect(Number(orphans!.n), `${table} rows whose attempt is gone`).toBe(0);
  }
}
