// Issue 18, deliver 7, in part: PostgreSQL going away and coming back mid-load. Learners commit all
// at once while the server is really stopped and started again (a cluster of this test's own:
// support/private-postgres.ts), and, on the shared cluster, while every connection the app holds
// is ended, as a failover does. Each request is answered (a commit refused with 503 while the
// database cannot take it, never a 500 or a hang); each learner's resent commit is taken once it
// is back; every acknowledged commit is stored, in order; and the app serves log in and pages again
// at once. SQLite has no server to restart: there this file says why it does not run.
import knex from "knex";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres.ts";
import { commitThroughFault, committers, expectEveryCommitTaken, type Committer } from "./support/commits-under-load.ts";

const LEARNERS = 6;
const COMMITS = 30;

/** Every commit taken (support/commits-under-load.ts), and the app serving log in and pages again at once. */
async function expectServedThrough(t: TestApp, all: Committer[], statuses: number[]): Promise<void> {
  await expectEveryCommitTaken(t, all, COMMITS, statuses);
  await request(t.app).get("/healthz").expect(200);
  const learner = await buildLearner(t.db, t.clock);
  await (await logInAgent(t.app, learner.username, learner.password)).get("/").expect(200);
}

describe.skipIf(!process.env.DATABASE_URL)("PostgreSQL going away mid-load (PostgreSQL only: SQLite has no server)", () => {
  describe.skipIf(privatePostgresUnavailable() !== null)(`the server stopped and started again (${privatePostgresUnavailable() ?? "a cluster of the test's own"})`, () => {
    let cluster: PrivatePostgres;
    let t: TestApp;
    const shared = process.env.DATABASE_URL;
    beforeAll(async () => {
      cluster = await startPrivatePostgres();
      process.env.DATABASE_URL = cluster.url;
      try {
        t = await createTestApp();
      } finally {
        process.env.DATABASE_URL = shared;
      }
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
      await cluster?.destroy();
    });

    it("refuses commits while it is down, health check included, and takes every one resent once it is back", async () => {
      const all = await committers(t, LEARNERS, "297 Restart");
      let healthWhileDown = 0;
      let pageWhileDown: request.Response | undefined;
      const statuses = await commitThroughFault(all, COMMITS, async () => {
        await cluster.stop();
        healthWhileDown = (await request(t.app).get("/healthz")).status;
        pageWhileDown = await all[0]!.agent.get("/");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await cluster.start();
      });
      expect(healthWhileDown).toBe(503);
      // A person's page says what is wrong and when to try again, rather than "something went wrong".
      expect(pageWhileDown?.status).toBe(503);
      expect(pageWhileDown?.headers["retry-after"]).toBe("5");
      expect(pageWhileDown?.text).toContain("The service is busy or restarting, so nothing of this was saved. Try again in a minute.");
      await expectServedThrough(t, all, statuses);
    }, 120_000);
  });

  describe("every connection of the app ended by the server (a failover)", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.cleanup());

    /**
     * What a failover does to the app's pool: the server ends each of its connections, in use or
     * idle. Ended again until a commit has met one in use (idle ones the pool replaces unseen).
     */
    async function endEveryConnection(statuses: readonly number[]): Promise<void> {
      const admin = knex({ client: "pg", connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
      try {
        const database = (await t.db.raw("select current_database() as name")).rows[0].name as string;
        for (let round = 0; round < 100 && !statuses.includes(503); round++) {
          await admin.raw("select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()", [database]);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await admin.destroy();
      }
    }

    it("answers every commit met by a dead connection with 503, and takes each resent one", async () => {
      const all = await committers(t, LEARNERS, "297 Failover");
      const statuses = await commitThroughFault(all, COMMITS, endEveryConnection);
      await expectServedThrough(t, all, statuses);
    }, 120_000);
  });
});
