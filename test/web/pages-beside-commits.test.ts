import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

/**
 * Issue 21: on SQLite's one writer connection, the runtime's commit transactions held every page
 * behind them (Home p50 113 ms under bench:load). Home and the player window read on connections
 * of their own (readsOf), so they answer while a transaction holds the writer. On PostgreSQL the
 * held transaction takes one connection of the pool and the pages the others: the same holds.
 */
describe("pages a learner opens while others commit", () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof logInAgent>>;
  let attemptId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const learner = await buildLearner(t.db, t.clock);
    const courseVersionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Beside Commits");
    attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId });
    agent = await logInAgent(t.app, learner.username, learner.password);
    await agent.get("/").expect(200);
  });
  afterAll(() => t.cleanup());

  it("Home and the player window answer while a write transaction holds the writer", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const holding = new Promise<void>((resolve) => (began = resolve));
    const transaction = t.db.transaction(async (trx) => {
      await trx("attempts").where({ id: attemptId }).update({ sequencing_state: null });
      began();
      await held;
    });
    await holding;
    try {
      // Were either page's reads on the writer, they would wait for the transaction, which waits
      // for the pages, until the pool gave up on them (a 500).
      const [home, player] = await Promise.all([agent.get("/"), agent.get(`/player/attempts/${attemptId}`)]);
      expect(home.status).toBe(200);
      expect(player.status).toBe(200);
      expect(player.text).toContain("297 Test 1.2 Multi");
    } finally {
      release();
      await transaction;
    }
  });
});
