// Issue 18, deliver 7, in part: SQLite locked by another process (a backup tool, a second LMS
// process on the same file, a person with the sqlite3 shell). A learner's commit that meets the
// lock is refused at once: its transaction reads before it writes, and SQLite will not let a
// reader become the writer while another holds the write lock, whatever the busy timeout. It is
// refused with 503 (the player keeps it and sends it again), nothing of it is written, pages that
// only read keep being served, and once the lock is gone the resent commit is taken: alone, and
// with learners committing all at once while the lock comes and goes. PostgreSQL takes no such
// file lock: there this file says why it does not run.
import path from "node:path";
import sqlite3 from "sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { commit, commitThroughFault, committers, expectEveryCommitTaken, storedPage } from "./support/commits-under-load.ts";

describe.skipIf(Boolean(process.env.DATABASE_URL))("SQLite locked by another process (SQLite only: PostgreSQL has no file lock)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  /** Another connection to the same file, as another process would open it, holding the write lock. */
  async function lockDatabase(): Promise<{ release(): Promise<void> }> {
    const other = new sqlite3.Database(path.join(t.env.DATA_DIR!, "lms.sqlite"));
    const run = (sql: string) => new Promise<void>((resolve, reject) => other.run(sql, (error) => (error ? reject(error) : resolve())));
    await run("BEGIN IMMEDIATE");
    await run("CREATE TABLE IF NOT EXISTS lock_probe (x INTEGER)");
    return {
      async release() {
        await run("ROLLBACK");
        await new Promise<void>((resolve) => other.close(() => resolve()));
      },
    };
  }

  it("refuses a commit while locked, keeps the acknowledged one, serves reads, and takes the commit once unlocked", async () => {
    const [learner] = await committers(t, 1, "297 Locked");
    await commit(learner!, 1).expect(200);

    const lock = await lockDatabase();
    try {
      const refused = await commit(learner!, 2);
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBe("5");
      expect(refused.body).toMatchObject({ result: false });
      expect(refused.body.errorMessage).toBe("The database is busy or restarting: the commit was not stored, and nothing of it was kept; the player sends it again.");
      // Reading needs no write lock (WAL): the health check and the learner's own pages still answer.
      await request(t.app).get("/healthz").expect(200);
      await learner!.agent.get("/").expect(200);
    } finally {
      await lock.release();
    }
    expect(await storedPage(t, learner!)).toBe("page-1");
    await commit(learner!, 2).expect(200);
    expect(await storedPage(t, learner!)).toBe("page-2");
  }, 60_000);

  it("answers learners committing all at once while the lock comes and goes with 200 or 503, and stores every commit once, in order", async () => {
    const all = await committers(t, 6, "297 Locked Load");
    const commits = 30;
    const statuses = await commitThroughFault(all, commits, async () => {
      for (let round = 0; round < 3; round++) {
        const lock = await lockDatabase();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await lock.release();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    await expectEveryCommitTaken(t, all, commits, statuses);
  }, 120_000);
});
