import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { isPostgres } from "../../server/db/connect.ts";
import { MAX_TIMESPAN_MS, MAX_TOTAL_MS } from "../../server/scorm/time.ts";
import { up as repairTimes } from "../../migrations/20261206_29_bounded_times.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

type Agent = Awaited<ReturnType<typeof logInAgent>>;

/**
 * Times the runtime stored before it bounded them (issue 17): a session_time of 400 digits of
 * hours was stored as Infinity (SQLite keeps it in a bigint column), and a 2004 one of a hundred
 * million years as 3e18 (PostgreSQL's bigint takes it; two such SCOs add up past it). Neither may
 * stop the SCO, or its attempt, from taking commits again; migration 29 repairs the rows.
 */
describe("stored times the runtime left unbounded", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let agent: Agent;
  let csrf: string;
  let multiSco: number;

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    learner = await buildLearner(t.db, t.clock);
    multiSco = await importCourseVersion(t, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Bounded Times");
    agent = await logInAgent(t.app, learner.username, learner.password);
    csrf = csrfFrom((await agent.get("/")).text);
  });
  afterAll(() => t.cleanup());

  /** The most broken time each database holds: Infinity on SQLite, 5e18 (past 2^53, within bigint) on PostgreSQL. */
  const broken = () => (isPostgres(t.db) ? 5e18 : Infinity);
  const attempt = () => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: multiSco });
  const plantSco = (attemptId: number, scoId: string, times: { total: number; session: number }) =>
    t.db("attempt_scos").insert({ attempt_id: attemptId, sco_identifier: scoId, cmi: '{"core":{"lesson_location":"p3"}}', commit_sequence: 2, total_time_ms: times.total, session_time_ms: times.session, updated_at: "2026-02-01T00:00:00.000Z" });
  const scoTimes = async (attemptId: number, scoId: string) => {
    const row = await t.db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first();
    return { total: Number(row.total_time_ms), session: Number(row.session_time_ms) };
  };
  const attemptTotal = async (attemptId: number) => Number((await t.db("attempts").where({ id: attemptId }).first()).total_time_ms);
  const commit = (attemptId: number, scoId: string, body: unknown) => agent.post(`/runtime/attempts/${attemptId}/scos/${scoId}/commit`).set("X-CSRF-Token", csrf).send(body as object);

  it("takes the SCO's commits again, and keeps its total and the attempt's within bounds", async () => {
    const attemptId = await attempt();
    for (const scoId of ["S1", "S2", "S3"]) await plantSco(attemptId, scoId, { total: broken(), session: broken() });
    expect((await scoTimes(attemptId, "S1")).total).toBe(broken()); // planted as the old code stored it
    const response = await commit(attemptId, "S1", { commitSequence: 3, cmi: { core: { lesson_location: "p4", session_time: "00:02:00" } } });
    expect(response.status).toBe(200);
    // What the broken row counted is lost; the session reported now counts.
    expect(await scoTimes(attemptId, "S1")).toEqual({ total: 120_000, session: 120_000 });
    // The attempt adds up its SCOs: Infinity reads as 0, 5e18 as the most a total holds (2^53 - 1 ms).
    expect(await attemptTotal(attemptId)).toBe(isPostgres(t.db) ? MAX_TOTAL_MS : 120_000);
    // A new session of a broken SCO starts too, with a total_time the SCO can read.
    const state = await agent.get(`/runtime/attempts/${attemptId}/scos/S2/state`).set("X-CSRF-Token", csrf).expect(200);
    expect(state.body.cmi.core.total_time).toBe(isPostgres(t.db) ? "9999:59:59.99" : "00:00:00.00");
  });

  it("are repaired by migration 29, and rows within bounds are left as they are", async () => {
    const [good, longSession, brokenAttempt, badAttemptTotal] = await Promise.all([attempt(), attempt(), attempt(), attempt()]);
    // A total that lags its SCOs (a state fetch counted a crashed session): within bounds, untouched.
    await plantSco(good, "S1", { total: 300_000, session: 60_000 });
    await t.db("attempts").where({ id: good }).update({ total_time_ms: 250_000 });
    // 11111:00:00 (five digits of hours) on top of 90 s: the report is taken out of the total.
    const fiveDigits = 11_111 * 3_600_000;
    await plantSco(longSession, "S1", { total: fiveDigits + 90_000, session: fiveDigits });
    await plantSco(longSession, "S2", { total: 30_000, session: 30_000 });
    await t.db("attempts").where({ id: longSession }).update({ total_time_ms: fiveDigits + 120_000 });
    // The most broken each database holds, and a total past 2^53 - 1 with no session behind it.
    await plantSco(brokenAttempt, "S1", { total: broken(), session: broken() });
    await plantSco(brokenAttempt, "S2", { total: 9.1e18, session: 0 });
    await plantSco(brokenAttempt, "S3", { total: 45_000, session: 15_000 });
    await t.db("attempts").where({ id: brokenAttempt }).update({ total_time_ms: broken() });
    await t.db("attempts").where({ id: badAttemptTotal }).update({ total_time_ms: 9.1e18 });

    await repairTimes(t.db);

    expect(await scoTimes(good, "S1")).toEqual({ total: 300_000, session: 60_000 });
    expect(await attemptTotal(good)).toBe(250_000);
    expect(await scoTimes(longSession, "S1")).toEqual({ total: 90_000, session: 0 });
    expect(await scoTimes(longSession, "S2")).toEqual({ total: 30_000, session: 30_000 });
    expect(await attemptTotal(longSession)).toBe(120_000);
    expect(await scoTimes(brokenAttempt, "S1")).toEqual({ total: 0, session: 0 });
    expect(await scoTimes(brokenAttempt, "S2")).toEqual({ total: MAX_TOTAL_MS, session: 0 });
    expect(await scoTimes(brokenAttempt, "S3")).toEqual({ total: 45_000, session: 15_000 });
    expect(await attemptTotal(brokenAttempt)).toBe(MAX_TOTAL_MS);
    expect(await attemptTotal(badAttemptTotal)).toBe(0); // no SCO rows: nothing counted
    // Every row of the table is within bounds now, and stays so when run again.
    await repairTimes(t.db);
    for (const row of await t.db("attempt_scos").select("session_time_ms", "total_time_ms")) {
      expect(Number(row.session_time_ms)).toBeLessThanOrEqual(MAX_TIMESPAN_MS);
      expect(Number(row.total_time_ms)).toBeLessThanOrEqual(MAX_TOTAL_MS);
    }
  });
});
