import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { recordHeldElsewhere } from "../../server/compliance/approvals.ts";
import { CHROMIUM_ARGS, logIn, startLmsServers, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

/**
 * Issue 7's journey in real Chromium: an L&D administrator finds a learner, sees why a component
 * is not credited, approves a competence held from elsewhere, and exports the trust's compliance.
 */
describe("Learning and Development, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  beforeAll(async () => {
    servers = await startLmsServers([]);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await servers?.close();
  });

  it("finds a learner, sees why a component is not credited, approves a pending competence, and exports compliance as CSV", async () => {
    const { db, clock } = servers;
    const learner = await buildLearner(db, clock, { name: "Nkemelu, Ada" });
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Information Governance - 1 Year|" }).returning("id");
    const [certification] = await db("certifications").insert({ name: "297 Core Skills - Information Governance - 1 Year", competency_id: competency.id, competence_level: "1 - Assessed", valid_days: 365, complete_within_days: 30, renewable: true }).returning("id");
    await db("certification_components").insert({ certification_id: certification.id, position: 1, course_code: "297 Information Governance - Not Imported Yet", requires: "completion" });
    const position = await db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    await subscribe(db, clock, learner, Number(certification.id));
    await recordHeldElsewhere(db, clock, { personId: learner.personId, actorAccountId: Number((await db("accounts").where({ person_id: learner.personId }).first("id")).id), competencyId: Number(competency.id), achievedOn: clock.today(), evidence: "Information governance training at my last trust", ip: null });
    const admin = await buildLearner(db, clock, { role: "admin" });

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, servers, admin);
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: "Verify a learner" }).click();
    await page.getByLabel("Name, username or employee number").fill("nkemelu");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "Nkemelu, Ada" }).click();
    await page.getByRole("heading", { name: "Nkemelu, Ada" }).waitFor();
    await expectAccessible(page);
    expect(await page.locator("tr[data-component='297 Information Governance - Not Imported Yet'] [data-field=reason]").textContent()).toBe("this course is not available yet");

    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: "Awaiting Approval" }).click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Approve: Nkemelu, NHS|CSTF|Information Governance - 1 Year" }).click();
    await page.getByText("Decision saved.").waitFor();

    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { name: /Compliance by position/ }).waitFor();
    await expectAccessible(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export (CSV)" }).first().click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true); // so that a spreadsheet reads it as UTF-8
    expect(csv.slice(1).split("\r\n")[0]).toBe("Position,Assignments,Required,Green,Amber,Red,Compliance Percentage");
    expect(csv).toMatch(/^Healthcare Assistant,\d+,\d+,1,/m); // the approved record counts: one Green
    await context.close();
  }, 60_000);
});
