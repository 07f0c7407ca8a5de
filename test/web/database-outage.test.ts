import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";

/** A database that goes away must cost errors, not the process: it must answer, and recover. */
describe("when the database goes away and comes back", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    t = await createTestApp();
    learner = await buildLearner(t.db, t.clock);
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await t.cleanup();
  });

  it("answers every request with an error, leaves no promise unhandled, and serves again once it is back", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await t.db.destroy(); // every query now fails to get a connection

    await request(t.app).get("/healthz").expect(503);
    // The login page needs no database to render; only its session cannot be saved.
    await request(t.app).get("/login").catch(() => undefined);
    const home = await agent.get("/");
    expect(home.status).toBeGreaterThanOrEqual(500);
    const post = await request(t.app).post("/login").type("form").send({ username: "x", password: "y" });
    expect(post.status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);

    t.db.initialize();
    await request(t.app).get("/healthz").expect(200);
    const page = await request.agent(t.app).get("/login").expect(200);
    expect(csrfFrom(page.text)).toBeTruthy();
    await agent.get("/").expect(200);
  });
});
