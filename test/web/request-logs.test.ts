import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pino from "pino";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { createClock } from "../../server/clock.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { buildLearner } from "../support/factories.ts";
import { csrfFrom } from "../support/test-app.ts";

describe("request logs", () => {
  let t: TestDb;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await createTestDb();
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(...String(chunk).trim().split("\n")), done()) });
    const clock = createClock("2026-03-01T09:00:00Z");
    app = createApp({ config: loadConfig({}), db: t.db, clock, logger: pino({ level: "info" }, sink), sessionSecret: "s".repeat(40) });
    await buildLearner(t.db, clock, { username: "297LOGTEST01", password: "a secret password 123" });
  });
  afterAll(() => t.cleanup());

  it("are one JSON object per request with method, path and status, and never carry secrets", async () => {
    const agent = request.agent(app);
    const page = await agent.get("/login?next=/private-token-abc");
    await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: "297LOGTEST01", password: "a secret password 123" });
    await agent.get("/healthz");
    const entries = lines.map((line) => JSON.parse(line));
    const logins = entries.filter((entry) => entry.req?.url === "/login");
    expect(logins.map((entry) => [entry.req.method, entry.res.statusCode])).toEqual([["GET", 200], ["POST", 302]]);
    expect(entries.every((entry) => typeof entry.responseTime === "number")).toBe(true);
    expect(entries.some((entry) => entry.req?.url === "/healthz")).toBe(false);
    const all = lines.join("\n");
    expect(all).not.toContain("a secret password 123");
    expect(all).not.toContain("lms.sid");
    expect(all).not.toContain("private-token-abc");
  });
});
