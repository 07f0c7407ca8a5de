import { creditEarnedAttempts } from "../../server/learning/credit-service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { COMMIT_LOG_KEEP, COMMIT_LOG_TRIM_EVERY } from "../../server/runtime/runtime-batch.ts";
import { createRuntimeWriter } from "../../server/runtime/runtime-writer.ts";
import { ScormRefusal } from "../../server/scorm/scorm-errors.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";
import { isPostgres } from "../../server/db/connect.ts";
import { liveSessionIds } from "../../server/web/session-store.ts";

type Agent = Awaited<ReturnType<typeof logInAgent>>;

/**
 * The runtime writes the commits and state fetches that arrive together in one transaction
 * (server/runtime/runtime-writer.ts). Each must still stand or fall on its own, and none may be
 * acknowledged before it is stored.
 */
describe("commits that arrive together (group commit)", () => {
  let t: TestApp;
  let versionId: number;
  let version2004: number;
  const learners: Array<{ personId: number; agent: Agent; csrf: string }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Group Commit");
    version2004 = await importCourseVersion(t, VALID_PACKAGES["scorm2004-4th-xml-base"]!.files, "297 Group Commit 2004");
    for (const n of [1, 2, 3]) {
      const learner = await buildLearner(t.db, t.clock, { name: `Group${n}, Jane` });
      const agent = await logInAgent(t.app, learner.username, learner.password);
      learners.push({ personId: learner.personId, agent, csrf: csrfFrom((await agent.get("/")).text) });
    }
  });
  afterAll(() => t.cleanup());

  const attemptOf = (learner: number, courseVersionId = versionId) => buildAttempt({ db: t.db, personId: learners[learner]!.personId, courseVersionId });
  const commit = (learner: number, attemptId: number, body: unknown, scoId = "I1") =>
    learners[learner]!.agent.post(`/runtime/attempts/${attemptId}/scos/${scoId}/commit`).set("X-CSRF-Token", learners[learner]!.csrf).send(body as object);
  const scoRow = (attemptId: number, scoId = "I1") => t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first();
  const location = async (attemptId: number) => JSON.parse((await scoRow(attemptId))?.cmi ?? "{}").core?.lesson_location;
  const logOf = async (attemptId: number) => (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((entry) => Number(entry.commit_sequence));
  const attemptRow = (attemptId: number) => t.db("attempts").where({ id: attemptId }).first();
  /**
   * Requests handed to a writer in one turn of the event loop go in one batch (runtime-writer.ts):
   * the way to be sure a failing request shares its batch with the others. Each settles to its
   * answer or its error.
   */
  const inOneBatch = (requests: Array<(writer: ReturnType<typeof createRuntimeWriter>) => Promise<unknown>>) => {
    const writer = createRuntimeWriter(t.db, t.clock, creditEarnedAttempts);
    return Promise.allSettled(requests.map((request) => request(writer)));
  };
  const commitOf = (learner: number, attemptId: number, request: unknown, scoId = "I1") => (writer: ReturnType<typeof createRuntimeWriter>) =>
    writer.commit({ attemptId, scoId, request, personId: learners[learner]!.personId });

  /** Counts the write transactions the database sees while `work` runs. */
  async function countTransactions(work: () => Promise<unknown>): Promise<number> {
    let commits = 0;
    const onQuery = (query: { sql: string }) => {
      if (/^commit/i.test(query.sql.trim())) commits++;
    };
    t.db.on("query", onQuery);
    try {
      await work();
    } finally {
      t.db.off("query", onQuery);
    }
    return commits;
  }

  it("stores every learner's commits, each in its own attempt, in fewer transactions than commits", async () => {
    const attempts = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
    const transactions = await countTransactions(() =>
      Promise.all(
        [0, 1, 2].flatMap((learner) =>
          [1, 2, 3, 4].map((sequence) => commit(learner, attempts[learner]!, { commitSequence: sequence, cmi: { core: { lesson_location: `l${learner}-p${sequence}` } } })),
        ),
      ).then((responses) => responses.map((response) => response.status)),
    );
    // Twelve commits of three learners; a commit whose number arrived after a higher one is stale.
    for (const [learner, attemptId] of attempts.entries()) {
      const row = await scoRow(attemptId);
      const log = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((entry) => Number(entry.commit_sequence));
      expect(log.length).toBeGreaterThan(0);
      expect(log).toEqual([...log].sort((a, b) => a - b));
      expect(row.commit_sequence).toBe(log.at(-1));
      expect(await location(attemptId)).toBe(`l${learner}-p${log.at(-1)}`);
    }
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThan(12);
  });

  it("lets one commit be refused without holding back the others that arrived with it", async () => {
    const [a, b, c] = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
    await commit(2, c!, { commitSequence: 5, cmi: { core: { lesson_location: "c5" } } }).expect(200);
    const [valid, invalid, stale, othersAttempt] = await Promise.all([
      commit(0, a!, { commitSequence: 1, cmi: { core: { lesson_status: "passed", lesson_location: "a1" } } }),
      commit(1, b!, { commitSequence: 1, cmi: { core: { lesson_status: "done", lesson_location: "b1" } } }),
      commit(2, c!, { commitSequence: 4, cmi: { core: { lesson_location: "c4" } } }),
      commit(0, c!, { commitSequence: 6, cmi: { core: { lesson_location: "forged" } } }),
    ]);
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ result: true, performanceStatus: "Passed" });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ result: false, errorCode: 405 });
    expect(stale.status).toBe(409);
    expect(othersAttempt.status).toBe(403);
    expect(await location(a!)).toBe("a1");
    expect(await scoRow(b!)).toBeUndefined();
    expect(await location(c!)).toBe("c5");
    expect(await t.db("attempts").where({ id: a }).first()).toMatchObject({ performance_status: "Passed" });
  });

  it("stores nothing of commits whose writes all fail, and answers each with an error to send again", async () => {
    const attempts = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
    await Promise.all(attempts.map((attemptId, learner) => commit(learner, attemptId, { commitSequence: 1, cmi: { core: { lesson_location: "kept", lesson_status: "incomplete" } } }).expect(200)));
    // A real trigger refuses their log entries, the last thing written: each fails, alone or together.
    await refuseInserts(t.db, "commit_log", "sco_identifier", "I1");
    let responses;
    try {
      responses = await Promise.all(attempts.map((attemptId, learner) => commit(learner, attemptId, { commitSequence: 2, cmi: { core: { lesson_location: "lost", lesson_status: "passed" } } })));
    } finally {
      await stopRefusing(t.db, "commit_log");
    }
    for (const response of responses) {
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ result: false, errorCode: 101 });
    }
    for (const attemptId of attempts) {
      expect(await location(attemptId)).toBe("kept");
      expect(await scoRow(attemptId)).toMatchObject({ commit_sequence: 1 });
      expect(await t.db("attempts").where({ id: attemptId }).first()).toMatchObject({ performance_status: "Incomplete" });
    }
    // Sent again, each goes through.
    for (const [learner, attemptId] of attempts.entries()) {
      await commit(learner, attemptId, { commitSequence: 2, cmi: { core: { lesson_location: "again" } } }).expect(200);
      expect(await location(attemptId)).toBe("again");
    }
  });

  it("keeps only the newest log entries of every attempt written together", async () => {
    const attempts = await Promise.all([0, 1].map((learner) => attemptOf(learner)));
    for (const attemptId of attempts) {
      await t.db.batchInsert("commit_log", Array.from({ length: COMMIT_LOG_KEEP }, (_, n) => ({ attempt_id: attemptId, sco_identifier: "I1", commit_sequence: n + 1, body: "{}", received_at: "2026-02-01T00:00:00.000Z" })), 100);
      await t.db("attempt_scos").insert({ attempt_id: attemptId, sco_identifier: "I1", cmi: "{}", commit_sequence: COMMIT_LOG_KEEP, updated_at: "2026-02-01T00:00:00.000Z" });
    }
    // Each commit passes a multiple of COMMIT_LOG_TRIM_EVERY (a jump, as after lost commits), so each attempt is trimmed.
    await Promise.all(attempts.map((attemptId, learner) => commit(learner, attemptId, { commitSequence: COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY, cmi: { core: { lesson_location: "newest" } } }).expect(200)));
    for (const attemptId of attempts) {
      const log = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((entry) => Number(entry.commit_sequence));
      expect(log).toHaveLength(COMMIT_LOG_KEEP);
      expect(log[0]).toBe(2);
      expect(log.at(-1)).toBe(COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY);
    }
  });

  it("fails only the request whose write the database refuses: every other learner's is stored and answered, in order", async () => {
    const [bad, good, other] = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
    const fetched = await attemptOf(2);
    // A real trigger refuses the bad attempt's SCO row (an upsert), as NaN in a NOT NULL column did.
    await refuseInserts(t.db, "attempt_scos", "attempt_id", bad!);
    let outcomes;
    try {
      outcomes = await inOneBatch([
        commitOf(1, good!, { commitSequence: 1, cmi: { core: { lesson_location: "g1", lesson_status: "incomplete" }, suspend_data: "from-1" } }),
        commitOf(0, bad!, { commitSequence: 1, cmi: { core: { lesson_location: "never", lesson_status: "passed" } } }),
        commitOf(1, good!, { commitSequence: 2, cmi: { core: { lesson_location: "g2", lesson_status: "passed" } } }),
        (writer) => writer.state({ attemptId: fetched, scoId: "I1", personId: learners[2]!.personId }),
        commitOf(2, other!, { commitSequence: 1, cmi: { core: { lesson_location: "o1", lesson_status: "completed" } } }),
      ]);
    } finally {
      await stopRefusing(t.db, "attempt_scos");
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    const [first, failed, second, state, others] = outcomes;
    expect((failed as PromiseRejectedResult).reason).not.toBeInstanceOf(ScormRefusal); // a failure (a 500), not a refusal
    expect((first as PromiseFulfilledResult<unknown>).value).toMatchObject({ result: true, performanceStatus: "Incomplete" });
    expect((second as PromiseFulfilledResult<unknown>).value).toMatchObject({ result: true, performanceStatus: "Passed" });
    expect((state as PromiseFulfilledResult<unknown>).value).toMatchObject({ attemptId: fetched, scoId: "I1", commitSequence: 0 });
    expect((others as PromiseFulfilledResult<unknown>).value).toMatchObject({ result: true, performanceStatus: "Completed" });
    // The good SCO's second commit saw its first: the suspend data only the first carried is kept.
    expect(JSON.parse((await scoRow(good!)).cmi)).toMatchObject({ core: { lesson_location: "g2" }, suspend_data: "from-1" });
    expect(await logOf(good!)).toEqual([1, 2]);
    expect(await attemptRow(good!)).toMatchObject({ performance_status: "Passed" });
    expect(await location(other!)).toBe("o1");
    expect(await attemptRow(other!)).toMatchObject({ performance_status: "Completed" });
    expect(await scoRow(fetched)).toMatchObject({ session_open: isPostgres(t.db) ? true : 1 });
    // Nothing of the bad one.
    expect(await scoRow(bad!)).toBeUndefined();
    expect(await logOf(bad!)).toEqual([]);
    expect(await attemptRow(bad!)).toMatchObject({ performance_status: "Not Attempted" });
  });

  it("fails the later commits of a SCO whose commit failed in the same batch, so that none is stored ahead of it", async () => {
    const [bad, good] = await Promise.all([0, 1].map((learner) => attemptOf(learner)));
    // Only the bad SCO's commit 7 is refused (the good one counts from 1): its commit 8 would go in.
    await refuseInserts(t.db, "commit_log", "commit_sequence", 7);
    let outcomes;
    try {
      outcomes = await inOneBatch([
        commitOf(0, bad!, { commitSequence: 7, cmi: { core: { lesson_location: "b7" } } }),
        commitOf(1, good!, { commitSequence: 1, cmi: { core: { lesson_location: "g1" } } }),
        commitOf(0, bad!, { commitSequence: 8, cmi: { core: { lesson_location: "b8" } } }),
        commitOf(1, good!, { commitSequence: 2, cmi: { core: { lesson_location: "g2" } } }),
      ]);
    } finally {
      await stopRefusing(t.db, "commit_log");
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled", "rejected", "fulfilled"]);
    expect(await scoRow(bad!)).toBeUndefined();
    expect(await logOf(good!)).toEqual([1, 2]);
    // Sent again in their order, both go in.
    await inOneBatch([commitOf(0, bad!, { commitSequence: 7, cmi: { core: { lesson_location: "b7" } } }), commitOf(0, bad!, { commitSequence: 8, cmi: { core: { lesson_location: "b8" } } })]);
    expect(await logOf(bad!)).toEqual([7, 8]);
    expect(await location(bad!)).toBe("b8");
  });

  describe("the sessions the requests came with, found live in the batch's own transaction", () => {
    const future = () => new Date(Date.now() + 3_600_000).toISOString();
    const ended: string[] = [];
    const writerWithSessions = () => createRuntimeWriter(t.db, t.clock, creditEarnedAttempts, { live: liveSessionIds, ended: (sid) => ended.push(sid) });
    const withSession = (learner: number, attemptId: number, sequence: number, sessionId: string) => (writer: ReturnType<typeof createRuntimeWriter>) =>
      writer.commit({ attemptId, scoId: "I1", request: { commitSequence: sequence, cmi: { core: { lesson_location: `${sessionId}-${sequence}` } } }, personId: learners[learner]!.personId, sessionId });
    const together = (writer: ReturnType<typeof createRuntimeWriter>, requests: Array<(writer: ReturnType<typeof createRuntimeWriter>) => Promise<unknown>>) =>
      Promise.allSettled(requests.map((request) => request(writer)));

    it("refuses the requests of a session that ended or expired, storing nothing of them and everything of the others", async () => {
      ended.length = 0;
      const [kept, expired, loggedOut] = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
      await t.db("sessions").insert([
        { sid: "batch-live", sess: "{}", expired: future() },
        { sid: "batch-expired", sess: "{}", expired: "2000-01-01T00:00:00.000Z" },
      ]);
      const writer = writerWithSessions();
      const outcomes = await together(writer, [withSession(0, kept!, 1, "batch-live"), withSession(1, expired!, 1, "batch-expired"), withSession(2, loggedOut!, 1, "batch-gone"), withSession(0, kept!, 2, "batch-live")]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
      for (const refused of [outcomes[1], outcomes[2]] as PromiseRejectedResult[]) {
        expect(refused.reason).toBeInstanceOf(ScormRefusal);
        expect(refused.reason).toMatchObject({ status: 401, code: "auth.required", message: expect.stringMatching(/session has ended/) });
      }
      expect(await logOf(kept!)).toEqual([1, 2]);
      expect(await location(kept!)).toBe("batch-live-2");
      for (const attemptId of [expired!, loggedOut!]) {
        expect(await scoRow(attemptId)).toBeUndefined();
        expect(await logOf(attemptId)).toEqual([]);
      }
      // The reader is told, so that it reads those sessions afresh before it trusts them again.
      expect(ended.sort()).toEqual(["batch-expired", "batch-gone"]);
    });

    it("refuses them too when the batch is applied again one request at a time", async () => {
      ended.length = 0;
      const [bad, good, loggedOut] = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
      await t.db("sessions").insert({ sid: "one-by-one-live", sess: "{}", expired: future() });
      await refuseInserts(t.db, "attempt_scos", "attempt_id", bad!);
      let outcomes;
      try {
        outcomes = await together(writerWithSessions(), [withSession(0, bad!, 1, "one-by-one-live"), withSession(1, good!, 1, "one-by-one-live"), withSession(2, loggedOut!, 1, "one-by-one-gone")]);
      } finally {
        await stopRefusing(t.db, "attempt_scos");
      }
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled", "rejected"]);
      expect((outcomes[0] as PromiseRejectedResult).reason).not.toBeInstanceOf(ScormRefusal);
      expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ status: 401, code: "auth.required" });
      expect(await location(good!)).toBe("one-by-one-live-1");
      expect(await scoRow(loggedOut!)).toBeUndefined();
      // Told in the batch that failed and again in the one applied one at a time.
      expect([...new Set(ended)]).toEqual(["one-by-one-gone"]);
    });
  });

  it("fails only the request whose stored row cannot be read", async () => {
    const [broken, good] = await Promise.all([0, 1].map((learner) => attemptOf(learner)));
    await t.db("attempt_scos").insert({ attempt_id: broken, sco_identifier: "I1", cmi: '{"core": {"lesson_loc', commit_sequence: 3, updated_at: "2026-02-01T00:00:00.000Z" });
    const outcomes = await inOneBatch([
      commitOf(0, broken!, { commitSequence: 4, cmi: { core: { lesson_location: "b4" } } }),
      commitOf(1, good!, { commitSequence: 1, cmi: { core: { lesson_location: "g1" } } }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled"]);
    expect(await location(good!)).toBe("g1");
    expect(await scoRow(broken!)).toMatchObject({ commit_sequence: 3, cmi: '{"core": {"lesson_loc' });
  });

  it("refuses a session_time too long to store with its SCORM code, and stores the others sent with it", async () => {
    const [long12, good12] = await Promise.all([0, 1].map((learner) => attemptOf(learner)));
    const [long2004, good2004] = await Promise.all([2, 0].map((learner) => attemptOf(learner, version2004)));
    const [refused12, stored12, refused2004, stored2004] = await Promise.all([
      commit(0, long12!, { commitSequence: 1, cmi: { core: { lesson_location: "never", lesson_status: "passed", session_time: `${"9".repeat(400)}:00:00` } } }),
      commit(1, good12!, { commitSequence: 1, cmi: { core: { lesson_location: "kept", lesson_status: "passed", session_time: "0:01:30" } } }),
      commit(2, long2004!, { commitSequence: 1, cmi: { location: "never", completion_status: "completed", session_time: `P${"9".repeat(400)}Y` } }, "I"),
      commit(0, good2004!, { commitSequence: 1, cmi: { location: "kept", completion_status: "completed", session_time: "PT9999H59M59.99S" } }, "I"),
    ]);
    expect([refused12.status, refused12.body.errorCode]).toEqual([400, 405]);
    expect(refused12.body.errorMessage).toContain("cmi.core.session_time");
    expect([refused2004.status, refused2004.body.errorCode]).toEqual([400, 407]);
    expect(refused2004.body.errorMessage).toContain("cmi.session_time");
    for (const attemptId of [long12!, long2004!]) {
      expect(await t.db("attempt_scos").where({ attempt_id: attemptId })).toEqual([]);
      const attempt = await attemptRow(attemptId);
      expect([attempt.performance_status, Number(attempt.total_time_ms)]).toEqual(["Not Attempted", 0]);
    }
    expect(stored12.body).toMatchObject({ result: true, performanceStatus: "Passed" });
    expect(Number((await scoRow(good12!)).total_time_ms)).toBe(90_000);
    expect(stored2004.body).toMatchObject({ result: true, performanceStatus: "Completed" });
    expect(Number((await scoRow(good2004!, "I")).total_time_ms)).toBe(35_999_999_990);
    expect(Number((await attemptRow(good2004!)).total_time_ms)).toBe(35_999_999_990);
  });
});
