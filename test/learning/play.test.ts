import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { playCourse } from "../../server/learning/attempts.ts";
import { readsOf } from "../../server/db/connect.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip } from "../support/build-zip.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

describe("Play", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let courseId: number;
  const importVersion = async () => {
    const storage = createLocalStorage(path.join(t.config.dataDir, "packages"));
    const imported = await importPackage({ db: t.db, clock: t.clock, storage }, await buildZip(VALID_PACKAGES["scorm12-single"]!.files), { code: "297 Play Test" });
    return imported.courseVersionId;
  };
  const attempt = (id: number) => t.db("attempts").where({ id }).first();

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    learner = await buildLearner(t.db, t.clock);
    await importVersion();
    courseId = Number((await t.db("courses").where({ code: "297 Play Test" }).first("id")).id);
  });
  afterAll(() => t.cleanup());

  it("starts an attempt on the newest version and resumes it while unfinished", async () => {
    const first = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    expect(first.resumed).toBe(false);
    const again = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    expect(again).toEqual({ attemptId: first.attemptId, resumed: true });
    await t.db("attempts").where({ id: first.attemptId }).update({ performance_status: "Incomplete" });
    expect((await playCourse(t.db, t.clock, { personId: learner.personId, courseId })).attemptId).toBe(first.attemptId);
  });

  it("resumes beside the writer, though a transaction holds it; a new attempt is made in the writer's transaction, and resumed", async () => {
    const other = await buildLearner(t.db, t.clock);
    const request = { personId: other.personId, courseId };
    const first = await playCourse(t.db, t.clock, request, readsOf(t.db));
    // The one writer held (as a batch of commits holds it): a Play that resumes only reads.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = () => {};
    const writerHeld = new Promise<void>((resolve) => (holding = resolve));
    const transaction = t.db.transaction(async () => {
      holding();
      await held;
    });
    await writerHeld;
    expect(await playCourse(t.db, t.clock, request, readsOf(t.db))).toEqual({ attemptId: first.attemptId, resumed: true });
    release();
    await transaction;

    // Finished, the attempt is history: Play starts a new one (in the writer's transaction), which the next Play resumes.
    await t.db("attempts").where({ id: first.attemptId }).update({ performance_status: "Completed" });
    const renewed = await playCourse(t.db, t.clock, request, readsOf(t.db));
    expect(renewed.resumed).toBe(false);
    expect(renewed.attemptId).not.toBe(first.attemptId);
    expect(await playCourse(t.db, t.clock, request, readsOf(t.db))).toEqual({ attemptId: renewed.attemptId, resumed: true });
    expect(await t.db("attempts").where({ person_id: other.personId })).toHaveLength(2);
  });

  it("makes one attempt when the same learner presses Play twice at once (two tabs), on both databases", async () => {
    const other = await buildLearner(t.db, t.clock);
    const request = { personId: other.personId, courseId };
    const plays = await Promise.all([1, 2, 3].map(() => playCourse(t.db, t.clock, request, readsOf(t.db))));
    const made = await t.db("attempts").where({ person_id: other.personId });
    expect(made).toHaveLength(1);
    expect(plays.map((play) => play.attemptId)).toEqual([made[0].id, made[0].id, made[0].id].map(Number));
    expect(plays.filter((play) => !play.resumed)).toHaveLength(1);
  });

  it("keeps an attempt already started on its version when a new version is imported; new attempts use the newest", async () => {
    const { attemptId } = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    const before = (await attempt(attemptId)).course_version_id;
    const newest = await importVersion();
    expect(newest).not.toBe(before);
    expect((await playCourse(t.db, t.clock, { personId: learner.personId, courseId })).attemptId).toBe(attemptId);
    expect((await attempt(attemptId)).course_version_id).toBe(before);
    await t.db("attempts").where({ id: attemptId }).update({ performance_status: "Completed" });
    const renewal = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    expect(renewal.resumed).toBe(false);
    expect((await attempt(renewal.attemptId)).course_version_id).toBe(newest);
  });

  it("starts a new attempt after a failed one (a retry) and keeps the history", async () => {
    const { attemptId } = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    await t.db("attempts").where({ id: attemptId }).update({ performance_status: "Failed" });
    const retry = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    expect(retry.attemptId).not.toBe(attemptId);
    expect((await attempt(attemptId)).performance_status).toBe("Failed");
  });

  it("never resumes an author's preview as learning", async () => {
    const preview = await playCourse(t.db, t.clock, { personId: learner.personId, courseId, preview: true });
    const learning = await playCourse(t.db, t.clock, { personId: learner.personId, courseId });
    expect(learning.attemptId).not.toBe(preview.attemptId);
    expect(Boolean((await attempt(preview.attemptId)).preview)).toBe(true);
  });

  it("says plainly when a course has no package yet", async () => {
    const [row] = await t.db("courses").insert({ code: "297 Not Yet Imported", title: "x", created_at: "2026-03-01T00:00:00Z" }).returning("id");
    await expect(playCourse(t.db, t.clock, { personId: learner.personId, courseId: Number(row.id) })).rejects.toMatchObject({ code: "learning.course_not_available" });
  });

  it("opens the player through POST /learning/courses/:id/play, for logged-in people with the form's token", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const token = csrfFrom((await agent.get("/")).text);
    const response = await agent.post(`/learning/courses/${courseId}/play`).type("form").send({ _csrf: token }).expect(303);
    expect(response.headers.location).toMatch(/^\/player\/attempts\/\d+$/);
    await agent.post(`/learning/courses/${courseId}/play`).type("form").send({}).expect(403);
    await agent.post(`/learning/courses/999999/play`).type("form").send({ _csrf: token }).expect(404);
    const anonymous = await request(t.app).post(`/learning/courses/${courseId}/play`).type("form").send({});
    expect(anonymous.status).toBe(403); // no session, so no CSRF token: refused before anything else
  });
});
