import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import { Writable } from "node:stream";
import pino from "pino";
import request from "supertest";
import { createApp } from "../../server/app.ts";
import { SESSION_TOUCH_EVERY_MS } from "../../server/web/session-store.ts";
import { SESSION_ABSOLUTE_MS } from "../../server/web/auth.ts";
import { createTestApp, csrfFrom, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

/**
 * The runtime reads the session on a lean path of its own (server/web/session-reader.ts). It must
 * hold to every rule the pages' session middleware holds to: these tests pin each one.
 */
describe("the runtime's session", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let courseVersionId: number;
  const logLines: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    learner = await buildLearner(t.db, t.clock);
    courseVersionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Session");
    // The same database, with a logger that keeps what it writes.
    const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(...String(chunk).trim().split("\n")), done()) });
    app = createApp({ config: t.config, db: t.db, clock: t.clock, logger: pino({ level: "info" }, sink), sessionSecret: "test-secret-".padEnd(40, "x") });
  });
  afterAll(() => t.cleanup());
  afterEach(() => vi.useRealTimers());

  /** Logs in by hand, to hold the raw session cookie. */
  async function logIn(): Promise<{ cookie: string; csrf: string }> {
    const page = await request(app).get("/login");
    const first = page.headers["set-cookie"]![0]!.split(";")[0]!;
    const login = await request(app).post("/login").set("Cookie", first).type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password });
    expect(login.status).toBe(302);
    // The session's cookie: a log in also sets the device cookie (known-devices.ts).
    const cookie = (login.headers["set-cookie"] as unknown as string[]).map((each) => each.split(";")[0]!).find((each) => each.startsWith("lms.sid="))!;
    const home = await request(app).get("/").set("Cookie", cookie);
    return { cookie, csrf: csrfFrom(home.text) };
  }
  /** The session id inside the signed cookie (express-session's "s:" + id + "." + signature). */
  const sidOf = (cookie: string) => decodeURIComponent(cookie.split("=")[1]!).slice(2).split(".")[0]!;
  const commitUrl = (attemptId: number) => `/runtime/attempts/${attemptId}/scos/I1/commit`;
  const commit = (attemptId: number, session: { cookie: string; csrf?: string }, sequence: number) => {
    const call = request(app).post(commitUrl(attemptId)).set("Cookie", session.cookie);
    return (session.csrf === undefined ? call : call.set("X-CSRF-Token", session.csrf)).send({ commitSequence: sequence, cmi: { core: { lesson_location: `p${sequence}` } } });
  };
  const attempt = () => buildAttempt({ db: t.db, personId: learner.personId, courseVersionId });
  const storedSequence = async (attemptId: number) => Number((await t.db("attempt_scos").where({ attempt_id: attemptId }).first())?.commit_sequence ?? 0);

  it("accepts a commit with the session's cookie and token, answering JSON that is never cached or framed", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    const response = await commit(attemptId, session, 1).expect(200);
    expect(response.body).toMatchObject({ result: true, errorCode: 0 });
    expect(response.headers).toMatchObject({ "cache-control": "no-store", "x-content-type-options": "nosniff" });
    expect(response.headers["content-security-policy"]).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers).toMatchObject({ "cross-origin-resource-policy": "same-origin", "referrer-policy": "no-referrer" });
    expect(await storedSequence(attemptId)).toBe(1);
  });

  it("refuses a commit without the session's anti-forgery token, or with another one, and stores nothing", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    expect((await commit(attemptId, { cookie: session.cookie }, 1).expect(403)).body).toMatchObject({ result: false, errorCode: 101, errorMessage: expect.stringMatching(/anti-forgery/) });
    const otherSession = await logIn();
    await commit(attemptId, { cookie: session.cookie, csrf: otherSession.csrf }, 1).expect(403);
    await commit(attemptId, { cookie: session.cookie, csrf: session.csrf.slice(0, -1) }, 1).expect(403);
    expect(await storedSequence(attemptId)).toBe(0);
  });

  it("refuses a cookie whose signature does not match, and one that is not signed", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    const [name, value] = session.cookie.split("=") as [string, string];
    const forged = value.slice(0, -2) + (value.endsWith("AA") ? "BB" : "AA");
    await commit(attemptId, { cookie: `${name}=${forged}`, csrf: session.csrf }, 1).expect(401);
    const unsigned = decodeURIComponent(value).slice(2).split(".")[0]!;
    await commit(attemptId, { cookie: `${name}=${unsigned}`, csrf: session.csrf }, 1).expect(401);
    expect(await storedSequence(attemptId)).toBe(0);
  });

  it("ends at Logout: the same cookie and token then get 401", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    await commit(attemptId, session, 1).expect(200);
    await request(app).post("/logout").set("Cookie", session.cookie).type("form").send({ _csrf: session.csrf }).expect(302);
    expect((await commit(attemptId, session, 2).expect(401)).body).toMatchObject({ result: false, errorMessage: expect.stringMatching(/session has ended/) });
    expect(await storedSequence(attemptId)).toBe(1);
  });

  it("takes a session it has read from memory, asking the database each time only whether it is still live", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    await commit(attemptId, session, 1).expect(200);
    // Were the session read again, this commit's token would no longer be the session's.
    const sid = sidOf(session.cookie);
    // PostgreSQL hands back the json column parsed, SQLite as text.
    const { sess } = await t.db("sessions").where({ sid }).first("sess");
    const stored = (typeof sess === "string" ? JSON.parse(sess) : sess) as Record<string, unknown>;
    await t.db("sessions").where({ sid }).update({ sess: JSON.stringify({ ...stored, csrfToken: "another-token" }) });
    await commit(attemptId, session, 2).expect(200);
    expect(await storedSequence(attemptId)).toBe(2);
  });

  it("refuses a session it remembers once it has ended elsewhere (another process, the CLI), storing nothing", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    await commit(attemptId, session, 1).expect(200);
    const sid = sidOf(session.cookie);
    await t.db("sessions").where({ sid }).delete();
    expect((await commit(attemptId, session, 2).expect(401)).body).toMatchObject({ result: false, errorMessage: expect.stringMatching(/session has ended/) });
    const state = await request(app).get(`/runtime/attempts/${attemptId}/scos/I1/state`).set("Cookie", session.cookie).set("X-CSRF-Token", session.csrf);
    expect(state.status).toBe(401);
    expect(await storedSequence(attemptId)).toBe(1);
  });

  it("refuses a session it remembers once it is idle past its stored expiry", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    await commit(attemptId, session, 1).expect(200);
    const sid = sidOf(session.cookie);
    await t.db("sessions").where({ sid }).update({ expired: "2000-01-01T00:00:00.000Z" });
    await commit(attemptId, session, 2).expect(401);
    expect(await storedSequence(attemptId)).toBe(1);
  });

  it("ends a session idle past its stored expiry", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    const sid = sidOf(session.cookie);
    await t.db("sessions").where({ sid }).update({ expired: "2000-01-01T00:00:00.000Z" });
    await commit(attemptId, session, 1).expect(401);
  });

  it("ends a session past the absolute limit however busy it was, and removes it", async () => {
    const loggedInAt = new Date("2026-05-01T08:00:00.000Z");
    vi.useFakeTimers({ toFake: ["Date"], now: loggedInAt });
    const session = await logIn();
    const attemptId = await attempt();
    await commit(attemptId, session, 1).expect(200);
    vi.setSystemTime(new Date(loggedInAt.getTime() + SESSION_ABSOLUTE_MS + 1000));
    // The store's own expiry is kept fresh here, so that only the absolute limit can end it.
    const sid = sidOf(session.cookie);
    await t.db("sessions").where({ sid }).update({ expired: "2999-01-01T00:00:00.000Z" });
    await commit(attemptId, session, 2).expect(401);
    await vi.waitFor(async () => expect(await t.db("sessions").where({ sid }).first()).toBeUndefined());
  });

  it("keeps a learner who only plays logged in: at most once a minute it writes the expiry back and sends the cookie again", async () => {
    const start = Date.parse("2026-05-02T10:00:00.000Z");
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(start) });
    const session = await logIn();
    const sid = sidOf(session.cookie);
    const expiry = async () => Date.parse(String((await t.db("sessions").where({ sid }).first("expired")).expired));
    const attemptId = await attempt();
    const atLogin = await expiry();

    vi.setSystemTime(new Date(start + 30_000));
    const soon = await commit(attemptId, session, 1).expect(200);
    expect(soon.headers["set-cookie"]).toBeUndefined();
    expect(await expiry()).toBe(atLogin);

    vi.setSystemTime(new Date(start + SESSION_TOUCH_EVERY_MS + 5_000));
    const later = await commit(attemptId, session, 2).expect(200);
    const [sent] = later.headers["set-cookie"] as unknown as string[];
    expect(sent!.split(";")[0]).toBe(session.cookie);
    expect(sent).toMatch(/HttpOnly/);
    expect(sent).toMatch(/SameSite=Lax/);
    expect(sent).toMatch(/Max-Age=1800/);
    await vi.waitFor(async () => expect(await expiry()).toBeGreaterThan(atLogin));
  });

  it("answers an address it does not have in SCORM's form, never a page", async () => {
    const session = await logIn();
    const response = await request(app).get("/runtime/nothing-here").set("Cookie", session.cookie).expect(404);
    expect(response.body).toMatchObject({ result: false, errorCode: 101 });
  });

  it("logs refusals without the cookie or token, and not each accepted commit", async () => {
    const session = await logIn();
    const attemptId = await attempt();
    logLines.length = 0;
    await commit(attemptId, session, 1).expect(200);
    expect(logLines.filter((line) => line.includes("/runtime/"))).toEqual([]);
    await commit(attemptId, { cookie: session.cookie }, 2).expect(403);
    const refusals = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "runtime request refused");
    expect(refusals).toEqual([expect.objectContaining({ method: "POST", url: commitUrl(attemptId), statusCode: 403, code: "csrf.invalid" })]);
    expect(logLines.join("\n")).not.toContain(session.cookie.split("=")[1]!);
    expect(logLines.join("\n")).not.toContain(session.csrf);
  });
});
