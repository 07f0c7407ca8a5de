// Issue 18, deliver 8, a probe that held: every state-changing route the app mounts refuses a
// request without the session's anti-forgery token, or with another, as the very role that may use
// it, and nothing changes. The route table (test/support/route-table.ts) is checked against the
// routes the app mounts, so a new route cannot escape this.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { ACCESS, concrete, mountedRoutes } from "../support/route-table.ts";
import { agentsByRole, type SignedInAgent, type Who } from "../support/role-agents.ts";
import { tableCounts } from "../reliability/fuzz-support.ts";

describe("anti-forgery tokens on every state-changing route", () => {
  let t: TestApp;
  let agents: Record<Who, SignedInAgent>;
  beforeAll(async () => {
    t = await createTestApp();
    agents = await agentsByRole(t);
  });
  afterAll(() => t.cleanup());

  const posts = () => Object.entries(ACCESS).filter(([route]) => route.startsWith("POST "));
  // What a refusal may still write: the session's own row, touched by every request, and the
  // upload limit's count (an upload form's token is read after its limits, with the form).
  const stored = async () => ({ ...(await tableCounts(t.db)), sessions: 0, request_throttle: 0 });

  it("covers every POST route the app mounts", () => {
    expect(posts().map(([route]) => route).sort()).toEqual(mountedRoutes(t.app).filter((route) => route.startsWith("POST ")).sort());
    expect(posts().length).toBeGreaterThan(40);
  });

  it("refuses each without the token, with another session's, and (upload forms) without the form's field, changing nothing", async () => {
    const before = await stored();
    const wrongs: string[] = [];
    for (const [route, needed] of posts()) {
      const path = concrete(route.slice("POST ".length));
      const { agent } = agents[needed === "anyone" ? "anonymous" : needed];
      const other = agents[needed === "admin" ? "author" : "admin"].csrf;
      const attempts = path.startsWith("/runtime")
        ? { none: agent.post(path).send({ commitSequence: 1, cmi: {} }), another: agent.post(path).set("X-CSRF-Token", other).send({ commitSequence: 1, cmi: {} }) }
        : {
            none: agent.post(path).type("form").send({ username: "297NOBODY01", password: "x" }),
            another: agent.post(path).type("form").send({ _csrf: other, username: "297NOBODY01", password: "x" }),
            // In the field each upload form names its file ("package" for course packages).
            multipart: agent.post(path).field("note", "no token here").attach(path === "/author/courses/upload" ? "package" : "file", Buffer.from("a,b\n"), "file.csv"),
          };
      for (const [how, sent] of Object.entries(attempts)) {
        const response = await sent;
        if (response.status !== 403) wrongs.push(`${route} (${how}): ${response.status}`);
      }
    }
    expect(wrongs).toEqual([]);
    expect(await stored()).toEqual(before);
  }, 120_000);
});
