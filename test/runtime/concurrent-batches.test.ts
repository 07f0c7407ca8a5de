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
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";

type Writer = ReturnType<typeof createRuntimeWriter>;

/**
 * On PostgreSQL one runtime writer writes a few batches at once (runtime-writer.ts), on SQLite one;
 * several app processes behind a balancer (each its own writer) write theirs at once on either.
 * Each test holds a batch open inside its transaction, at the point where it has credited what it
 * completed, and sends more while it is held: another learner's request goes through beside it on
 * PostgreSQL (awaited while the batch is still held: were it queued behind, the test would never
 * end), while a request of the held batch's attempt, or of its person, waits for it and is applied
 * after it, in arrival order. The same tests run on SQLite, where everything waits its turn.
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

  const commit = (writer: Writer, personId: number, attemptId: number, commitSequence: number, core: Record<string, string>, suspendData?: string) =>
    writer.commit({ attemptId, scoId: "I1", personId, request: { commitSequence, cmi: { core, ...(suspendData ? { suspend_data: suspendData } : {}) } } });
  const cmiOf = async (attemptId: number) => JSON.parse((await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first())?.cmi ?? "{}");
  const logOf = async (attemptId: number) => (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((entry) => Number(entry.commit_sequence));
  const statusOf = async (attemptId: number) => (await t.db("attempts").where({ id: attemptId }).first()).performance_status;

  it("holds an attempt's later commits until its batch is written, and applies them in arrival order, while another learner's go through beside it", async () => {
    const [jane, john] = [await learner("Order, Jane"), await learner("Order, John")];
    const [janes, johns] = [await jane.attempt(), await john.attempt()];
    const { writer, held, release } = holdFirstCrediting();

    const first = watched(commit(writer, jane.personId, janes, 1, { lesson_status: "completed", lesson_location: "j1" }, "from-1"));
    await held;
    const second = watched(commit(writer, jane.personId, janes, 2, { lesson_location: "j2" }));
    const third = watched(commit(writer, jane.personId, janes, 3, { lesson_location: "j3" }));
    const others = commit(writer, john.personId, johns, 1, { lesson_location: "o1" });
    if (isPostgres(t.db)) {
      expect(await others).toMatchObject({ result: true });
      expect((await cmiOf(johns)).core.lesson_location).toBe("o1");
      expect([first.settled, second.settled, third.settled]).toEqual([false, false, false]);
    }
    release();
    for (const request of [first, second, third]) expect(await request.promise).toMatchObject({ result: true, performanceStatus: "Completed" });
    await others;
    expect(await logOf(janes)).toEqual([1, 2, 3]);
    // Each saw the one before: the suspend data only the first carried is still there.
    expect(await cmiOf(janes)).toMatchObject({ core: { lesson_location: "j3", lesson_status: "completed" }, suspend_data: "from-1" });
  });

  it("credits one person's learning completed in two attempts at once in one transaction after the other: the certification completes, once", async () => {
    const [jane, john] = [await learner("Credit, Jane"), await learner("Credit, John")];
    const [partA, partB, johns] = [await jane.attempt(moduleA), await jane.attempt(moduleB), await john.attempt()];
    const { writer, held, release } = holdFirstCrediting();

    // Part A's batch credits its component, finds Part B not done, and is held before it commits.
    const a = watched(commit(writer, jane.personId, partA, 1, { lesson_status: "completed" }));
    await held;
    // Credited beside it, Part B would not see Part A's credit either: neither would complete the certification.
    const b = watched(commit(writer, jane.personId, partB, 1, { lesson_status: "completed" }));
    const others = commit(writer, john.personId, johns, 1, { lesson_status: "incomplete" });
    if (isPostgres(t.db)) {
      expect(await others).toMatchObject({ result: true });
      expect([a.settled, b.settled]).toEqual([false, false]);
    }
    release();
    expect(await a.promise).toMatchObject({ performanceStatus: "Completed" });
    expect(await b.promise).toMatchObject({ performanceStatus: "Completed" });
    await others;

    const subscription = await t.db("subscriptions").where({ person_id: jane.personId, certification_id: certificationId }).first();
    expect(subscription.status).toBe("Completed");
    const credits = await t.db("component_credits").where({ subscription_id: subscription.id }).orderBy("course_code");
    expect(credits.map((credit) => [credit.course_code, Number(credit.attempt_id)])).toEqual([
      ["297 Batches - Part A", partA],
      ["297 Batches - Part B", partB],
    ]);
    expect(await t.db("competence_records").where({ person_id: jane.personId })).toHaveLength(1);
  });

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

  it("applies a failed batch's requests again one by one before any later request of their attempts, losing and reordering nothing acknowledged", async () => {
    const [jane, john, joan] = [await learner("Failed, Jane"), await learner("Failed, John"), await learner("Failed, Joan")];
    const [bad, good, others] = [await jane.attempt(), await john.attempt(), await joan.attempt()];
    // A real trigger refuses the bad attempt's commit 7: the batch fails and is applied again one
    // request at a time, where the good attempt's completing commit is credited, and held.
    await refuseInserts(t.db, "commit_log", "commit_sequence", 7);
    let outcomes;
    try {
      const { writer, held, release } = holdFirstCrediting();
      const refused = watched(commit(writer, jane.personId, bad, 7, { lesson_location: "b7" }));
      const completing = watched(commit(writer, john.personId, good, 1, { lesson_status: "completed", lesson_location: "g1" }, "from-1"));
      await held;
      const later = watched(commit(writer, john.personId, good, 2, { lesson_location: "g2" }));
      const beside = commit(writer, joan.personId, others, 1, { lesson_location: "o1" });
      if (isPostgres(t.db)) {
        expect(await beside).toMatchObject({ result: true });
        expect([refused.settled, completing.settled, later.settled]).toEqual([false, false, false]);
      }
      release();
      outcomes = await Promise.allSettled([refused.promise, completing.promise, later.promise, beside]);
    } finally {
      await stopRefusing(t.db, "commit_log");
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await t.db("attempt_scos").where({ attempt_id: bad })).toEqual([]);
    expect(await logOf(good)).toEqual([1, 2]);
    expect(await cmiOf(good)).toMatchObject({ core: { lesson_location: "g2", lesson_status: "completed" }, suspend_data: "from-1" });
    expect(await statusOf(good)).toBe("Completed");
    expect(await logOf(others)).toEqual([1]);
  });
});
