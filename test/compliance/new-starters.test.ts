import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { lms } from "../support/run-cli.ts";
import { NEW_STARTER_DAYS } from "../../server/compliance/assignment-compliance.ts";

const NOW = "2026-03-20T09:00:00Z";
const STARTED = "2026-03-10";

/**
 * Issue 9's new starters: each essential competency never held falls due a number of days after
 * the assignment's start (the position's Due Within, else one month), and the compliance page,
 * Verify a learner and `lms compliance` say by when, or that the date has passed.
 */
describe("a new starter's requirements falling due", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    learner = await buildLearner(t.db, t.clock);
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    const ids: number[] = [];
    for (const name of ["NHS|CSTF|Fire Safety - 1 Year|", "NHS|CSTF|Information Governance - 1 Year|", "NHS|CSTF|Equality - 3 Years|"]) {
      const [row] = await t.db("competencies").insert({ name }).returning("id");
      ids.push(Number(row.id ?? row));
    }
    await t.db("competence_requirements").insert([
      { position_id: position.id, competency_id: ids[0], essential: true, due_within_days: null },
      { position_id: position.id, competency_id: ids[1], essential: true, due_within_days: 7 },
      { position_id: position.id, competency_id: ids[2], essential: false, due_within_days: null },
    ]);
    await t.db("assignments").where({ person_id: learner.personId }).update({ start_date: STARTED });
  });
  afterAll(() => t.cleanup());

  it("shows on the compliance page what is due and by when, from the assignment's start", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const html = (await agent.get("/compliance").expect(200)).text;
    // A reason's date sits in a span that keeps it on one line: read the words, not the markup.
    const page = html.replace(/<span class="app-nowrap">([^<]*)<\/span>/g, "$1");
    expect(html).toContain('due by <span class="app-nowrap">09-Apr-2026</span>');
    expect(NEW_STARTER_DAYS).toBe(30);
    // Fire Safety: one month (30 days) from 10 March; Information Governance: 7 days, already past.
    expect(page).toMatch(/Fire Safety - 1 Year[\s\S]*?not held; due by 09-Apr-2026 \(from the assignment&#39;s start\)/);
    expect(page).toMatch(/Information Governance - 1 Year[\s\S]*?not held; was due by 17-Mar-2026/);
    // Not essential: nothing falls due (its row, up to the row's end, says no "due by").
    const equality = /Equality - 3 Years[\s\S]*?<\/tr>/.exec(page)?.[0];
    expect(equality).toContain("Equality - 3 Years");
    expect(equality).not.toContain("due by");
  });

  it("lists on the portal's compliance portlet what is due, soonest first", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const portal = (await agent.get("/").expect(200)).text;
    expect(portal).toContain("Due as a new starter");
    const items = [...portal.matchAll(/<li>((?:Was due|Due) by <strong>[^<]+<\/strong>: [^<]+)<\/li>/g)].map((match) => match[1]);
    expect(items).toEqual(["Was due by <strong>17-Mar-2026</strong>: NHS|CSTF|Information Governance - 1 Year", "Due by <strong>09-Apr-2026</strong>: NHS|CSTF|Fire Safety - 1 Year"]);
  });

  it("says the same in lms compliance, and nothing is due without a start date", async () => {
    const printed = await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", learner.username, "--json");
    expect(printed.code, printed.stderr).toBe(0);
    const rows: Array<{ competency: string; reason: string | null }> = JSON.parse(printed.stdout).assignments[0].rows;
    const reasons = rows.map((row) => row.reason);
    expect(rows.find((row) => row.competency.includes("Equality"))?.reason ?? "").not.toContain("due");
    expect(reasons).toContain("not held; due by 09-Apr-2026 (from the assignment's start)");
    expect(reasons).toContain("not held; was due by 17-Mar-2026 (from the assignment's start)");

    await t.db("assignments").where({ person_id: learner.personId }).update({ start_date: null });
    const without = JSON.parse((await lms({ ...t.env, LMS_NOW: NOW }, "compliance", "--username", learner.username, "--json")).stdout).assignments[0].rows.map((row: { reason: string | null }) => row.reason);
    expect(without.filter((reason: string | null) => reason?.includes("due by"))).toEqual([]);
    await t.db("assignments").where({ person_id: learner.personId }).update({ start_date: STARTED });
  });
});
