import { describe, expect, it } from "vitest";
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { addCalendarMonths } from "../../server/clock.ts";
import { guideDate } from "../../server/format.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible, wcag22Problems } from "./accessibility.ts";
import { resizeTo } from "./viewport.ts";

/**
 * Issue 20, Reports in real Chromium: an L&D administrator sees the trust's trend chart, opens the
 * people who make a position Red (and downloads them), and is shown a wrong As of date on the form;
 * each page accessible and none wider than a phone at 375 px.
 */
describe("Reports, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  /** axe-core finds no violation of WCAG 2.2 AA, of any impact, and the page is no wider than the window, on a phone and on a desktop. */
  async function expectAccessibleAndNarrow(page: Page): Promise<void> {
    for (const [width, height] of [[375, 800], [1280, 800]] as const) {
      await resizeTo(page, width, height);
      await expectAccessible(page);
      expect(await wcag22Problems(page), `${page.url()} at ${width} px`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${page.url()} at ${width} px`).toBeLessThanOrEqual(width);
    }
  }

  it("sees the trust's trend chart, opens the people who make a position Red, and downloads them", async () => {
    const { db, clock } = servers;
    const today = clock.today();
    const admin = await buildLearner(db, clock, { role: "admin", name: "Okoro, Tolu" });
    const organisation = await db("organisations").where({ vpd: "297" }).first("id");
    const [position] = await db("positions").insert({ organisation_id: organisation.id, name: "Theatre Practitioner" }).returning("id");
    const [competency] = await db("competencies").insert({ name: "297|LOCAL|Surgical Safety Checklist|" }).returning("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    const held = await buildLearner(db, clock, { name: "Achebe, Ngozi", assignments: [{ number: "61000001", position: "Theatre Practitioner" }] });
    await buildLearner(db, clock, { name: "Quayle, Rhiannon", employeeNumber: "71000002", assignments: [{ number: "61000002", position: "Theatre Practitioner" }] });
    await db("assignments").where({ number: "61000002" }).update({ line_manager_id: held.personId }); // Quayle reports to Achebe
    // Achieved two months ago: Red before then, Green since, so the trend changes.
    const achieved = addCalendarMonths(today, -2);
    await db("competence_records").insert({ person_id: held.personId, competency_id: competency.id, level: "1 - Assessed", achieved_on: achieved, expires_on: addCalendarMonths(achieved, 36), source: "manual", status: "approved", created_at: `${achieved}T09:00:00Z` });

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, servers, admin);
    await page.getByRole("link", { name: "Administration" }).first().click();
    await page.getByRole("link", { name: "Reports" }).first().click();
    const trend = page.getByRole("img", { name: /The trust's compliance, month by month/ });
    await trend.waitFor();
    expect(await trend.getAttribute("aria-labelledby")).toBe("trend-chart-title trend-chart-desc");
    expect(await page.locator("#trend-chart-desc").textContent()).toMatch(/^Compliance Percentage went from 0\.0% at the end of \w{3} \d{4} to 50\.0% on /);
    expect(await page.locator("table[data-report=trend] tbody tr").count()).toBe(12);
    expect(await page.locator("table[data-report=trend] tbody tr").last().getByRole("link", { name: `1 Red on ${guideDate(today)}` }).count()).toBe(1);
    await page.getByRole("img", { name: /Compliance by position/ }).waitFor();
    await expectAccessibleAndNarrow(page);

    await page.getByRole("link", { name: "1 Red, Theatre Practitioner" }).click();
    await page.getByRole("heading", { name: /^Theatre Practitioner: Red, as of/ }).waitFor();
    const rows = page.locator("table[data-report=people] tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-employee-number")).toBe("71000002");
    expect(await rows.first().getByRole("link", { name: "Quayle, Rhiannon" }).count()).toBe(1);
    expect(await rows.first().locator("[data-field=status]").innerText()).toMatch(/Red$/);
    expect(await rows.first().locator("[data-field=line-manager]").innerText()).toMatch(/Achebe, Ngozi$/);
    await expectAccessibleAndNarrow(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Export \(CSV\)/ }).click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.slice(1).split("\r\n").filter(Boolean)).toEqual(["Employee Number,Name,Assignment,Position,Line Manager,Competency Name,Status,Expiry Date", `71000002,"Quayle, Rhiannon",61000002,Theatre Practitioner,"Achebe, Ngozi",297|LOCAL|Surgical Safety Checklist,Red,Not held`]);

    // A wrong date comes back on the form, the summary's link taking the user to the field.
    await page.getByRole("textbox", { name: "As of" }).fill("2026-02-30");
    await page.getByRole("button", { name: "Show the report" }).click();
    await page.getByRole("heading", { name: "There is a problem" }).waitFor();
    await page.getByRole("link", { name: "The As of date must be a real date (2026-02-30 does not exist)" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("asOf");
    expect(await page.getByRole("textbox", { name: "As of" }).inputValue()).toBe("2026-02-30");
    await expectAccessibleAndNarrow(page);
    await context.close();
  }, 90_000);
});
