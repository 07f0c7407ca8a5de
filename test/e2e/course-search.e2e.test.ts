import { describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const CERTIFICATION = "297 Core Skills - NHS Conflict Resolution - 3 Years";

/** Search Course in real Chromium, as the demo learner: the box above a learner page, and Advanced Search. */
describe("Search Course, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser("demo trust", (started) => ({ servers, browser } = started), 120_000);

  it("finds a course by an exact phrase from the compliance page and follows it to its certification", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, servers, { username: "297ECONROY01", password: "core-skills-demo" });
    await page.goto(`${servers.lmsUrl}/compliance`);
    const bar = page.getByRole("search", { name: "Search Course" });
    await page.getByRole("navigation", { name: "Learning" }).getByRole("link", { name: "Current Learning" }).waitFor();
    await page.getByRole("navigation", { name: "Learning" }).getByRole("link", { name: "Requested Learning" }).waitFor();

    await bar.getByLabel("Search Course").fill("Conflict Resolution - Part 2");
    await bar.getByLabel("Exact Phrase").check();
    await bar.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(/\/learning\/search\?q=Conflict\+Resolution\+-\+Part\+2&exact=1$/);
    await page.getByText('1 course matches "Conflict Resolution - Part 2" (Exact Phrase).').waitFor();
    const row = page.getByRole("row").filter({ hasText: "297 NHS Conflict Resolution - Part 2" });
    expect(await row.getByRole("cell").nth(1).textContent()).toContain("e-Learning");
    await row.getByRole("link", { name: `Subscribe: ${CERTIFICATION}` }).waitFor();
    // The box keeps what was searched for.
    expect(await bar.getByLabel("Search Course").inputValue()).toBe("Conflict Resolution - Part 2");
    expect(await bar.getByLabel("Exact Phrase").isChecked()).toBe(true);
    await expectAccessible(page);

    // Without Exact Phrase every word must be there, in any order, the start of a word enough: Part 1 too ("2" starts "297").
    await bar.getByLabel("Exact Phrase").uncheck();
    await bar.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(/\/learning\/search\?q=Conflict\+Resolution\+-\+Part\+2$/);
    await page.getByText('2 courses match "Conflict Resolution - Part 2".').waitFor();
    await page.getByRole("row").filter({ hasText: "297 NHS Conflict Resolution - Part 1" }).waitFor();

    await page.getByRole("link", { name: CERTIFICATION }).first().click();
    await page.getByRole("heading", { name: `Learning Certification: ${CERTIFICATION}` }).waitFor();
    // The bar is above the certification page too, empty again.
    expect(await page.getByRole("search", { name: "Search Course" }).getByLabel("Search Course").inputValue()).toBe("");
    await context.close();
  }, 90_000);

  it("narrows by course type and organisation in Advanced Search, and says when nothing matches", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, servers, { username: "297ECONROY01", password: "core-skills-demo" });
    await page.getByRole("search", { name: "Search Course" }).getByRole("link", { name: "Advanced Search" }).click();
    await page.getByRole("heading", { name: "Advanced Search", level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Course Type").selectOption({ label: "eAssessment" });
    await page.getByLabel("Organisation").selectOption("000");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("1 course matches your search.").waitFor();
    const row = page.getByRole("row").filter({ hasText: "000 Safeguarding Adults eAssessment - Level 1" });
    await row.getByRole("link", { name: "000 Core Skills - Safeguarding Adults - Level 1 - 3 Years", exact: true }).waitFor();
    await expectAccessible(page);

    const bar = page.getByRole("search", { name: "Search Course" });
    await bar.getByLabel("Search Course").fill('fire "NEAR(zebra)"');
    await bar.getByRole("button", { name: "Go" }).click();
    await page.getByText('No courses match "fire "NEAR(zebra)"".').waitFor();
    await expectAccessible(page);
    await context.close();
  }, 90_000);
});
