import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

/** GET /healthz, the load balancer's probe: the database and the shared package storage. */
describe("the health check", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  it("answers 503 naming the package storage when it cannot be used, and 200 once it can again", async () => {
    await request(t.app).get("/healthz").expect(200, { status: "ok" });
    const packages = path.join(t.config.dataDir, "packages");
    // A file where the folder should be: what a share gone wrong looks like to the process (tests run
    // as root, for whom permissions prove nothing).
    fs.rmSync(packages, { recursive: true, force: true });
    fs.writeFileSync(packages, "not a folder");
    await request(t.app).get("/healthz").expect(503, { status: "unavailable", reason: "package storage not readable and writable" });
    fs.rmSync(packages);
    await request(t.app).get("/healthz").expect(200, { status: "ok" });
    expect(fs.statSync(packages).isDirectory()).toBe(true);
  });
});
