import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { isPostgres } from "../../server/db/connect.ts";
import { creditEarnedAttempts } from "../../server/learning/credit-service.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { createRuntimeWriter, type CreditEarned } from "../../server/runtime/runtime-writer.ts";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

/**
 * Runtime batches written at the same time on one database, as several app processes behind a
 * balancer write them (each its own runtime writer). Each test holds a batch open inside its
 * transaction, at the point where it has credited what it completed, and sends more while it is
 * held. The same tests run on SQLite, where one transaction waits for the other.
 */
describe("runtime batches written at once", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T08:00:00.000Z");
  let moduleA: number;
  let moduleB: number;
  let certificationId: number;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    moduleA = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Batches - Part A");
    moduleB = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Batches - Part B");
    ({ certificationId } = await buildCertification(t.db, {
      name: "297 Core Skills - Batches - 3 Years",
      competency: "NHS|CSTF|Batches - 3 Years|",
      components: [{ courseCode: "297 Batches - Part A" }, { courseCode: "297 Batches - Part B" }],
    }));
  });
  afterAll(() => t.cleanup());

  async function learner(name: string) {
    clock.set("2026-03-01T08:00:00.000Z");
    const { personId } = await buildLearner(t.db, t.clock, { name });
    await subscribe(t.db, t.clock, { personId }, certificationId);
    // Played after subscribing (rule 1), committed later that morning.
    const attempt = (courseVersionId = moduleA) => buildAttempt({ db: t.db, personId, courseVersionId, startedAt: "2026-03-01T09:00:00.000Z" });
    clock.set("2026-03-01T10:00:00.000Z");
    return { personId, attempt };
  }

  /** Real crediting, but the first batch that credits anything stays open after it until released. */
  function holdFirstCrediting() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let first = true;
    const credit: CreditEarned = async (trx, earned, now) => {
      await creditEarnedAttempts(trx, earned, now);
      if (!first) return;
      first = false;
      holding();
      await released;
    };
    return { writer: createRuntimeWriter(t.db, t.clock, credit), held, release };
  }

  /** A request's promise, and whether it has settled yet. */
  function watched<T>(promise: Promise<T>) {
    const watch = { settled: false, promise: promise.finally(() => (watch.settled = true)) };
    return watch;
  }

  const commit = (writer: ReturnType<typeof createRuntimeWriter>, personId: number, attemptId: number, commitSequence: number, core: Record<string, string>) =>
    writer.commit({ attemptId, scoId: "I1", personId, request: { commitSequence, cmi: { core } } });

  it("credits one person's learning completed at once in two processes one after the other: the certification completes", async () => {
    const jane = await learner("Processes, Jane");
    const [partA, partB] = [await jane.attempt(moduleA), await jane.attempt(moduleB)];
    // Two writers on one database, as two app processes behind a balancer have.
    const one = holdFirstCrediting();
    const other = createRuntimeWriter(t.db, t.clock, creditEarnedAttempts);
    const a = watched(commit(one.writer, jane.personId, partA, 1, { lesson_status: "completed" }));
    await one.held;
    const b = watched(commit(other, jane.personId, partB, 1, { lesson_status: "completed" }));
    // On PostgreSQL the other process's crediting waits for the subscription's lock (were there
    // none, its commit would be answered first, and neither would see the other's credit).
    if (isPostgres(t.db)) await until(async () => b.settled || (await waitingForLocks()) > 0);
    one.release();
    expect(await a.promise).toMatchObject({ performanceStatus: "Completed" });
    expect(await b.promise).toMatchObject({ performanceStatus: "Completed" });
    const subscription = await t.db("subscriptions").where({ person_id: jane.personId, certification_id: certificationId }).first();
    expect(subscription.status).toBe("Completed");
    expect(await t.db("component_credits").where({ subscription_id: subscription.id })).toHaveLength(2);
    expect(await t.db("competence_records").where({ person_id: jane.personId })).toHaveLength(1);
  });

  const waitingForLocks = async () => Number((await t.db.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows[0].n);
  async function until(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
