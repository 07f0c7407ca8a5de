import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { COMMIT_LOG_KEEP } from "../../server/runtime/runtime-batch.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";

type Agent = Awaited<ReturnType<typeof logInAgent>>;

/**
 * The runtime writes the commits and state fetches that arrive together in one transaction
 * (server/runtime/runtime-writer.ts). Each must still stand or fall on its own, and none may be
 * acknowledged before it is stored.
 */
describe("commits that arrive together (group commit)", () => {
  let t: TestApp;
  let versionId: number;
  const learners: Array<{ personId: number; agent: Agent; csrf: string }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Group Commit");
    for (const n of [1, 2, 3]) {
      const learner = await buildLearner(t.db, t.clock, { name: `Group${n}, Jane` });
      const agent = await logInAgent(t.app, learner.username, learner.password);
      learners.push({ personId: learner.personId, agent, csrf: csrfFrom((await agent.get("/")).text) });
    }
  });
  afterAll(() => t.cleanup());

  const attemptOf = (learner: number) => buildAttempt({ db: t.db, personId: learners[learner]!.personId, courseVersionId: versionId });
  const commit = (learner: number, attemptId: number, body: unknown) =>
    learners[learner]!.agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", learners[learner]!.csrf).send(body as object);
  const scoRow = (attemptId: number) => t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I1" }).first();
  const location = async (attemptId: number) => JSON.parse((await scoRow(attemptId))?.cmi ?? "{}").core?.lesson_location;

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

  it("stores nothing of any commit in a transaction that fails, and answers each with an error to send again", async () => {
    const attempts = await Promise.all([0, 1, 2].map((learner) => attemptOf(learner)));
    await Promise.all(attempts.map((attemptId, learner) => commit(learner, attemptId, { commitSequence: 1, cmi: { core: { lesson_location: "kept", lesson_status: "incomplete" } } }).expect(200)));
    // A real trigger refuses their log entries, the last thing written: the whole transaction goes.
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
    await Promise.all(attempts.map((attemptId, learner) => commit(learner, attemptId, { commitSequence: COMMIT_LOG_KEEP + 1, cmi: { core: { lesson_location: "newest" } } }).expect(200)));
    for (const attemptId of attempts) {
      const log = (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((entry) => Number(entry.commit_sequence));
      expect(log).toHaveLength(COMMIT_LOG_KEEP);
      expect(log[0]).toBe(2);
      expect(log.at(-1)).toBe(COMMIT_LOG_KEEP + 1);
    }
  });
});
