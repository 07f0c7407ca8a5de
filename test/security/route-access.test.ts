import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { roleAllows } from "../../server/web/roles.ts";
import { ACCESS, concrete, mountedRoutes } from "../support/route-table.ts";
import { agentsByRole } from "../support/role-agents.ts";

describe("who may use each route", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  it("has an entry for every route the app mounts, and none for a route it does not", () => {
    expect(mountedRoutes(t.app).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it("lets each role use what it may, and refuses the rest: anonymous to log in, others with 403", async () => {
    const agents = await agentsByRole(t);
    // Logout last: it ends the session the other requests use.
    const routes = Object.entries(ACCESS).sort(([a], [b]) => Number(a === "POST /logout") - Number(b === "POST /logout"));
    const outcomes: string[] = [];
    for (const [route, needed] of routes) {
      const [method, path] = route.split(" ") as [string, string];
      for (const who of ["anonymous", "learner", "author", "admin"] as const) {
        const { agent, csrf } = agents[who];
        const url = concrete(path);
        const response = method === "GET"
          ? await agent.get(url).set("X-CSRF-Token", csrf)
          : path.startsWith("/runtime")
            ? await agent.post(url).set("X-CSRF-Token", csrf).set("Origin", t.config.publicUrl).send({})
            : await agent.post(url).type("form").send({ _csrf: csrf });
        const allowed = needed === "anyone" || (who !== "anonymous" && roleAllows(who, needed));
        const toLogin = response.status === 302 && String(response.headers.location).startsWith("/login?next=");
        const refused = response.status === 401 || response.status === 403 || toLogin;
        const expected = allowed ? !refused : who === "anonymous" ? response.status === 401 || toLogin : response.status === 403;
        if (!expected) outcomes.push(`${route} as ${who}: ${response.status} ${response.headers.location ?? ""} (expected ${allowed ? "allowed" : "refused"})`);
      }
    }
    expect(outcomes).toEqual([]);
  }, 60_000);

  // PostgreSQL fails a whole query comparing an integer column with a number past its range: each
  // id must be checked before it reaches one (isRowId), or the answer is a 500 there.
  it("answers ids past the database's integer range, or not numbers at all, as not found or refused, never a 500", async () => {
    // Fresh agents: the test before posted Logout, which ended its agents' sessions.
    const agents = await agentsByRole(t);
    const failures: string[] = [];
    for (const [route, needed] of Object.entries(ACCESS)) {
      const [method, path] = route.split(" ") as [string, string];
      if (needed === "anyone" || route === "POST /logout" || !/:[A-Za-z]+/.test(path)) continue;
      const { agent, csrf } = agents[needed];
      for (const id of ["2147483648", "99999999999999999999999", "1e3", "-1"]) {
        const url = concrete(path, id);
        const response = method === "GET"
          ? await agent.get(url).set("X-CSRF-Token", csrf)
          : path.startsWith("/runtime")
            ? await agent.post(url).set("X-CSRF-Token", csrf).set("Origin", t.config.publicUrl).send({ commitSequence: 1, cmi: {} })
            : await agent.post(url).type("form").send({ _csrf: csrf, reason: "a reason", competency: "2147483648", competencyId: "2147483648" });
        if (response.status >= 500) failures.push(`${method} ${url} as ${needed}: ${response.status} ${response.text.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
