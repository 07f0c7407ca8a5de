import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { freePort, waitFor } from "../support/processes.ts";
import { playCourse } from "../../server/learning/attempts.ts";
import { isPostgres, rawRows } from "../../server/db/connect.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const LEARNERS = 4;
const ROUNDS = 4;
/** From this commit on, the course reports completed: a later "incomplete" must never take it back. */
const COMPLETED_AT = 3;

/**
 * kill -9 while commits are in flight, several times over: every commit the server acknowledged
 * (answered 200) is stored, in order, no status goes backwards, and the database passes its
 * integrity check. The server is a real process (server/main.ts), the learners real HTTP clients.
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
    const courseId = Number((await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id);
    // People exist, so the server does not add the demo trust on its first start.
    const learners = [];
    for (let n = 0; n < LEARNERS; n++) learners.push(await buildLearner(t.db, t.clock));
    const attempts = await Promise.all(learners.map(async (learner) => (await playCourse(t.db, t.clock, { personId: learner.personId, courseId })).attemptId));
    const acknowledged = learners.map(() => [] as number[]);
    await start();
    const agents = await Promise.all(
      learners.map(async (learner) => {
        const agent = request.agent(baseUrl);
        const page = await agent.get("/login");
        await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(302);
        return { agent, csrf: csrfFrom((await agent.get("/").expect(200)).text) };
      }),
    );

    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) await start();
      let running = true;
      // Each learner commits one after another as a player does, a few kB of suspend data each time.
      const loops = agents.map(async ({ agent, csrf }, index) => {
        let sequence = acknowledged[index]!.at(-1) ?? 0;
        while (running) {
          sequence += 1;
          const body = {
            commitSequence: sequence,
            cmi: { core: { lesson_status: sequence >= COMPLETED_AT && sequence % 2 === 1 ? "completed" : "incomplete", lesson_location: `page-${sequence}` }, suspend_data: `seq=${sequence};${"x".repeat(3000)}` },
          };
          try {
            const response = await agent.post(`/runtime/attempts/${attempts[index]}/scos/I1/commit`).set("X-CSRF-Token", csrf).send(body);
            if (response.status === 200) acknowledged[index]!.push(sequence);
          } catch {
            return; // the server is gone mid-request: not acknowledged
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.floor(Math.random() * 600)));
      await kill();
      running = false;
      await Promise.all(loops);

      // What the database holds after the crash, before any restart could mend anything.
      for (const [index, attemptId] of attempts.entries()) {
        const acked = acknowledged[index]!;
        expect(acked.length, `learner ${index} committed in round ${round}`).toBeGreaterThan(0);
        const last = acked.at(-1)!;
        const sco = await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first("commit_sequence", "cmi");
        expect(Number(sco.commit_sequence)).toBeGreaterThanOrEqual(last);
        // Anything stored past the last acknowledgement is one the server applied as the process died.
        const stored = Number(sco.commit_sequence);
        expect(JSON.parse(sco.cmi).suspend_data).toMatch(new RegExp(`^seq=${stored};`));
        const logged = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id").pluck("commit_sequence")).map(Number);
        expect(logged, "the log is in commit order").toEqual([...logged].sort((a, b) => a - b));
        for (const sequence of acked) expect(logged, `acknowledged commit ${sequence}`).toContain(sequence);
        const status = (await t.db("attempts").where({ id: attemptId }).first("performance_status")).performance_status;
        if (last >= COMPLETED_AT) expect(status, "never downgraded").toBe("Completed");
        acknowledged[index]!.push(...Array.from({ length: stored - last }, (_, n) => last + n + 1));
      }
      if (!isPostgres(t.db)) expect(rawRows(await t.db.raw("PRAGMA integrity_check")).map((row) => Object.values(row)[0])).toEqual(["ok"]);
    }
  }, 300_000);
});
