import { describe, expect, it } from "vitest";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { recordHeldElsewhere } from "../../server/compliance/approvals.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

/**
 * Issue 7's journey in real Chromium: an L&D administrator finds a learner, sees why a component
 * is not credited, approves a competence held from elsewhere, and exports the trust's compliance.
 */
describe("Learning and Development, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  it("finds a learner, sees why a component is not credited, approves a pending competence, and exports compliance as CSV", async () => {
    const { db, clock } = servers;
    const learner = await buildLearner(db, clock, { name: "Nkemelu, Ada" });
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Information Governance - 1 Year|" }).returning("id");
    const [certification] = await db("certifications").insert({ name: "297 Core Skills - Information Governance - 1 Year", competency_id: competency.id, competence_level: "1 - Assessed", valid_days: 365, complete_within_days: 30, renewable: true }).returning("id");
    await db("certification_components").insert({ certification_id: certification.id, position: 1, course_code: "297 Information Governance - Not Imported Yet", requires: "completion" });
    const position = await db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    await subscribe(db, clock, learner, Number(certification.id));
    await recordHeldElsewhere(db, clock, { personId: learner.personId, actorAccountId: Number((await db("accounts").where({ person_id: learner.personId }).first("id")).id), competencyId: Number(competency.id), achievedOn: clock.today(), evidence: "Information governance training at my last trust", ip: null, quotas: servers.config.quotas });
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
    expect(await page.locator("tr[data-component='297 Information Governance - Not Imported Yet'] [data-field=reason]").textContent()).toBe("This course is not available yet");

    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: "Awaiting Approval" }).click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Approve NHS|CSTF|Information Governance - 1 Year for Ada Nkemelu" }).click();
    await page.getByText("Decision saved.").waitFor();

    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { name: /Compliance by position/ }).waitFor();
    await expectAccessible(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('a[href^="/admin/reports/compliance-by-position.csv"]').click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true); // so that a spreadsheet reads it as UTF-8
    expect(csv.slice(1).split("\r\n")[0]).toBe("Position,Assignments,Required,Green,Amber,Red,Compliance Percentage");
    expect(csv).toMatch(/^Healthcare Assistant,\d+,\d+,1,/m); // the approved record counts: one Green
    await context.close();
  }, 60_000);

  it("keeps the catalog and uploads people in the browser: every bad row named first, then imported", async () => {
    const { db, clock } = servers;
    const admin = await buildLearner(db, clock, { role: "admin" });
    const longCode = "297 Safe and Effective Handling of Sharps in Community and Inpatient Settings - Part 1 - eLearning Module for Registered and Unregistered Staff";
    await db("courses").insert({ code: longCode, title: longCode, kind: "elearning", created_at: clock.now().toISOString() });
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, servers, admin);

    await page.getByRole("link", { name: "Catalog" }).click();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Add a competency" }).click();
    await page.getByLabel("Competency Name").fill("297|LOCAL|Sharps Safety|");
    await page.getByRole("button", { name: "Add competency" }).click();
    await page.getByText("The competency has been saved.").waitFor();
    await page.getByRole("link", { name: "Healthcare Assistant" }).click();
    await expectAccessible(page);
    await page.getByLabel("297|LOCAL|Sharps Safety|: required").selectOption("essential");
    await page.getByLabel("297|LOCAL|Sharps Safety|: due within days").fill("30");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("The position has been saved.").waitFor();
    await page.getByRole("link", { name: "Add a certification" }).click();
    // The component rows fit the window, however long the course codes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByLabel("Certification Name").fill("297 Core Skills - Sharps Safety - 1 Year");
    await page.getByLabel("Competency it gives").selectOption({ label: "297|LOCAL|Sharps Safety|" });
    await page.getByLabel("Competence level").fill("1 - Assessed");
    await page.getByLabel("Valid for (days)").fill("a year");
    await page.getByRole("button", { name: "Add certification" }).click(); // no component chosen, and the period in words
    await page.getByRole("heading", { name: "There is a problem" }).waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary")); // focus moves to the problems
    expect(await page.locator(".nhsuk-error-summary li").allTextContents()).toEqual(["Valid for (days): must be a whole number of days", "Components: a certification needs at least one component"]);
    expect(await page.getByLabel("Certification Name").inputValue()).toBe("297 Core Skills - Sharps Safety - 1 Year");
    await expectAccessible(page);

    const header = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position";
    const upload = async (csv: string) => {
      await page.goto(`${servers.lmsUrl}/admin/people/upload`);
      await page.getByLabel("CSV file").setInputFiles({ name: "new-starters.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByRole("button", { name: "Import" }).click();
    };
    await upload(`${header}\n,Ọlábísí,Tèmítọ́pẹ́,temi@example.org,01/02/1995,,,61000001,Healthcare Assistant\n,Bad,Email,not-an-email,1995-02-01,,,61000002,Healthcare Assistant\n,Bad,Position,bad.position@example.org,1995-02-01,,,61000003,Porter\n`);
    await page.getByText("new-starters.csv: 2 problems. Nothing was imported.").waitFor();
    await expectAccessible(page);
    expect(await page.locator("[data-report=problems] li").allTextContents()).toEqual(["Row 3, Email: must be an email address", 'Row 4, Position: no position named "Porter"']);
    expect(await db("people").where({ email: "temi@example.org" }).first()).toBeUndefined();
    await upload(`${header}\n,Ọlábísí,Tèmítọ́pẹ́,temi@example.org,01/02/1995,,,61000001,Healthcare Assistant\n`);
    await page.getByText("imported: 1 added, 0 changed, 0 unchanged (1 assignment in the file)").waitFor();
    await expectAccessible(page);
    expect((await db("people").where({ email: "temi@example.org" }).first("last_name")).last_name).toBe("Ọlábísí");
    await context.close();
  }, 60_000);
});
