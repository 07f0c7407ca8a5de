// Issue 18, observed point 8: under https the LMS origin sent HSTS and the content origin did not,
// so a learner's content requests (each carrying a content token) could be downgraded to http.
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { createClock } from "../../server/clock.ts";
import { createApp } from "../../server/app.ts";
import { createContentApp } from "../../server/content/content-app.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";

const SECRET = "hsts-test-secret-".padEnd(40, "h");

describe("HSTS on both origins", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.cleanup());

  const origins = (env: Record<string, string>) => {
    const config = loadConfig({ ...t.env, ...env });
    const logger = pino({ level: "silent" });
    return {
      lms: createApp({ config, db: t.db, clock: createClock("2026-03-01T09:00:00Z"), logger, sessionSecret: SECRET }),
      content: createContentApp({ config, db: t.db, storage: createLocalStorage(`${config.dataDir}/packages`), contentSecret: SECRET, logger }),
    };
  };

  it("sends Strict-Transport-Security from the LMS and the content origin under https, for a year", async () => {
    const { lms, content } = origins({ PUBLIC_URL: "https://lms.example.nhs.uk", CONTENT_URL: "https://content.example.nhs.uk" });
    for (const [name, app, url] of [["LMS", lms, "/login"], ["content", content, "/healthz"], ["content launcher", content, "/launch/not-a-token/S1"]] as const) {
      const response = await request(app).get(url);
      expect(response.headers["strict-transport-security"], name).toMatch(/max-age=31536000/);
    }
  });

  it("keeps a visitor's anti-forgery token under https in a __Host- cookie, which no other host of the domain (a content origin on a sibling host) can set", async () => {
    const { lms } = origins({ PUBLIC_URL: "https://lms.example.nhs.uk", CONTENT_URL: "https://content.example.nhs.uk" });
    const cookies = ([] as string[]).concat((await request(lms).get("/login").expect(200)).headers["set-cookie"] ?? []);
    const token = cookies.find((cookie) => cookie.startsWith("__Host-lms.csrf="));
    expect(token, cookies.join("\n")).toBeDefined();
    expect(token).toMatch(/; Path=\/(;|$)/);
    expect(token).toMatch(/; Secure/);
    expect(token).not.toMatch(/Domain=/i);
  });

  it("sends none over plain http, where browsers would ignore it", async () => {
    const { lms, content } = origins({ PUBLIC_URL: "http://localhost:3000", CONTENT_URL: "http://127.0.0.1:3001" });
    expect((await request(lms).get("/login")).headers["strict-transport-security"]).toBeUndefined();
    expect((await request(content).get("/healthz")).headers["strict-transport-security"]).toBeUndefined();
  });
});
