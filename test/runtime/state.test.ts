import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scorm12API, Scorm2004API } from "scorm-again";
import type { CommitRequest, StateResponse } from "../../server/scorm/contract.ts";
import type { TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { startRuntimeSuite, type Agent, type RuntimeSuite } from "../support/runtime-suite.ts";


describe("GET /runtime/attempts/:attemptId/scos/:scoId/state", () => {
  let t: TestApp;
  let learner: RuntimeSuite["learner"];
  let agent: Agent;
  let csrf: string;
  let versions: Record<string, number>;

  beforeAll(async () => {
    ({ t, learner, agent, csrf, versions } = await startRuntimeSuite(
      {
        single12: { files: VALID_PACKAGES["scorm12-single"]!.files, code: "297 State 1.2" },
        threshold2004: { files: VALID_PACKAGES["scorm2004-4th-xml-base"]!.files, code: "297 State 2004" },
        twoScos2004: { files: VALID_PACKAGES["scorm2004-3rd-sequencing"]!.files, code: "297 State 2004 Two" },
      },
      "Smith, Jane",
    ));
  });
  afterAll(() => t.cleanup());

  const stateOf = async (attemptId: number, scoId: string) => {
    const response = await agent.get(`/runtime/attempts/${attemptId}/scos/${encodeURIComponent(scoId)}/state`).set("X-CSRF-Token", csrf);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    return response.body as StateResponse;
  };
  const commit = (attemptId: number, scoId: string, body: CommitRequest) =>
    agent.post(`/runtime/attempts/${attemptId}/scos/${encodeURIComponent(scoId)}/commit`).set("X-CSRF-Token", csrf).send(body);
  const attemptOn = (version: keyof typeof versions, preview = false) => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions[version]!, preview });

  it("starts a SCORM 1.2 first launch ab-initio, with the learner, credit and the manifest's mastery score", async () => {
    const attemptId = await attemptOn("single12");
    const state = await stateOf(attemptId, "I1");
    expect(state).toEqual({
      attemptId,
      scoId: "I1",
      scormVersion: "1.2",
      commitSequence: 0,
      cmi: {
        core: { student_id: learner.username, student_name: "Smith, Jane", credit: "credit", lesson_mode: "normal", entry: "ab-initio", total_time: "00:00:00.00" },
        student_data: { mastery_score: "80" },
      },
    });
  });

  it("starts a SCORM 2004 first launch with the completion threshold, passing score and objectives of the manifest", async () => {
    const threshold = await stateOf(await attemptOn("threshold2004"), "I");
    expect(threshold).toMatchObject({ scormVersion: "2004", commitSequence: 0 });
    expect(threshold.cmi).toEqual({ learner_id: learner.username, learner_name: "Smith, Jane", credit: "credit", mode: "normal", completion_threshold: "0.75", entry: "ab-initio", total_time: "PT0S" });
    const assessed = await stateOf(await attemptOn("twoScos2004"), "B");
    expect(assessed.cmi).toMatchObject({ scaled_passing_score: "0.8", objectives: { "0": { id: "pass" } } });
  });

  it("gives an author's preview no credit, in browse mode", async () => {
    const state = await stateOf(await attemptOn("single12", true), "I1");
    expect(state.cmi.core).toMatchObject({ credit: "no-credit", lesson_mode: "browse" });
  });

  it("resumes a suspended SCORM 2004 SCO: entry resume, location, 64,000 characters of suspend data, objectives and interactions", async () => {
    const attemptId = await attemptOn("twoScos2004");
    const suspendData = "¶".repeat(64_000);
    const interactions = Object.fromEntries(
      ["q1", "q2", "q3"].map((id, n) => [String(n), { id, type: "choice", learner_response: "a[,]b", result: n === 1 ? "incorrect" : "correct", correct_responses: { "0": { pattern: "a[,]b" } }, objectives: { "0": { id: "pass" } } }]),
    );
    await commit(attemptId, "B", {
      commitSequence: 1,
      cmi: { location: "chapter-4", suspend_data: suspendData, exit: "suspend", session_time: "PT10M", completion_status: "incomplete", objectives: { "0": { id: "pass", score: { scaled: "0.5" } } }, interactions },
    }).expect(200);
    const state = await stateOf(attemptId, "B");
    expect(state.commitSequence).toBe(1);
    expect(state.cmi).toMatchObject({ entry: "resume", location: "chapter-4", completion_status: "incomplete", total_time: "PT10M", objectives: { "0": { id: "pass", score: { scaled: "0.5" } } }, interactions });
    expect(state.cmi.suspend_data).toBe(suspendData);
    // The last session's exit and session_time are not carried into the new one.
    expect(state.cmi).not.toHaveProperty("exit");
    expect(state.cmi).not.toHaveProperty("session_time");
    // The manifest's objective is not added twice.
    expect(Object.keys(state.cmi.objectives as object)).toEqual(["0"]);

    // What scorm-again makes of it: the SCO reads it all back, and a new interaction is appended.
    const api = new Scorm2004API({ logLevel: 5 });
    api.loadFromJSON(state.cmi);
    api.lmsInitialize();
    expect(api.lmsGetValue("cmi.entry")).toBe("resume");
    expect(api.lmsGetValue("cmi.location")).toBe("chapter-4");
    expect(api.lmsGetValue("cmi.suspend_data")).toBe(suspendData);
    expect(api.lmsGetValue("cmi.interactions._count")).toBe("3");
    expect(api.lmsGetValue("cmi.interactions.1.result")).toBe("incorrect");
    expect(api.lmsGetValue("cmi.objectives.0.id")).toBe("pass");
    api.lmsSetValue("cmi.interactions.3.id", "q4");
    api.lmsSetValue("cmi.interactions.3.type", "true-false");
    api.lmsSetValue("cmi.interactions.3.learner_response", "true");
    api.lmsSetValue("cmi.exit", "normal");
    // As the player's requestHandler sends it: scorm-again's commit object, the sequence
    // continued from the state's, the terminate flag and the anti-forgery token.
    const rendered = api.renderCommitCMI(true) as { cmi: Record<string, unknown> };
    const body = { ...rendered, commitSequence: state.commitSequence + 1, isTerminateCommit: true, _csrf: csrf };
    expect((await commit(attemptId, "B", body).expect(200)).body).toMatchObject({ result: true });
    // That session ended normally: the learner attempt on the activity ended, and the next launch
    // is a new attempt with a fresh data model (RTE 4.2.8), the manifest's objective seeded again.
    const next = await stateOf(attemptId, "B");
    expect(next.cmi).toMatchObject({ entry: "ab-initio", total_time: "PT0S", objectives: { "0": { id: "pass" } } });
    expect(next.cmi).not.toHaveProperty("location");
    expect(next.cmi).not.toHaveProperty("suspend_data");
    expect(next.cmi).not.toHaveProperty("interactions");
    // The ended attempt's data is archived whole, never dropped.
    const archived = await t.db("attempt_sco_archive").where({ attempt_id: attemptId, sco_identifier: "B" });
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({ activity_attempt: 1, performance_status: "Incomplete" });
    const old = JSON.parse(String(archived[0].cmi)) as { location: string; interactions: Record<string, { id: string }> };
    expect(old.location).toBe("chapter-4");
    expect(Object.values(old.interactions).map((interaction) => interaction.id)).toEqual(["q1", "q2", "q3", "q4"]);
    expect(await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "B" }).first("activity_attempt")).toMatchObject({ activity_attempt: 2 });
  });

  it("resumes a SCORM 1.2 SCO after a suspend with its interactions, so that new ones are appended", async () => {
    const attemptId = await attemptOn("single12");
    await commit(attemptId, "I1", {
      commitSequence: 1,
      cmi: { core: { lesson_location: "p7", exit: "suspend", lesson_status: "incomplete" }, suspend_data: "abc", interactions: { "0": { id: "q1", type: "choice", student_response: "a" }, "1": { id: "q2", type: "choice", student_response: "b" } } },
    }).expect(200);
    const state = await stateOf(attemptId, "I1");
    expect(state.cmi).toMatchObject({ core: { entry: "resume", lesson_location: "p7", lesson_status: "incomplete", student_id: learner.username }, suspend_data: "abc" });
    const api = new Scorm12API({ logLevel: 5 });
    api.loadFromJSON(state.cmi);
    api.lmsInitialize();
    expect(api.lmsGetValue("cmi.core.entry")).toBe("resume");
    expect(api.lmsGetValue("cmi.core.lesson_location")).toBe("p7");
    expect(api.lmsGetValue("cmi.interactions._count")).toBe("2");
  });

  it("enters a SCORM 1.2 SCO with entry \"\" after a session that terminated without suspending (a logout included), keeping its data, and resume after a suspend", async () => {
    const attemptId = await attemptOn("single12");
    await stateOf(attemptId, "I1");
    await commit(attemptId, "I1", { commitSequence: 1, isTerminateCommit: true, cmi: { core: { lesson_status: "incomplete", lesson_location: "p2", exit: "" } } }).expect(200);
    // 1.2 RTE 3.4.4: launched before and not suspended: "". 1.2 has no new attempts: the data stays.
    expect((await stateOf(attemptId, "I1")).cmi.core).toMatchObject({ entry: "", lesson_location: "p2" });
    await commit(attemptId, "I1", { commitSequence: 2, isTerminateCommit: true, cmi: { core: { exit: "logout" } } }).expect(200);
    expect((await stateOf(attemptId, "I1")).cmi.core).toMatchObject({ entry: "" });
    await commit(attemptId, "I1", { commitSequence: 3, isTerminateCommit: true, cmi: { core: { exit: "suspend" } } }).expect(200);
    expect((await stateOf(attemptId, "I1")).cmi.core).toMatchObject({ entry: "resume" });
  });

  it("answers only requests the browser says come from the LMS's own origin, so content cannot start a session", async () => {
    const attemptId = await attemptOn("single12");
    const url = `/runtime/attempts/${attemptId}/scos/I1/state`;
    for (const site of ["cross-site", "same-site"]) {
      const refused = await agent.get(url).set("Sec-Fetch-Site", site).set("X-CSRF-Token", csrf);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ result: false, errorCode: 101 });
      const commitRefused = await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("Sec-Fetch-Site", site).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: {} });
      expect(commitRefused.status).toBe(403);
    }
    expect(await t.db("attempt_scos").where({ attempt_id: attemptId }).first()).toBeUndefined();
    await agent.get(url).set("Sec-Fetch-Site", "same-origin").set("X-CSRF-Token", csrf).expect(200);
  });

  it("opens a session only for a read carrying the session's anti-forgery token: a navigation (a window a SCO opens) cannot set one", async () => {
    const attemptId = await attemptOn("single12");
    const url = `/runtime/attempts/${attemptId}/scos/I1/state`;
    for (const token of [undefined, "not-the-token"]) {
      const refused = token === undefined ? await agent.get(url) : await agent.get(url).set("X-CSRF-Token", token);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ result: false, errorMessage: "Reading a SCO's state needs this session's anti-forgery token (X-CSRF-Token)" });
    }
    expect(await t.db("attempt_scos").where({ attempt_id: attemptId }).first()).toBeUndefined();
    await agent.get(url).set("X-CSRF-Token", csrf).expect(200);
  });

  it("resumes after a session that never terminated (a crashed tab), whatever its exit said", async () => {
    const attemptId = await attemptOn("threshold2004");
    await stateOf(attemptId, "I");
    // That session started ten minutes before its last commit (the test clock stands still).
    await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I" }).update({ session_started_at: "2026-03-01T08:50:00.000Z" });
    await commit(attemptId, "I", { commitSequence: 1, cmi: { location: "page-6", exit: "normal" } }).expect(200);
    // No terminate commit came: the next session resumes at the saved place, and the crashed
    // session's time up to its last commit counts, as it never reported its session_time.
    expect((await stateOf(attemptId, "I")).cmi).toMatchObject({ entry: "resume", location: "page-6", total_time: "PT10M" });
    // This one terminates properly, and the next starts afresh.
    await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: "I" }).update({ session_started_at: "2026-03-01T08:30:00.000Z" });
    await commit(attemptId, "I", { commitSequence: 2, isTerminateCommit: true, cmi: { exit: "normal" } }).expect(200);
    // Terminated without a session_time: nothing is guessed for a session that ended properly. It
    // ended the attempt, so the next is a new one, whose total_time starts again (RTE 4.2.26),
    // while the attempt's own total keeps every session.
    expect((await stateOf(attemptId, "I")).cmi).toMatchObject({ entry: "ab-initio", total_time: "PT0S" });
    expect(Number((await t.db("attempts").where({ id: attemptId }).first("total_time_ms")).total_time_ms)).toBe(600_000);
  });

  it("counts the total time of two sessions, each session's latest session_time once", async () => {
    const attemptId = await attemptOn("single12");
    await stateOf(attemptId, "I1");
    for (const [n, time] of ["00:00:30", "00:01:00", "00:02:00"].entries()) {
      await commit(attemptId, "I1", { commitSequence: n + 1, cmi: { core: { session_time: time } } }).expect(200);
    }
    const second = await stateOf(attemptId, "I1");
    expect((second.cmi.core as Record<string, string>).total_time).toBe("00:02:00.00");
    await commit(attemptId, "I1", { commitSequence: 4, cmi: { core: { session_time: "00:00:10" } } }).expect(200);
    await commit(attemptId, "I1", { commitSequence: 5, cmi: { core: { session_time: "00:00:45" } } }).expect(200);
    const third = await stateOf(attemptId, "I1");
    expect((third.cmi.core as Record<string, string>).total_time).toBe("00:02:45.00");
    const row = await t.db("attempts").where({ id: attemptId }).first();
    expect(Number(row.total_time_ms)).toBe(165_000);
  });

  it("refuses another learner's attempt (403) and an unknown SCO (404) in SCORM's form", async () => {
    const other = await buildLearner(t.db, t.clock, { name: "Jones, Ann" });
    const othersAttempt = await buildAttempt({ db: t.db, personId: other.personId, courseVersionId: versions.single12! });
    const forbidden = await agent.get(`/runtime/attempts/${othersAttempt}/scos/I1/state`).set("X-CSRF-Token", csrf);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ result: false, errorCode: 101 });
    expect(await t.db("attempt_scos").where({ attempt_id: othersAttempt }).first()).toBeUndefined();
    const missing = await agent.get(`/runtime/attempts/${await attemptOn("single12")}/scos/M1/state`).set("X-CSRF-Token", csrf); // an item, but no SCO
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ result: false });
  });
});
