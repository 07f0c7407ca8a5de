import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { isPostgres } from "../../server/db/connect.ts";
import { listAudit } from "../../server/audit/store.ts";
import { COMMIT_LOG_KEEP, COMMIT_LOG_TRIM_EVERY } from "../../server/runtime/runtime-batch.ts";
import { LOG_VALUE_LIMIT, MAX_SEQUENCE_GAP } from "../../server/runtime/commit-service.ts";
import type { TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { startRuntimeSuite, type Agent, type RuntimeSuite } from "../support/runtime-suite.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";


describe("POST /runtime/attempts/:attemptId/scos/:scoId/commit", () => {
  let t: TestApp;
  let learner: RuntimeSuite["learner"];
  let agent: Agent;
  let csrf: string;
  let versions: Record<string, number>;

  beforeAll(async () => {
    ({ t, learner, agent, csrf, versions } = await startRuntimeSuite({
      single12: { files: VALID_PACKAGES["scorm12-single"]!.files, code: "297 Runtime 1.2" },
      threshold2004: { files: VALID_PACKAGES["scorm2004-4th-xml-base"]!.files, code: "297 Runtime 2004" },
      twoScos2004: { files: VALID_PACKAGES["scorm2004-3rd-sequencing"]!.files, code: "297 Runtime 2004 Two" },
    }));
  });
  afterAll(() => t.cleanup());

  const url = (attemptId: number, scoId: string) => `/runtime/attempts/${attemptId}/scos/${encodeURIComponent(scoId)}/commit`;
  const commit = (attemptId: number, scoId: string, body: unknown, as: Agent = agent) => as.post(url(attemptId, scoId)).set("X-CSRF-Token", csrf).send(body as object);
  const attempt12 = (preview = false) => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.single12!, preview });
  const core = (fields: Record<string, unknown>) => ({ core: fields });
  const scoRow = (attemptId: number, scoId = "I1") => t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first();
  const attemptRow = (attemptId: number) => t.db("attempts").where({ id: attemptId }).first();
  const logOf = async (attemptId: number) => (await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id")).map((row) => Number(row.commit_sequence));
  const storedCmi = async (attemptId: number, scoId = "I1") => JSON.parse((await scoRow(attemptId, scoId)).cmi);

  it("stores the CMI and the statuses derived from it, and answers in SCORM's form", async () => {
    const attemptId = await attempt12();
    const response = await commit(attemptId, "I1", { commitSequence: 1, cmi: { ...core({ lesson_status: "incomplete", lesson_location: "page-3", session_time: "00:01:00" }), suspend_data: "s=3" } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ result: true, errorCode: 0, performanceStatus: "Incomplete" });
    const sco = await scoRow(attemptId);
    expect(JSON.parse(sco.cmi)).toEqual({ core: { lesson_status: "incomplete", lesson_location: "page-3", session_time: "00:01:00" }, suspend_data: "s=3" });
    expect(sco).toMatchObject({ commit_sequence: 1, performance_status: "Incomplete", completion_status: "incomplete", success_status: "unknown" });
    expect(Number(sco.total_time_ms)).toBe(60_000);
    expect(await attemptRow(attemptId)).toMatchObject({ performance_status: "Incomplete", last_commit_at: "2026-03-01T09:00:00.000Z", completed_at: null });
    expect(await logOf(attemptId)).toEqual([1]);
    const [event] = (await listAudit(t.db, { kind: "attempt.status_changed" })).filter((e) => e.detail.attemptId === attemptId);
    expect(event).toMatchObject({ personId: learner.personId, detail: { attemptId, scoId: "I1", from: "Not Attempted", to: "Incomplete", commitSequence: 1 } });
  });

  it("passes a SCORM 1.2 SCO whose raw score reaches the manifest's mastery score", async () => {
    const attemptId = await attempt12();
    const response = await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "completed", score: { raw: "85", min: "0", max: "100" } }) });
    expect(response.body).toMatchObject({ result: true, performanceStatus: "Passed" });
    const row = await attemptRow(attemptId);
    expect(row).toMatchObject({ performance_status: "Passed", completed_at: "2026-03-01T09:00:00.000Z", finished_at: "2026-03-01T09:00:00.000Z" });
    expect(Number(row.score_scaled)).toBeCloseTo(0.85, 5);
  });

  it("fails a completed SCORM 1.2 SCO below the mastery score, and a retry within the attempt can still pass", async () => {
    const attemptId = await attempt12();
    expect((await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "completed", score: { raw: "60" } }) })).body.performanceStatus).toBe("Failed");
    expect((await commit(attemptId, "I1", { commitSequence: 2, cmi: core({ lesson_status: "incomplete", score: { raw: "" } }) })).body.performanceStatus).toBe("Failed");
    expect((await commit(attemptId, "I1", { commitSequence: 3, cmi: core({ lesson_status: "completed", score: { raw: "90" } }) })).body.performanceStatus).toBe("Passed");
    const row = await attemptRow(attemptId);
    expect(row).toMatchObject({ performance_status: "Passed", completed_at: "2026-03-01T09:00:00.000Z" });
    expect(Number(row.score_scaled)).toBeCloseTo(0.9, 5);
  });

  it("judges a SCORM 1.2 score against the mastery score only once the SCO says it has finished", async () => {
    const attemptId = await attempt12();
    // One question right out of five: 100% so far, but the quiz is not over.
    expect((await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "incomplete", score: { raw: "100" } }) })).body.performanceStatus).toBe("Incomplete");
    expect((await commit(attemptId, "I1", { commitSequence: 2, cmi: core({ lesson_status: "failed", score: { raw: "40" } }) })).body.performanceStatus).toBe("Failed");
    expect((await attemptRow(attemptId)).performance_status).toBe("Failed");
  });

  it("keeps Passed when a later commit says incomplete, while the stored CMI records what the SCO said", async () => {
    const attemptId = await attempt12();
    await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "passed" }) }).expect(200);
    const later = await commit(attemptId, "I1", { commitSequence: 2, cmi: core({ lesson_status: "incomplete" }) }).expect(200);
    expect(later.body.performanceStatus).toBe("Passed");
    expect(await attemptRow(attemptId)).toMatchObject({ performance_status: "Passed" });
    expect((await scoRow(attemptId)).performance_status).toBe("Passed");
    expect((await storedCmi(attemptId)).core.lesson_status).toBe("incomplete");
    await commit(attemptId, "I1", { commitSequence: 3, cmi: core({ lesson_status: "failed" }) }).expect(200);
    expect((await attemptRow(attemptId)).performance_status).toBe("Passed");
  });

  it("keeps Completed when a later commit says incomplete", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.threshold2004! });
    expect((await commit(attemptId, "I", { commitSequence: 1, cmi: { completion_status: "completed" } })).body.performanceStatus).toBe("Completed");
    expect((await commit(attemptId, "I", { commitSequence: 2, cmi: { completion_status: "incomplete" } })).body.performanceStatus).toBe("Completed");
    expect(await attemptRow(attemptId)).toMatchObject({ performance_status: "Completed", completed_at: "2026-03-01T09:00:00.000Z" });
    expect(await scoRow(attemptId, "I")).toMatchObject({ performance_status: "Completed", completion_status: "completed" });
    expect((await storedCmi(attemptId, "I")).completion_status).toBe("incomplete");
  });

  it("lets the manifest's completion threshold decide SCORM 2004 completion from the progress measure", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.threshold2004! });
    // The package sets minProgressMeasure 0.75: "completed" at 0.5 is not complete.
    expect((await commit(attemptId, "I", { commitSequence: 1, cmi: { completion_status: "completed", progress_measure: "0.5" } })).body.performanceStatus).toBe("Incomplete");
    expect((await commit(attemptId, "I", { commitSequence: 2, cmi: { completion_status: "incomplete", progress_measure: "0.8" } })).body.performanceStatus).toBe("Completed");
  });

  it("starts a two-SCO 2004 course with its SCOs, and leaves its outcome to the sequencer's roll-up", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.twoScos2004! });
    // B's primary objective is satisfied by measure 0.8 (cmi.scaled_passing_score).
    expect((await commit(attemptId, "B", { commitSequence: 1, cmi: { completion_status: "completed", score: { scaled: "0.9" } } })).body.performanceStatus).toBe("Incomplete");
    expect((await scoRow(attemptId, "B")).performance_status).toBe("Passed");
    // Both SCOs done: the course's own rules (SN RB.1) decide, which only the sequencer applies.
    expect((await commit(attemptId, "A", { commitSequence: 1, cmi: { completion_status: "completed" } })).body.performanceStatus).toBe("Incomplete");
    const root = { O: { completionStatus: "completed", successStatus: "passed" } };
    const saved = await agent.post(`/runtime/attempts/${attemptId}/sequencing-state`).set("X-CSRF-Token", csrf).send({ sequencingState: JSON.stringify({ sequencing: { activityStates: root } }) });
    expect(saved.body.performanceStatus).toBe("Passed");
    expect((await attemptRow(attemptId)).performance_status).toBe("Passed");
  });

  it("refuses a stale commit, tells the client so, and stores nothing of it", async () => {
    const attemptId = await attempt12();
    await commit(attemptId, "I1", { commitSequence: 5, cmi: core({ lesson_location: "page-5" }) }).expect(200);
    const stale = await commit(attemptId, "I1", { commitSequence: 4, cmi: core({ lesson_location: "page-4", lesson_status: "passed" }) });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ result: false, errorCode: 101, errorMessage: "stale commit" });
    expect((await storedCmi(attemptId)).core.lesson_location).toBe("page-5");
    expect(await scoRow(attemptId)).toMatchObject({ commit_sequence: 5, performance_status: "Not Attempted" });
    expect(await logOf(attemptId)).toEqual([5]);
  });

  it("answers a stale SCORM 2004 commit with 391 General Commit Failure", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.threshold2004! });
    await commit(attemptId, "I", { commitSequence: 2, cmi: { location: "b" } }).expect(200);
    expect((await commit(attemptId, "I", { commitSequence: 1, cmi: { location: "a" } }).expect(409)).body).toMatchObject({ result: false, errorCode: 391, errorMessage: "stale commit" });
  });

  it("answers a repeat of the last accepted commit as before without applying it again", async () => {
    const attemptId = await attempt12();
    const body = { commitSequence: 1, cmi: core({ lesson_status: "completed", session_time: "00:02:00" }) };
    const first = await commit(attemptId, "I1", body).expect(200);
    const again = await commit(attemptId, "I1", body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await logOf(attemptId)).toEqual([1]);
    expect(Number((await scoRow(attemptId)).total_time_ms)).toBe(120_000);
    expect((await listAudit(t.db, { kind: "attempt.status_changed" })).filter((e) => e.detail.attemptId === attemptId)).toHaveLength(1);
    // The same number with other content is no repeat: refused.
    expect((await commit(attemptId, "I1", { ...body, cmi: core({ lesson_status: "passed" }) }).expect(409)).body).toMatchObject({ result: false, errorMessage: "stale commit" });
  });

  it("never interleaves concurrent commits of one SCO", async () => {
    const attemptId = await attempt12();
    await agent.get(`/runtime/attempts/${attemptId}/scos/I1/state`).set("X-CSRF-Token", csrf).expect(200); // the SCO's row exists: only the lock keeps them apart
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, n) => commit(attemptId, "I1", { commitSequence: n + 1, cmi: { ...core({ lesson_location: `page-${n + 1}`, session_time: `00:00:${String(n + 1).padStart(2, "0")}` }), suspend_data: `s${n + 1}` } })),
    );
    for (const response of responses) expect([200, 409]).toContain(response.status);
    const accepted = responses.filter((response) => response.status === 200).length;
    const log = await logOf(attemptId);
    expect(log).toHaveLength(accepted);
    expect(log).toEqual([...log].sort((a, b) => a - b)); // applied in increasing order, each once
    expect(log.at(-1)).toBe(12);
    const cmi = await storedCmi(attemptId);
    expect(cmi).toEqual({ core: { lesson_location: "page-12", session_time: "00:00:12" }, suspend_data: "s12" });
    expect(Number((await scoRow(attemptId)).total_time_ms)).toBe(12_000);
  });

  it("applies one of several identical concurrent commits once", async () => {
    const attemptId = await attempt12();
    const body = { commitSequence: 1, cmi: core({ lesson_status: "passed", session_time: "00:00:30" }) };
    const responses = await Promise.all(Array.from({ length: 6 }, () => commit(attemptId, "I1", body)));
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(200));
    expect(new Set(responses.map((response) => JSON.stringify(response.body)))).toEqual(new Set([JSON.stringify({ result: true, errorCode: 0, performanceStatus: "Passed" })]));
    expect(await logOf(attemptId)).toEqual([1]);
    expect(Number((await scoRow(attemptId)).total_time_ms)).toBe(30_000);
  });

  it("refuses malformed and oversized bodies in SCORM's form", async () => {
    const attemptId = await attempt12();
    const malformed = await agent.post(url(attemptId, "I1")).set("X-CSRF-Token", csrf).set("Content-Type", "application/json").send('{"commitSequence": 1, "cmi": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ result: false, errorCode: 101, errorMessage: expect.stringMatching(/malformed/) });
    const huge = await commit(attemptId, "I1", { commitSequence: 1, cmi: { suspend_data: "x".repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ result: false, errorCode: 101, errorMessage: expect.stringMatching(/too large/) });
    for (const body of [{ cmi: {} }, { commitSequence: 0, cmi: {} }, { commitSequence: 1.5, cmi: {} }, { commitSequence: 1, cmi: "x" }, { commitSequence: 1 }, [1, 2]]) {
      const response = await commit(attemptId, "I1", body);
      expect([response.status, response.body.result, response.body.errorCode]).toEqual([400, false, 101]);
    }
    expect(await logOf(attemptId)).toEqual([]);
    expect(await scoRow(attemptId)).toBeUndefined(); // not even the row: the refusal rolled it all back
  });

  it("refuses a body nested too deeply for any CMI as malformed, without harm to the server", async () => {
    const attemptId = await attempt12();
    const depth = 50_000;
    const body = `{"commitSequence":1,"cmi":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
    const response = await agent.post(url(attemptId, "I1")).set("X-CSRF-Token", csrf).set("Content-Type", "application/json").send(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ result: false, errorMessage: "malformed commit: nested too deeply" });
    await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_location: "p1" }) }).expect(200);
  });

  it("refuses a commit sequence number that runs far ahead, so that one crafted commit cannot make the SCO's later commits stale", async () => {
    const attemptId = await attempt12();
    await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_location: "p1" }) }).expect(200);
    const ahead = await commit(attemptId, "I1", { commitSequence: 2 + MAX_SEQUENCE_GAP, cmi: core({ lesson_location: "far" }) }).expect(400);
    expect(ahead.body).toMatchObject({ result: false, errorMessage: expect.stringMatching(/too far ahead/) });
    await commit(attemptId, "I1", { commitSequence: 1 + MAX_SEQUENCE_GAP, cmi: core({ lesson_location: "p2" }) }).expect(200);
    expect((await scoRow(attemptId)).commit_sequence).toBe(1 + MAX_SEQUENCE_GAP);
  });

  it("logs a long changed value by its length and digest, and stores it whole", async () => {
    const attemptId = await attempt12();
    const long = "d".repeat(LOG_VALUE_LIMIT + 1);
    await commit(attemptId, "I1", { commitSequence: 1, cmi: { ...core({ lesson_location: "p1" }), suspend_data: long } }).expect(200);
    const [log] = await t.db("commit_log").where({ attempt_id: attemptId });
    const changed = JSON.parse(log.body).changed;
    expect(changed["cmi.core.lesson_location"]).toBe("p1");
    expect(changed["cmi.suspend_data"]).toMatch(new RegExp(`^\\(${LOG_VALUE_LIMIT + 1} characters, sha-256 [0-9a-f]{64}\\)$`));
    expect((await storedCmi(attemptId)).suspend_data).toBe(long);
  });

  it("refuses a value the data model does not allow with its SCORM error code, and stores nothing", async () => {
    const attemptId = await attempt12();
    const response = await commit(attemptId, "I1", { commitSequence: 1, cmi: { ...core({ lesson_status: "done", lesson_location: "page-9" }), made_up: "x" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ result: false, errorCode: 405, errorMessage: expect.stringContaining("cmi.core.lesson_status") });
    expect(response.body.errorDetails).toContain("201 cmi.made_up is not a SCORM 1.2 data model element");
    expect(await scoRow(attemptId)).toBeUndefined(); // not even the row: the refusal rolled it all back
    const attempt2004 = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions.threshold2004! });
    expect((await commit(attempt2004, "I", { commitSequence: 1, cmi: { score: { scaled: "1.5" } } }).expect(400)).body).toMatchObject({ errorCode: 407 });
    expect((await commit(attempt2004, "I", { commitSequence: 1, cmi: { success_status: "done" } }).expect(400)).body).toMatchObject({ errorCode: 406 });
    expect((await commit(attempt2004, "I", { commitSequence: 1, cmi: { location: "x".repeat(1001) } }).expect(400)).body).toMatchObject({ errorCode: 351 });
  });

  it("keeps the LMS's read-only values: a forged learner id or mastery score is dropped, the commit accepted", async () => {
    const attemptId = await attempt12();
    const response = await commit(attemptId, "I1", { commitSequence: 1, cmi: { ...core({ student_id: "297FORGED01", credit: "credit", lesson_status: "completed", score: { raw: "50" } }), student_data: { mastery_score: "10" } } });
    expect(response.body).toMatchObject({ result: true, performanceStatus: "Failed" }); // the manifest's 80 stands
    expect(await storedCmi(attemptId)).toEqual({ core: { lesson_status: "completed", score: { raw: "50" } } });
  });

  it("never drops what an earlier commit stored because a later one left it out", async () => {
    const attemptId = await attempt12();
    const interaction = (id: string) => ({ id, type: "choice", student_response: "a", result: "correct" });
    await commit(attemptId, "I1", { commitSequence: 1, cmi: { ...core({ lesson_location: "p1" }), suspend_data: "s1", interactions: { "0": interaction("q1"), "1": interaction("q2") } } }).expect(200);
    await commit(attemptId, "I1", { commitSequence: 2, cmi: { interactions: { "2": interaction("q3") } } }).expect(200);
    await commit(attemptId, "I1", { commitSequence: 3, cmi: { interactions: { "1": { result: "wrong" } } } }).expect(200);
    const cmi = await storedCmi(attemptId);
    expect(cmi.core.lesson_location).toBe("p1");
    expect(cmi.suspend_data).toBe("s1");
    expect(Object.values(cmi.interactions).map((i) => (i as { id: string; result: string }).id + ":" + (i as { result: string }).result)).toEqual(["q1:correct", "q2:wrong", "q3:correct"]);
  });

  it("accepts a beacon commit (text/plain JSON) carrying _csrf, and refuses one without", async () => {
    const attemptId = await attempt12();
    const beacon = (body: unknown) => agent.post(url(attemptId, "I1")).set("Content-Type", "text/plain;charset=UTF-8").send(JSON.stringify(body));
    const refused = await beacon({ commitSequence: 1, isTerminateCommit: true, cmi: core({ lesson_status: "passed" }) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ result: false, errorCode: 101 });
    expect((await scoRow(attemptId))?.commit_sequence ?? 0).toBe(0);
    const forged = await beacon({ commitSequence: 1, isTerminateCommit: true, cmi: core({ lesson_status: "passed" }), _csrf: "not-the-token" });
    expect(forged.status).toBe(403);
    const accepted = await beacon({ commitSequence: 1, isTerminateCommit: true, cmi: core({ lesson_status: "passed", exit: "" }), _csrf: csrf });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ result: true, errorCode: 0, performanceStatus: "Passed" });
    const [log] = await t.db("commit_log").where({ attempt_id: attemptId });
    expect(JSON.parse(log.body)).toMatchObject({ commitSequence: 1, isTerminateCommit: true, changed: { "cmi.core.lesson_status": "passed" } });
    expect(log.body).not.toContain(csrf);
    const broken = await agent.post(url(attemptId, "I1")).set("Content-Type", "text/plain").send("{broken");
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ result: false, errorMessage: expect.stringMatching(/malformed/) });
  });

  it("refuses another learner's attempt with 403 and a visitor who is not logged in with 401", async () => {
    const other = await buildLearner(t.db, t.clock, { name: "Jones, Ann" });
    const othersAttempt = await buildAttempt({ db: t.db, personId: other.personId, courseVersionId: versions.single12! });
    const response = await commit(othersAttempt, "I1", { commitSequence: 1, cmi: core({ lesson_status: "passed" }) });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ result: false, errorCode: 101 });
    expect(await scoRow(othersAttempt)).toBeUndefined();
    const anonymous = await request(t.app).post(url(othersAttempt, "I1")).send({ commitSequence: 1, cmi: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ result: false, errorCode: 101, errorMessage: expect.stringMatching(/Log in/) });
    const anonymousGet = await request(t.app).get(`/runtime/attempts/${othersAttempt}/scos/I1/state`);
    expect(anonymousGet.status).toBe(401);
    expect(anonymousGet.body).toMatchObject({ result: false, errorCode: 101 });
  });

  it("answers 404 for a SCO the attempt's course version does not have, and for an unknown attempt", async () => {
    const attemptId = await attempt12();
    expect((await commit(attemptId, "NOPE", { commitSequence: 1, cmi: {} }).expect(404)).body).toMatchObject({ result: false, errorCode: 101 });
    // A NUL, which PostgreSQL cannot even compare, is no SCO either (and no 500).
    expect((await commit(attemptId, "I1\u0000", { commitSequence: 1, cmi: {} }).expect(404)).body).toMatchObject({ result: false, errorCode: 101 });
    expect(await scoRow(attemptId)).toBeUndefined();
    expect((await commit(999_999, "I1", { commitSequence: 1, cmi: {} }).expect(404)).body).toMatchObject({ result: false });
    expect((await commit(Number.NaN, "I1", { commitSequence: 1, cmi: {} }).expect(404)).body).toMatchObject({ result: false });
  });

  it("derives an author's preview attempt's status too, flagged as a preview", async () => {
    const attemptId = await attempt12(true);
    const response = await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "passed" }) }).expect(200);
    expect(response.body).toEqual({ result: true, errorCode: 0, performanceStatus: "Passed", preview: true });
    expect(await attemptRow(attemptId)).toMatchObject({ performance_status: "Passed", preview: isPostgres(t.db) ? true : 1 });
    const [event] = (await listAudit(t.db, { kind: "attempt.status_changed" })).filter((e) => e.detail.attemptId === attemptId);
    expect(event!.detail).toMatchObject({ preview: true, to: "Passed" });
  });

  it("keeps only the newest commit log entries of an attempt, trimming when a SCO's commits pass a multiple of COMMIT_LOG_TRIM_EVERY", async () => {
    const attemptId = await attempt12();
    // A full log already (older sequences from an earlier session), then real commits.
    await t.db.batchInsert("commit_log", Array.from({ length: COMMIT_LOG_KEEP }, (_, n) => ({ attempt_id: attemptId, sco_identifier: "I1", commit_sequence: n + 1, body: "{}", received_at: "2026-02-01T00:00:00.000Z" })), 100);
    await t.db("attempt_scos").insert({ attempt_id: attemptId, sco_identifier: "I1", cmi: "{}", commit_sequence: COMMIT_LOG_KEEP, updated_at: "2026-02-01T00:00:00.000Z" });
    const sendUpTo = async (last: number) => {
      for (let n = Number((await t.db("attempt_scos").where({ attempt_id: attemptId }).first("commit_sequence")).commit_sequence) + 1; n <= last; n++) {
        await commit(attemptId, "I1", { commitSequence: n, cmi: core({ lesson_location: `p${n}` }) }).expect(200);
      }
    };
    // Short of the next multiple, nothing is trimmed yet: at most COMMIT_LOG_TRIM_EVERY more are held.
    await sendUpTo(COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY - 1);
    expect(await logOf(attemptId)).toHaveLength(COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY - 1);
    // The commit that passes it trims the attempt's log to the newest COMMIT_LOG_KEEP.
    await sendUpTo(COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY);
    const log = await logOf(attemptId);
    expect(log).toHaveLength(COMMIT_LOG_KEEP);
    expect(log[0]).toBe(COMMIT_LOG_TRIM_EVERY + 1);
    expect(log.at(-1)).toBe(COMMIT_LOG_KEEP + COMMIT_LOG_TRIM_EVERY);
    // A commit that jumps past a multiple (commits in between were lost) trims too.
    await t.db("commit_log").insert({ attempt_id: attemptId, sco_identifier: "I1", commit_sequence: 0, body: "{}", received_at: "2026-02-01T00:00:00.000Z" });
    await commit(attemptId, "I1", { commitSequence: COMMIT_LOG_KEEP + 3 * COMMIT_LOG_TRIM_EVERY + 1, cmi: core({ lesson_location: "jumped" }) }).expect(200);
    expect(await logOf(attemptId)).toHaveLength(COMMIT_LOG_KEEP);
  });

  it("stores the statuses in the commit's own transaction: a failure half-way stores nothing", async () => {
    const attemptId = await attempt12();
    await commit(attemptId, "I1", { commitSequence: 1, cmi: core({ lesson_status: "incomplete", lesson_location: "p1" }) }).expect(200);
    // A real trigger refuses the audit row, the last thing a status-changing commit writes.
    await refuseInserts(t.db, "audit_events", "kind", "attempt.status_changed");
    try {
      const failed = await commit(attemptId, "I1", { commitSequence: 2, cmi: core({ lesson_status: "passed", lesson_location: "p2" }) });
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ result: false, errorCode: 101 });
    } finally {
      await stopRefusing(t.db, "audit_events");
    }
    expect(await scoRow(attemptId)).toMatchObject({ commit_sequence: 1, performance_status: "Incomplete" });
    expect((await storedCmi(attemptId)).core.lesson_location).toBe("p1");
    expect(await attemptRow(attemptId)).toMatchObject({ performance_status: "Incomplete", completed_at: null });
    expect(await logOf(attemptId)).toEqual([1]);
    // Sent again, it goes through.
    expect((await commit(attemptId, "I1", { commitSequence: 2, cmi: core({ lesson_status: "passed", lesson_location: "p2" }) }).expect(200)).body.performanceStatus).toBe("Passed");
  });
});

