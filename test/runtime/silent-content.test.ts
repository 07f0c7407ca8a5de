// Content that reports little, through the real runtime endpoints: what the LMS supplies when a
// session ends (session-end.ts), assets, and the course's roll-up from the sequencer's state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommitRequest } from "../../server/scorm/contract.ts";
import { logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { startRuntimeSuite, type Agent, type RuntimeSuite } from "../support/runtime-suite.ts";

const CP_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
const CP_2004 = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';
const page = (title: string) => `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1></html>`;

/** Three items, no imsss:sequencing anywhere: the SN defaults throughout. */
function package2004(scormType: "sco" | "asset") {
  const ids = ["A", "B", "C"];
  return {
    "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="silent-${scormType}" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>Silent ${scormType}s</title>
${ids.map((id) => `<item identifier="${id}" identifierref="R${id}"><title>${id}</title></item>`).join("\n")}
</organization></organizations>
<resources>${ids.map((id) => `<resource identifier="R${id}" type="webcontent" adlcp:scormType="${scormType}" href="${id}.html"><file href="${id}.html"/></resource>`).join("")}</resources></manifest>`,
    ...Object.fromEntries(ids.map((id) => [`${id}.html`, page(id)])),
  };
}

const ASSETS_12 = {
  "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="assets12" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>Assets 1.2</title>
<item identifier="A" identifierref="RA"><title>A</title></item><item identifier="B" identifierref="RB"><title>B</title></item>
</organization></organizations>
<resources><resource identifier="RA" type="webcontent" adlcp:scormtype="asset" href="a.pdf"><file href="a.pdf"/></resource>
<resource identifier="RB" type="webcontent" adlcp:scormtype="asset" href="b.html"><file href="b.html"/></resource></resources></manifest>`,
  "a.pdf": "%PDF-1.4\n%%EOF\n",
  "b.html": page("B"),
};

describe("content that reports no status", () => {
  let t: TestApp;
  let learner: RuntimeSuite["learner"];
  let agent: Agent;
  let csrf: string;
  let versions: Record<string, number>;

  beforeAll(async () => {
    ({ t, learner, agent, csrf, versions } = await startRuntimeSuite({
      multi12: { files: VALID_PACKAGES["scorm12-multi-sco"]!.files, code: "297 Silent 1.2" },
      scos2004: { files: package2004("sco"), code: "297 Silent 2004" },
      assets2004: { files: package2004("asset"), code: "297 Assets 2004" },
      assets12: { files: ASSETS_12, code: "297 Assets 1.2" },
    }));
  });
  afterAll(() => t.cleanup());

  const launch = (attemptId: number, scoId: string) => agent.get(`/runtime/attempts/${attemptId}/scos/${scoId}/state`).set("X-CSRF-Token", csrf).expect(200);
  const commit = (attemptId: number, scoId: string, body: CommitRequest) =>
    agent.post(`/runtime/attempts/${attemptId}/scos/${scoId}/commit`).set("X-CSRF-Token", csrf).send(body).expect(200);
  /** The sequencer's state as the player saves it, with its root activity (the organization, "O") rolled up so. */
  const rollUp = (attemptId: number, completionStatus: string, successStatus: string) =>
    agent
      .post(`/runtime/attempts/${attemptId}/sequencing-state`)
      .set("X-CSRF-Token", csrf)
      .send({ sequencingState: JSON.stringify({ version: "1.0", sequencing: { activityStates: { O: { id: "O", completionStatus, successStatus } } } }) })
      .expect(200);
  const attemptOn = (version: string) => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versions[version]! });
  const attemptStatus = async (attemptId: number) => String((await t.db("attempts").where({ id: attemptId }).first("performance_status")).performance_status);
  /** What the course recorded, on L&D's page of the attempt: each SCO's completion and success cells, as text. */
  const summaryCells = async (attemptId: number) => {
    const admin = await buildLearner(t.db, t.clock, { role: "admin" });
    const page = (await (await logInAgent(t.app, admin.username, admin.password)).get(`/admin/attempts/${attemptId}`).expect(200)).text;
    const rows = [...page.matchAll(/<tr class="nhsuk-table__row" role="row" data-sco="([^"]+)">([\s\S]*?)<\/tr>/g)];
    const cell = (row: string, field: string) => (new RegExp(`data-field="${field}">([\\s\\S]*?)</td>`).exec(row)?.[1] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
    return Object.fromEntries(rows.map(([, sco, row]) => [sco, { completion: cell(row!, "completion"), success: cell(row!, "success") }]));
  };
  const scoStatuses = async (attemptId: number) =>
    Object.fromEntries((await t.db("attempt_scos").where({ attempt_id: attemptId }).orderBy("sco_identifier")).map((row) => [row.sco_identifier, row.performance_status]));

  it("completes a 1.2 SCO whose LMSFinish finds lesson_status still 'not attempted', and the course once every SCO is", async () => {
    const attemptId = await attemptOn("multi12");
    for (const [index, scoId] of ["S1", "S2", "S3"].entries()) {
      await launch(attemptId, scoId);
      // What scorm-again renders for a SCO that only called LMSInitialize: the initial status, back.
      await commit(attemptId, scoId, { commitSequence: 1, cmi: { core: { lesson_status: "not attempted" } } });
      expect((await scoStatuses(attemptId))[scoId]).toBe("Not Attempted");
      await commit(attemptId, scoId, { commitSequence: 2, isTerminateCommit: true, cmi: { core: { lesson_status: "not attempted", exit: "" } } });
      expect((await scoStatuses(attemptId))[scoId]).toBe("Completed");
      expect(await attemptStatus(attemptId)).toBe(index < 2 ? "Incomplete" : "Completed");
    }
    expect((await summaryCells(attemptId)).S1).toEqual({ completion: "completed the course said: not attempted", success: "unknown" });
  });

  it("completes and satisfies 2004 SCOs that call only Initialize and Terminate (SN UP.4), and the course with them: Completed, since nothing was assessed", async () => {
    const attemptId = await attemptOn("scos2004");
    for (const scoId of ["A", "B"]) {
      await launch(attemptId, scoId);
      await commit(attemptId, scoId, { commitSequence: 1, isTerminateCommit: true, cmi: { completion_status: "unknown", success_status: "unknown", exit: "" } });
    }
    expect(await scoStatuses(attemptId)).toEqual({ A: "Completed", B: "Completed" });
    expect(await attemptStatus(attemptId)).toBe("Incomplete");
    // L&D see what the LMS recorded, and that the content itself said nothing.
    expect((await summaryCells(attemptId)).A).toEqual({ completion: "completed the course said: unknown", success: "passed the course said: unknown" });
    // A session the learner left part-way (the player suspends it) completes nothing.
    await launch(attemptId, "C");
    await commit(attemptId, "C", { commitSequence: 1, isTerminateCommit: true, navRequest: "suspendAll", cmi: { exit: "suspend" } });
    expect((await scoStatuses(attemptId)).C).toBe("Not Attempted");
    await launch(attemptId, "C");
    await commit(attemptId, "C", { commitSequence: 2, isTerminateCommit: true, navRequest: "exitAll", cmi: { exit: "normal" } });
    expect(await scoStatuses(attemptId)).toEqual({ A: "Completed", B: "Completed", C: "Completed" });
    // The course's outcome is its roll-up's, which the player's sequencer saves with its state (here, as scorm-again rolls them up).
    expect(await attemptStatus(attemptId)).toBe("Incomplete");
    // The root is satisfied only by the LMS's defaults: completed, not passed (an assessment needs a pass the content reported).
    await rollUp(attemptId, "completed", "passed");
    expect(await attemptStatus(attemptId)).toBe("Completed");
    const changes = await t.db("audit_events").where({ kind: "attempt.status_changed" }).whereLike("detail", `%"attemptId":${attemptId},%`).orderBy("id");
    expect(changes.map((row) => JSON.parse(String(row.detail)).to)).toEqual(["Incomplete", "Completed"]);
  });

  it("passes the course on its root only where something was assessed: a SCO that reported its own pass", async () => {
    const attemptId = await attemptOn("scos2004");
    await launch(attemptId, "A");
    await commit(attemptId, "A", { commitSequence: 1, isTerminateCommit: true, cmi: { completion_status: "completed", success_status: "passed", exit: "" } });
    expect((await scoStatuses(attemptId)).A).toBe("Passed");
    await rollUp(attemptId, "completed", "passed");
    expect(await attemptStatus(attemptId)).toBe("Passed");
  });

  it("does not pass a 2004 SCO that says it is incomplete and ends normally, as content left part-way does, though the LMS satisfies it (SN UP.4)", async () => {
    const attemptId = await attemptOn("scos2004");
    await launch(attemptId, "A");
    await commit(attemptId, "A", { commitSequence: 1, cmi: { completion_status: "incomplete", location: "slide-2" } });
    await commit(attemptId, "A", { commitSequence: 2, isTerminateCommit: true, cmi: { completion_status: "incomplete", location: "slide-2", exit: "" } });
    expect((await scoStatuses(attemptId)).A).toBe("Incomplete");
    expect((await summaryCells(attemptId)).A).toEqual({ completion: "incomplete", success: "passed the course said: unknown" });
    // The sequencer rolls the same up to the course: satisfied, not complete.
    await rollUp(attemptId, "incomplete", "passed");
    expect(await attemptStatus(attemptId)).toBe("Incomplete");
  });

  it("counts an asset as completed once delivered, in 2004 (and satisfied) and in 1.2, so an asset-only course completes", async () => {
    const attempt2004 = await attemptOn("assets2004");
    await launch(attempt2004, "A");
    expect(await scoStatuses(attempt2004)).toEqual({ A: "Completed" });
    expect(await attemptStatus(attempt2004)).toBe("Incomplete");
    await launch(attempt2004, "B");
    await launch(attempt2004, "C");
    expect(await scoStatuses(attempt2004)).toEqual({ A: "Completed", B: "Completed", C: "Completed" });
    await rollUp(attempt2004, "completed", "passed");
    expect(await attemptStatus(attempt2004)).toBe("Completed");

    const attempt12 = await attemptOn("assets12");
    await launch(attempt12, "A");
    await launch(attempt12, "B");
    expect(await scoStatuses(attempt12)).toEqual({ A: "Completed", B: "Completed" });
    expect(await attemptStatus(attempt12)).toBe("Completed");
    // Delivered again, it stays as it was.
    await launch(attempt12, "A");
    expect(await attemptStatus(attempt12)).toBe("Completed");
  });

  it("starts a new try at a 2004 SCO after a normal exit, and shows L&D the answers of both tries", async () => {
    const attemptId = await attemptOn("scos2004");
    await launch(attemptId, "A");
    const answer = (id: string, response: string) => ({ "0": { id, type: "fill-in", learner_response: response, result: "incorrect" } });
    await commit(attemptId, "A", { commitSequence: 1, isTerminateCommit: true, cmi: { exit: "normal", completion_status: "incomplete", success_status: "failed", interactions: answer("q1", "first-try") } });
    const second = (await launch(attemptId, "A")).body as { cmi: Record<string, unknown> };
    expect(second.cmi).toMatchObject({ entry: "ab-initio" });
    expect(second.cmi).not.toHaveProperty("interactions");
    await commit(attemptId, "A", { commitSequence: 2, isTerminateCommit: true, cmi: { exit: "normal", completion_status: "completed", success_status: "passed", interactions: answer("q1", "second-try") } });
    const admin = await buildLearner(t.db, t.clock, { role: "admin" });
    const page = (await (await logInAgent(t.app, admin.username, admin.password)).get(`/admin/attempts/${attemptId}`).expect(200)).text;
    expect(page).toMatch(/data-field="try">1<\/span>[\s\S]*?first-try[\s\S]*?data-field="try">2<\/span>[\s\S]*?second-try/);
  });

  it("fails the course only once its root is completed: not satisfied part-way is still Incomplete", async () => {
    const attemptId = await attemptOn("scos2004");
    // Two SCOs weighted 0.25 / 0.75, the first scored 0.9: a measure of 0.225 so far (SN RB.1.1).
    await launch(attemptId, "A");
    await commit(attemptId, "A", { commitSequence: 1, cmi: { score: { scaled: "0.9" } } });
    expect((await rollUp(attemptId, "unknown", "failed")).body).toMatchObject({ performanceStatus: "Incomplete" });
    expect((await rollUp(attemptId, "incomplete", "failed")).body).toMatchObject({ performanceStatus: "Incomplete" });
    expect((await rollUp(attemptId, "completed", "failed")).body).toMatchObject({ performanceStatus: "Failed" });
    expect(await attemptStatus(attemptId)).toBe("Failed");
  });

  it("takes the course's roll-up from the sequencer's state, and never lets it take anything back", async () => {
    const attemptId = await attemptOn("scos2004");
    const save = (root: { completionStatus: string; successStatus: string }) =>
      agent
        .post(`/runtime/attempts/${attemptId}/sequencing-state`)
        .set("X-CSRF-Token", csrf)
        .send({ sequencingState: JSON.stringify({ version: "1.0", sequencing: { activityStates: { O: { id: "O", ...root }, A: { id: "A", completionStatus: "completed", successStatus: "passed" } } } }) })
        .expect(200);
    expect((await save({ completionStatus: "incomplete", successStatus: "unknown" })).body).toMatchObject({ performanceStatus: "Incomplete" });
    // The rules of the course say it is done (a module skipped because its objective was met, say).
    expect((await save({ completionStatus: "completed", successStatus: "unknown" })).body).toMatchObject({ performanceStatus: "Completed" });
    expect(await attemptStatus(attemptId)).toBe("Completed");
    const row = await t.db("attempts").where({ id: attemptId }).first("completed_at");
    expect(row.completed_at).toBe(t.clock.now().toISOString());
    // A later state that says less changes nothing.
    expect((await save({ completionStatus: "incomplete", successStatus: "unknown" })).body).toMatchObject({ performanceStatus: "Completed" });
    // A state whose root says nothing readable leaves the status alone, and is still kept.
    await agent.post(`/runtime/attempts/${attemptId}/sequencing-state`).set("X-CSRF-Token", csrf).send({ sequencingState: '{"sequencing":{"activityStates":{"O":{"completionStatus":"done"}}}}' }).expect(200);
    expect(await attemptStatus(attemptId)).toBe("Completed");
  });
});
