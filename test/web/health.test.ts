import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { STORAGE_MARKER } from "../../server/web/health-routes.ts";

/** GET /healthz, the load balancer's probe: the database and the shared package storage. */
describe("the health check", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  it("answers 503 when the package storage is gone or is an empty mount point, and 200 once it is back", async () => {
    expect((await request(t.app).get("/healthz").expect(200)).body.status).toBe("ok");
    const packages = path.join(t.config.dataDir, "packages");
    const marker = fs.readFileSync(path.join(packages, STORAGE_MARKER));
    const unavailable = { status: "unavailable", reason: "package storage missing or not writable" };
    fs.rmSync(packages, { recursive: true, force: true });
    await request(t.app).get("/healthz").expect(503, unavailable);
    // What an unmounted share leaves: an empty folder where it should be.
    fs.mkdirSync(packages);
    await request(t.app).get("/healthz").expect(503, unavailable);
    fs.writeFileSync(path.join(packages, STORAGE_MARKER), marker);
    expect((await request(t.app).get("/healthz").expect(200)).body.status).toBe("ok");
    expect(fs.readdirSync(packages)).toEqual([STORAGE_MARKER]); // the probe's own file is gone
  });

  it("says how long the event loop was lately held up, so that a stall shows before learners feel it", async () => {
    const quiet = (await request(t.app).get("/healthz").expect(200)).body.eventLoopDelayMs as number;
    expect(typeof quiet).toBe("number");
    const until = Date.now() + 400;
    while (Date.now() < until); // the loop held for 400 ms, as a synchronous manifest read once did
    expect((await request(t.app).get("/healthz").expect(200)).body.eventLoopDelayMs).toBeGreaterThanOrEqual(350);
  });
});
