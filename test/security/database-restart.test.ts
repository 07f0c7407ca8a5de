// Issue 18, deliver 7, in part: PostgreSQL going away and coming back mid-load, as a restart or a
// failover does to the app: every connection the app holds is ended by the server. The app must
// not crash on the dead connections in its pool, must answer what it cannot do with a clear
// refusal, and must serve again at once: log in, pages, commits, with the acknowledged commit
// intact. SQLite has no server to restart: there this file says why it does not run.
import knex from "knex";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfFrom, logInAgent, createTestApp, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

describe.skipIf(!process.env.DATABASE_URL)("PostgreSQL ends every connection of the app (PostgreSQL only: SQLite has no server)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  /** What a restart does to the app's pool: the server ends each of its connections. */
  async function endEveryConnection(): Promise<number> {
    // A connection of its own, to the cluster's administrative database.
    const admin = knex({ client: "pg", connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
    try {
      const database = (await t.db.raw("select current_database() as name")).rows[0].name as string;
      const ended = await admin.raw("select pg_terminate_backend(pid) from pg_stat_activity where datname = ?", [database]);
      return ended.rowCount ?? 0;
    } finally {
      await admin.destroy();
    }
  }

  it("keeps serving after its connections are ended: pages, log in and commits, the acknowledged commit intact", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Restart");
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/").expect(200)).text);
    const commit = (sequence: number, location: string) => agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: sequence, cmi: { core: { lesson_status: "incomplete", lesson_location: location } } });
    await commit(1, "page-1").expect(200);

    expect(await endEveryConnection()).toBeGreaterThan(0);
    // The first requests may meet a dead connection: each is answered (a refusal, never a hang or
    // a crash), and within a few tries the app serves again.
    const statuses: number[] = [];
    for (let tries = 0; tries < 5; tries++) {
      const response = await request(t.app).get("/healthz");
      statuses.push(response.status);
      if (response.status === 200) break;
    }
    expect(statuses.at(-1)).toBe(200);
    await agent.get("/").expect(200);
    let taken = await commit(2, "page-2");
    if (taken.status !== 200) {
      expect(taken.body).toMatchObject({ result: false });
      taken = await commit(2, "page-2");
    }
    expect(taken.status).toBe(200);
    const row = await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first();
    expect(JSON.parse(row.cmi).core.lesson_location).toBe("page-2");
    await logInAgent(t.app, learner.username, learner.password);
  }, 60_000);
});
