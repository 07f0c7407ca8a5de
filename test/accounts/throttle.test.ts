import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../server/app.ts";
import { createTestApp, csrfFrom, settableClock, type TestApp } from "../support/test-app.ts";
import { RECOVERY_THROTTLE } from "../../server/accounts/limits.ts";
import { buildLearner } from "../support/factories.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const FAILURES_PER_ADDRESS = 12;

/** Per-IP limits on log in and recovery, counted in the database: two app processes share them. */
describe("throttling by IP address", () => {
  let t: TestApp;
  let second: Express;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  beforeAll(async () => {
    t = await createTestApp({ clock, env: { LOGIN_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS) } });
    // Another app on the same database, as a second process behind a load balancer would be.
    second = createApp({ config: t.config, db: t.db, clock, logger: pino({ level: "silent" }), sessionSecret: "test-secret-".padEnd(40, "x") });
  });
  afterAll(() => t.cleanup());

  async function post(app: Express, url: string, fields: Record<string, string>) {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get(url === "/login" ? "/login" : "/forgotten")).text);
    return agent.post(url).type("form").send({ _csrf: csrf, ...fields });
  }

  it("answers 429 once an address has made LOGIN_FAILURES_PER_ADDRESS wrong log ins, across processes, until the window ends", async () => {
    // A username each: wrong passwords for one username from one address are slowed on their own (login-failures.ts).
    for (let n = 0; n < FAILURES_PER_ADDRESS; n++) {
      const response = await post(n % 2 ? second : t.app, "/login", { username: `297NOBODY${n}`, password: "not a password" });
      expect(response.status).toBe(401);
    }
    const refused = await post(t.app, "/login", { username: "297NOBODYNEW", password: "not a password" });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain("Too many wrong passwords from your network. Wait 15 minute(s) and try again, or unlock your account by email");
    expect(Number(refused.headers["retry-after"])).toBe(15 * 60);
    expect((await post(second, "/login", { username: "297NOBODYNEW", password: "x" })).status).toBe(429);
    clock.set("2026-03-01T09:15:00.000Z");
    expect((await post(second, "/login", { username: "297NOBODYNEW", password: "not a password" })).status).toBe(401);
  });

  it("counts only wrong log ins: a ward behind one address logs in all day", async () => {
    clock.set("2026-03-01T10:00:00.000Z");
    const nurse = await buildLearner(t.db, t.clock);
    for (let n = 0; n < FAILURES_PER_ADDRESS * 3; n++) {
      expect((await post(n % 2 ? second : t.app, "/login", { username: nurse.username, password: nurse.password })).status).toBe(302);
    }
  });

  it("lets a browser that logged in to an account before log in to it while its address waits; a new browser, another account or a forged cookie waits", async () => {
    clock.set("2026-03-01T11:00:00.000Z");
    const [known, other] = [await buildLearner(t.db, t.clock), await buildLearner(t.db, t.clock)];
    const browser = request.agent(t.app);
    const logIn = async (agent: ReturnType<typeof request.agent>, who: { username: string; password: string }) => {
      const csrf = csrfFrom((await agent.get("/login")).text);
      return agent.post("/login").type("form").send({ _csrf: csrf, username: who.username, password: who.password });
    };
    const logOut = async () => browser.post("/logout").type("form").send({ _csrf: csrfFrom((await browser.get("/account/password")).text) });
    expect((await logIn(browser, known)).status).toBe(302);
    await logOut();
    // Someone at the same address uses the limit up.
    for (let n = 0; n < FAILURES_PER_ADDRESS; n++) await post(t.app, "/login", { username: `297SPRAY${n}`, password: "not a password" });

    expect((await logIn(browser, known)).status).toBe(302);
    await logOut();
    expect((await logIn(request.agent(t.app), known)).status).toBe(429);
    expect((await logIn(browser, other)).status).toBe(429);
    const forged = request.agent(t.app);
    const knownId = Number((await t.db("accounts").where({ username: known.username }).first("id")).id);
    forged.jar.setCookie(`lms.known=${knownId}.${"A".repeat(43)}; Path=/login`, "127.0.0.1", "/login");
    expect((await logIn(forged, known)).status).toBe(429);
    // Known or not, a wrong password still counts, and the username's own lockout still applies.
    expect((await logIn(browser, { username: known.username, password: "not the password" })).status).toBe(401);
  });

  it("limits the Forgotten page's requests on their own count", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    for (let n = 0; n < RECOVERY_THROTTLE.limit; n++) expect((await post(t.app, "/forgotten/password", { username: "297NOBODY01" })).status).toBe(200);
    const refused = await post(second, "/forgotten/unlock", { username: "297NOBODY01", email: "a@b.c" });
    expect(refused.status).toBe(429);
    // The Forgotten page again, the wait beside the form that was sent (the NHS error pattern), not a bare error page.
    expectErrorPattern(refused.text, [{ field: "unlock-username", message: "Too many attempts from your network. Wait" }]);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect((await post(t.app, "/login", { username: "297NOBODY01", password: "not a password" })).status).toBe(401); // log in counts apart
  });

  it("keeps one row per address and action: a new window's first request clears the earlier windows", async () => {
    clock.set("2026-03-03T09:00:00.000Z");
    await post(t.app, "/login", { username: "297NOBODY01", password: "not a password" });
    await post(t.app, "/login", { username: "297NOBODY01", password: "not a password" });
    const rows = () => t.db("request_throttle").where("bucket", "like", "login:%").orderBy("window_start").select("window_start", "hits");
    expect(await rows()).toEqual([{ window_start: "2026-03-03T09:00:00.000Z", hits: 2 }]);
    clock.set("2026-03-03T09:20:00.000Z");
    await post(second, "/login", { username: "297NOBODY01", password: "not a password" });
    expect(await rows()).toEqual([{ window_start: "2026-03-03T09:15:00.000Z", hits: 1 }]);
  });
});
