import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

/**
 * Issue 21: on SQLite every statement sent to the writer connection queues behind the runtime's
 * commit transactions, and each write there is a durable commit (an fsync). bench:load measured
 * log in at p99 612 ms: it wrote four times (its transaction, express-session's delete of a
 * session never stored, and two saves of the new one), and the first page after it once more (its
 * anti-forgery token); log out twice. Each door of a learner's journey now writes in one
 * transaction at most, and Home not at all. (Log in's and Play's reads stay on the writer: see
 * accounts/routes.ts.)
 */
describe("what each door of a learner's journey asks of the writer", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let courseId: number;
  const sqlite = !process.env.DATABASE_URL;

  beforeAll(async () => {
    t = await createTestApp();
    learner = await buildLearner(t.db, t.clock);
    const courseVersionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Writer Waits");
    courseId = Number((await t.db("course_versions").where({ id: courseVersionId }).first("course_id")).course_id);
  });
  afterAll(() => t.cleanup());

  /** The statements sent to the writer while `act` runs: each with the transaction it was in (undefined: none). */
  async function onTheWriter<T>(act: () => Promise<T>): Promise<{ result: T; statements: Array<{ sql: string; transaction: string | undefined }> }> {
    const statements: Array<{ sql: string; transaction: string | undefined }> = [];
    const listen = (query: { sql: string; __knexTxId?: string }) => statements.push({ sql: query.sql, transaction: query.__knexTxId });
    t.db.on("query", listen);
    try {
      return { result: await act(), statements };
    } finally {
      t.db.off("query", listen);
    }
  }

  /** The door made one durable commit: every write in one transaction, and nothing else written outside it. */
  function expectOneDurableCommit(statements: Array<{ sql: string; transaction: string | undefined }>) {
    const outside = statements.filter((statement) => statement.transaction === undefined);
    expect(outside.filter((statement) => !/^\s*select\b/i.test(statement.sql)).map((statement) => statement.sql)).toEqual([]);
    expect(new Set(statements.filter((statement) => statement.transaction !== undefined).map((statement) => statement.transaction)).size).toBe(1);
  }

  it("log in, Play and log out each write in one transaction, and Home writes nothing", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login").expect(200);
    const login = await onTheWriter(() => agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }));
    expect(login.result.status).toBe(302);
    expectOneDurableCommit(login.statements);
    expect(login.statements.some((statement) => /insert into .sessions./i.test(statement.sql))).toBe(true);

    // The session's anti-forgery token was made at log in: Home writes nothing.
    const home = await onTheWriter(() => agent.get("/").expect(200));
    expect(home.statements.filter((statement) => sqlite || !/^\s*select\b/i.test(statement.sql))).toEqual([]);
    const csrf = csrfFrom(home.result.text);

    const play = await onTheWriter(() => agent.post(`/learning/courses/${courseId}/play`).type("form").send({ _csrf: csrf }));
    expect(play.result.status).toBe(303);
    expectOneDurableCommit(play.statements);

    const logout = await onTheWriter(() => agent.post("/logout").type("form").send({ _csrf: csrf }));
    expect(logout.result.status).toBe(302);
    expectOneDurableCommit(logout.statements);
  });

  it("ends the session at log out before answering, and gives a new session at log in with the row written", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login").expect(200);
    const before = new Set((await t.db("sessions").select("sid")).map((row) => String(row.sid)));
    const login = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(302);
    const cookie = String(login.headers["set-cookie"]).match(/lms\.sid=([^;]+)/)![1]!;
    const added = (await t.db("sessions").select("sid", "sess")).filter((row) => !before.has(String(row.sid)));
    expect(added).toHaveLength(1);
    expect(decodeURIComponent(cookie)).toContain(`s:${added[0]!.sid}.`);
    // PostgreSQL's json column comes back parsed; SQLite's text as written.
    const sess = added[0]!.sess as unknown;
    const stored = (typeof sess === "string" ? JSON.parse(sess) : sess) as { accountId: number; username: string; csrfToken: string };
    expect(stored).toMatchObject({ accountId: expect.any(Number), username: learner.username, csrfToken: expect.any(String) });
    const home = await agent.get("/").expect(200);
    expect(csrfFrom(home.text)).toBe(stored.csrfToken);

    await agent.post("/logout").type("form").send({ _csrf: stored.csrfToken }).expect(302);
    // Gone from the database when the answer came, not later.
    expect(await t.db("sessions").where({ sid: added[0]!.sid }).first()).toBeUndefined();
    await request(t.app).get("/").set("Cookie", `lms.sid=${cookie}`).expect(302);
  });

  it("logging in again from a logged-in browser ends the session it had", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login").expect(200);
    const first = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(302);
    const firstCookie = String(first.headers["set-cookie"]).match(/lms\.sid=([^;]+)/)![1]!;
    const home = await agent.get("/").expect(200);
    const again = await agent.post("/login").type("form").send({ _csrf: csrfFrom(home.text), username: learner.username, password: learner.password }).expect(302);
    const secondCookie = String(again.headers["set-cookie"]).match(/lms\.sid=([^;]+)/)![1]!;
    expect(secondCookie).not.toBe(firstCookie);
    await request(t.app).get("/").set("Cookie", `lms.sid=${firstCookie}`).expect(302);
    await request(t.app).get("/").set("Cookie", `lms.sid=${secondCookie}`).expect(200);
  });
});
