import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorPattern } from "../support/error-pattern.ts";
import request from "supertest";
import { loginFailures } from "../../server/accounts/login-failures.ts";
import { createTestApp, csrfFrom, logInAgent, TEST_SESSION_SECRET, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";
import { LOGIN_REFUSED } from "../../server/accounts/service.ts";

describe("logging in and out", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  beforeAll(async () => {
    t = await createTestApp();
    learner = await buildLearner(t.db, t.clock, { name: "Smith, Jane" });
  });
  afterAll(() => t.cleanup());

  it("shows the guide's login form", async () => {
    const response = await request(t.app).get("/login").expect(200);
    expect(response.text).toContain("Log in with your credentials");
    expect(response.text).toContain("Username*");
    expect(response.text).toContain("(Example: 999JSMITH01)");
    expect(response.text).toContain("Password*");
  });

  it("sends a visitor who is not logged in to the login page", async () => {
    const response = await request(t.app).get("/").expect(302);
    expect(response.headers.location).toBe("/login?next=%2F");
  });

  it("logs in with the right password, case-insensitively on the username, and shows the portal", async () => {
    const agent = await logInAgent(t.app, learner.username.toLowerCase(), learner.password);
    const home = await agent.get("/").expect(200);
    expect(home.text).toContain("Smith, Jane");
    expect(home.text).toContain(`Logged In As <strong>${learner.username}</strong>`);
    expect(home.text).toContain("Healthcare Assistant");
  });

  it("refuses a wrong password and an unknown username with the same message, and audits both", async () => {
    for (const username of [learner.username, "297NOBODY01"]) {
      const agent = request.agent(t.app);
      const page = await agent.get("/login");
      const response = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username, password: "not the password at all" });
      expect(response.status).toBe(401);
      expect(response.text).toContain(LOGIN_REFUSED);
      expect(response.text).not.toContain("Logged In As");
    }
    // A password typed into the username box is not kept in the audit, nor is any name of no account.
    const slip = request.agent(t.app);
    const slipCsrf = csrfFrom((await slip.get("/login")).text);
    await slip.post("/login").type("form").send({ _csrf: slipCsrf, username: "my secret passphrase!", password: "x" }).expect(401);
    const failures = await listAudit(t.db, { kind: "login.failed" });
    expect(failures.map((event) => event.detail.username)).toEqual(expect.arrayContaining([learner.username, "(names no account: not kept)"]));
    expect(JSON.stringify(failures)).not.toContain("my secret passphrase");
    expect(JSON.stringify(failures)).not.toContain("297NOBODY01");
    // Counted for the username and the source it came from (login-failures.ts).
    const counted = await t.db("login_failures").where({ username_hash: loginFailures(TEST_SESSION_SECRET).usernameHash(learner.username) }).first("failures");
    expect(Number(counted.failures)).toBe(1);
  });

  it("names the empty fields rather than calling them wrong", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const response = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: "", password: "" });
    expect(response.status).toBe(400);
    expectErrorPattern(response.text, [
      { field: "username", message: "Enter your username" },
      { field: "password", message: "Enter your password" },
    ]);
    expect(response.text).not.toContain(LOGIN_REFUSED);
  });

  it("confirms a logout", async () => {
    const response = await request(t.app).get("/login?loggedOut=1").expect(200);
    expect(response.text).toContain("You have logged out.");
  });

  it("refuses a login form without its CSRF token", async () => {
    const agent = request.agent(t.app);
    await agent.get("/login");
    const response = await agent.post("/login").type("form").send({ username: learner.username, password: learner.password });
    expect(response.status).toBe(403);
    expect(response.text).not.toContain("Logged In As");
  });

  it("gives a new session id at login, so a planted session cookie is worthless; and keeps no session for a visitor", async () => {
    const sessions = async () => Number((await t.db("sessions").count({ count: "*" }).first())?.count);
    const before = await sessions();
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    // The log in page's anti-forgery token is in a cookie of its own: no session row for a visitor.
    expect(cookieValue(page.headers["set-cookie"])).toBeUndefined();
    for (let n = 0; n < 20; n++) await request(t.app).get("/login").expect(200);
    await request(t.app).get("/forgotten").expect(200);
    expect(await sessions()).toBe(before);
    // The token is this visitor's: another's page's token, or none, is refused.
    const stranger = request.agent(t.app);
    await stranger.get("/login");
    await stranger.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(403);
    await request(t.app).post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(403);
    // A session cookie planted before the log in is not the one it gives.
    const planted = "s%3Aplanted-by-someone.else";
    const response = await agent.post("/login").set("Cookie", `lms.sid=${planted}`).type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(302);
    const after = cookieValue(response.headers["set-cookie"]);
    expect(after).toBeDefined();
    expect(after).not.toBe(planted);
    await request(t.app).get("/").set("Cookie", `lms.sid=${planted}`).expect(302);
    expect(await sessions()).toBe(before + 1);
  });

  it("keeps sessions in the database and ends them at Logout", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const stored = await t.db("sessions").count({ count: "*" }).first();
    expect(Number(stored?.count)).toBeGreaterThan(0);
    const home = await agent.get("/").expect(200);
    await agent.post("/logout").type("form").send({ _csrf: csrfFrom(home.text) }).expect(302);
    await agent.get("/").expect(302);
  });

  it("marks the session cookie HttpOnly and SameSite=Lax", async () => {
    const page = await request(t.app).get("/login");
    const cookie = String(page.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("sends security headers with a strict content security policy", async () => {
    const page = await request(t.app).get("/login");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves NHS.UK styles that fetch nothing from other sites", async () => {
    const css = await request(t.app).get("/assets/nhsuk/nhsuk-frontend.min.css").expect(200);
    expect(css.headers["content-type"]).toMatch(/text\/css/);
    expect(css.text).toContain(".nhsuk-button");
    expect(css.text).not.toMatch(/https?:\/\//);
    const icon = /url\((\/assets\/nhsuk\/assets\/images\/[^)]+)\)/.exec(css.text);
    expect(icon).not.toBeNull();
    await request(t.app).get(icon![1]!).expect(200);
  });

  it("does not redirect to another site after login", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/login?next=//evil.example/");
    const response = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password, next: "//evil.example/" });
    expect(response.headers.location).toBe("/");
  });
});

describe("GET /healthz", () => {
  it("answers ok when the database answers", async () => {
    const t = await createTestApp();
    try {
      const response = await request(t.app).get("/healthz").expect(200);
      expect(response.body).toMatchObject({ status: "ok", eventLoopDelayMs: expect.any(Number) });
    } finally {
      await t.cleanup();
    }
  });
});

function cookieValue(header: unknown): string | undefined {
  const cookies = Array.isArray(header) ? header : header ? [String(header)] : [];
  const match = cookies.map((cookie) => /lms\.sid=([^;]+)/.exec(cookie)).find(Boolean);
  return match?.[1];
}
