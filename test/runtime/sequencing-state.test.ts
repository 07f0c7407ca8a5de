import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import request from "supertest";
import { SEQUENCING_STATE_MAX_CHARS } from "../../server/runtime/sequencing-state-service.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

type Agent = Awaited<ReturnType<typeof logInAgent>>;

describe("POST /runtime/attempts/:attemptId/sequencing-state", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let agent: Agent;
  let csrf: string;
  let sequenced: number;
  let scorm12: number;

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    learner = await buildLearner(t.db, t.clock);
    sequenced = await importCourseVersion(t, VALID_PACKAGES["scorm2004-3rd-sequencing"]!.files, "297 Sequencing State 2004");
    scorm12 = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Sequencing State 1.2");
    agent = await logInAgent(t.app, learner.username, learner.password);
    csrf = csrfFrom((await agent.get("/")).text);
  });
  afterAll(() => t.cleanup());

  const url = (attemptId: number) => `/runtime/attempts/${attemptId}/sequencing-state`;
  const save = (attemptId: number, body: unknown, as: Agent = agent) => as.post(url(attemptId)).set("X-CSRF-Token", csrf).send(body as object);
  const stored = async (attemptId: number) => (await t.db("attempts").where({ id: attemptId }).first("sequencing_state")).sequencing_state as string | null;
  const state = (suspended: string) => JSON.stringify({ version: "1.0", sequencing: { suspendedActivity: suspended, activityStates: {} } });

  it("keeps the latest state of the learner's own SCORM 2004 attempt and gives it to the player window", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: sequenced });
    expect((await save(attemptId, { sequencingState: state("A") }).expect(200)).body).toMatchObject({ result: true, errorCode: 0, performanceStatus: "Not Attempted" });
    await save(attemptId, { sequencingState: state("B") }).expect(200);
    expect(await stored(attemptId)).toBe(state("B"));

    const page = await agent.get(`/player/attempts/${attemptId}`).expect(200);
    const config = JSON.parse(/<script type="application\/json" id="player-config">([\s\S]*?)<\/script>/.exec(page.text)![1]!);
    expect(config).toMatchObject({ sequencingState: state("B"), sequencingStateUrl: url(attemptId) });
  });

  it("accepts it as a beacon (text/plain JSON) carrying _csrf, and refuses one without", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: sequenced });
    const beacon = (body: unknown) => agent.post(url(attemptId)).set("Content-Type", "text/plain;charset=UTF-8").send(JSON.stringify(body));
    expect((await beacon({ sequencingState: state("A") })).status).toBe(403);
    expect(await stored(attemptId)).toBeNull();
    await beacon({ sequencingState: state("A"), _csrf: csrf }).expect(200);
    expect(await stored(attemptId)).toBe(state("A"));
  });

  it("refuses another learner's attempt, a visitor, a SCORM 1.2 attempt, and a missing or oversized state, storing nothing", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: sequenced });
    const other = await buildLearner(t.db, t.clock);
    const othersAttempt = await buildAttempt({ db: t.db, personId: other.personId, courseVersionId: sequenced });
    expect((await save(othersAttempt, { sequencingState: state("A") })).status).toBe(403);
    expect(await stored(othersAttempt)).toBeNull();
    expect((await request(t.app).post(url(attemptId)).send({ sequencingState: state("A") })).status).toBe(401);

    const attempt12 = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: scorm12 });
    const refused12 = await save(attempt12, { sequencingState: state("A") });
    expect(refused12.status).toBe(400);
    expect(refused12.body.errorMessage).toMatch(/Only SCORM 2004/);

    for (const body of [{}, { sequencingState: "" }, { sequencingState: 42 }, { sequencingState: `${state("A")}\u0000` }]) {
      const response = await save(attemptId, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ result: false, errorCode: 391, errorMessage: expect.stringMatching(/sequencingState/) });
    }
    const huge = await save(attemptId, { sequencingState: "x".repeat(SEQUENCING_STATE_MAX_CHARS + 1) });
    expect(huge.status).toBe(413);
    expect(await stored(attemptId)).toBeNull();
    expect((await save(999_999, { sequencingState: state("A") })).status).toBe(404);
  });
});
