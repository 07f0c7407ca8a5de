import { describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const COURSE = "297 Moving and Handling - Practical";

/**
 * The NHS error pattern in real Chromium, on the forms L&D fill most: every problem at once, each
 * summary link taking the administrator to its field, the message beside it, and nothing left to
 * the browser's own tooltips; on a phone too, with nothing scrolling sideways.
 */
describe("form problems, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  const summaryLinks = (page: Page) => page.locator(".nhsuk-error-summary").getByRole("link").allTextContents();
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it("Add a class shows a past date, an end before the start, an empty venue and capacity 0 at once, each linked to its field", async () => {
    await servers.db("courses").insert({ code: COURSE, title: COURSE, kind: "elearning", created_at: servers.clock.now().toISOString() });
    const admin = await buildLearner(servers.db, servers.clock, { role: "admin" });
    for (const viewport of [{ width: 375, height: 800 }, { width: 1280, height: 800 }]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await logIn(page, servers, admin);
      await page.goto(`${servers.lmsUrl}/admin/classes/new`);
      await page.getByLabel("Course").selectOption({ label: COURSE });
      await page.getByLabel("Class title").fill("Practical Session");
      await page.getByLabel("Date", { exact: true }).fill("2020-01-15");
      await page.getByLabel("Start time").fill("14:00");
      await page.getByLabel("End time").fill("13:00");
      await page.getByLabel("Venue").fill("");
      await page.getByLabel("Capacity").fill("0");
      // An empty venue reaches the server: the browser does not stop the form with its own tooltip.
      await page.getByRole("button", { name: "Add class" }).click();
      await page.locator(".nhsuk-error-summary").waitFor();
      expect(await summaryLinks(page)).toEqual(["The class must start in the future", "The end time must be after the start time", "Enter the venue", "Capacity must be a whole number of places, 1 or more"]);
      for (const [link, field] of [["Enter the venue", "venue"], ["Capacity must be", "capacity"]] as const) {
        await page.locator(".nhsuk-error-summary").getByRole("link", { name: link }).click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe(field);
        expect(await page.locator(`#${field}-error`).textContent()).toContain(link);
      }
      expect(await page.getByLabel("Class title").inputValue()).toBe("Practical Session");
      expect(await overflow(page), `nothing scrolls sideways at ${viewport.width} px`).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await context.close();
    }
    expect(await servers.db("classes").where({ title: "Practical Session" })).toHaveLength(0);
  });

  it("Add a certification at 320 px: the problems above the table and in a component's row, each linked, nothing scrolling sideways", async () => {
    const author = await buildLearner(servers.db, servers.clock, { role: "author" });
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    await logIn(page, servers, author);
    await page.goto(`${servers.lmsUrl}/catalog/certifications/new`);
    await page.getByLabel("Certification Name").fill("297 Core Skills - Sharps Safety - 1 Year");
    await page.getByLabel("Valid for (days)").fill("three years");
    await page.getByLabel("Complete within (days)").fill("60");
    await page.getByRole("button", { name: "Add certification" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    expect(await summaryLinks(page)).toEqual(["Competency: choose the competency it gives", "Competence level: must not be empty", "Valid for (days): must be a whole number of days", "Components: a certification needs at least one component"]);
    await page.locator(".nhsuk-error-summary").getByRole("link", { name: "Components:" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("course-1");
    expect(await page.getByLabel("Valid for (days)").inputValue()).toBe("three years");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await context.close();
  });

  it("Add a person shows every problem at once on a phone, the date of birth's on its Day box", async () => {
    const admin = await buildLearner(servers.db, servers.clock, { role: "admin" });
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await logIn(page, servers, admin);
    await page.goto(`${servers.lmsUrl}/admin/people/new`);
    await page.getByLabel("First name").fill("Ann");
    await page.getByLabel("Email").fill("ann@");
    await page.getByLabel("Day").fill("30");
    await page.getByLabel("Month").fill("2");
    await page.getByLabel("Year").fill("1990");
    await page.getByRole("button", { name: "Add person" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    expect(await summaryLinks(page)).toEqual(["Enter the last name", "Enter an email address, like name@example.org", "Date of birth must be a real date (1990-02-30 does not exist)"]);
    await page.locator(".nhsuk-error-summary").getByRole("link", { name: "Date of birth" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("day");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await context.close();
  });
});
