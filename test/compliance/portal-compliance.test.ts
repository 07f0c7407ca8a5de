import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { lms } from "../support/run-cli.ts";

const NOW = "2026-03-01T09:00:00Z";

function statusesOn(html: string): string[] {
  return [...html.matchAll(/app-status--\w+">(\w+)</g)].map((match) => match[1]!);
}

describe("the portal's My Compliance, for the demo learner", () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof logInAgent>>;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    const seeded = await lms({ ...t.env, LMS_NOW: NOW }, "seed-demo");
    expect(seeded.code).toBe(0);
    agent = await logInAgent(t.app, "297ECONROY01", "core-skills-demo");
  }, 120_000);
  afterAll(() => t.cleanup());

  it("shows the guide's first screen: 90% with Green, Amber, Red and Blue rows on the primary assignment", async () => {
    const home = await agent.get("/").expect(200);
    expect(home.text).toContain("Percentage Compliance: <strong>90.0%</strong>");
    const statuses = statusesOn(home.text);
    expect(statuses.filter((status) => status === "Green")).toHaveLength(8);
    expect(statuses.filter((status) => status === "Amber")).toHaveLength(1);
    expect(statuses.filter((status) => status === "Red")).toHaveLength(1);
    expect(statuses.filter((status) => status === "Blue")).toHaveLength(1);
    expect(home.text).toMatch(/NHS\|CSTF\|NHS Conflict Resolution \(England\) - 3 Years<\/td>[\s\S]*?\d{2}-[A-Z][a-z]{2}-\d{4}[\s\S]*?>Red</);
  });

  it("switches to the second assignment with Go", async () => {
    const home = await agent.get("/").expect(200);
    const second = /<option value="(\d+)" >24552167 - Bank Healthcare Assistant/.exec(home.text);
    expect(second).not.toBeNull();
    const page = await agent.get(`/?assignment=${second![1]}`).expect(200);
    expect(page.text).toContain("Compliance for 24552167 - Bank Healthcare Assistant");
    // Fire, Infection Prevention, Moving and Handling, Safeguarding Adults L1 held; Conflict Resolution expired.
    expect(page.text).toContain("Percentage Compliance: <strong>80.0%</strong>");
  });

  it("counts only approved records", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Pending, Pat", assignments: [{ number: "55500001", position: "Bank Healthcare Assistant" }] });
    const fire = await t.db("competencies").where({ name: "NHS|CSTF|Fire Safety - 1 Year|" }).first("id");
    await t.db("competence_records").insert({
      person_id: learner.personId, competency_id: fire.id, level: "1 - Assessed", achieved_on: "2026-01-01", expires_on: "2027-01-01",
      source: "manual", status: "awaiting_approval", created_at: NOW,
    });
    const page = await (await logInAgent(t.app, learner.username, learner.password)).get("/").expect(200);
    expect(page.text).toContain("Percentage Compliance: <strong>0.0%</strong>");
    expect(statusesOn(page.text).every((status) => status === "Red")).toBe(true);
  });
});
