import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// Express require()s ejs; ejs 7 is a dual package, and its ESM copy keeps a cache of its own.
const ejs = createRequire(import.meta.url)("ejs") as { cache: { get(key: string): unknown }; clearCache(): void };
const views = fileURLToPath(new URL("../../server/web/views", import.meta.url));

/**
 * Pages are compiled once per process (app.ts): Express caches views only under
 * NODE_ENV=production, which `npm start` does not set, and uncached EJS compiled each page and its
 * includes on every request. The tests run with NODE_ENV=test, so the cache here is the app's own.
 */
describe("page templates", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("are compiled once and kept, with their includes, whatever NODE_ENV says", async () => {
    expect(process.env.NODE_ENV).not.toBe("production");
    ejs.clearCache();
    const first = await request(t.app).get("/login").expect(200);
    const compiled = ejs.cache.get(path.join(views, "login.ejs"));
    expect(compiled).toBeTypeOf("function");
    expect(ejs.cache.get(path.join(views, "partials", "head.ejs"))).toBeTypeOf("function");
    // The second request renders with the very function the first compiled.
    const second = await request(t.app).get("/login").expect(200);
    expect(ejs.cache.get(path.join(views, "login.ejs"))).toBe(compiled);
    expect(second.text.replace(/value="[^"]*"/g, "")).toBe(first.text.replace(/value="[^"]*"/g, ""));
  });
});
