import { describe, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

/** The page frame in real Chromium: Help from the login page and from the portal, and the Need Help? footer. */
describe("the page frame, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  it("opens Help before and after logging in, and shows who to contact on every page", async () => {
    const learner = await buildLearner(servers.db, servers.clock);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${servers.lmsUrl}/login`);
    await page.getByRole("contentinfo").getByRole("heading", { name: "Need Help?" }).waitFor();
    await page.getByRole("contentinfo").getByText("contact Learning and Development").waitFor();
    await page.getByRole("link", { name: "Help", exact: true }).click();
    await page.getByRole("heading", { name: "Help", level: 1 }).waitFor();
    await expectAccessible(page);

    await logIn(page, servers, learner);
    await page.getByText(`Logged In As ${learner.username}`).waitFor();
    await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Help", exact: true }).click();
    await page.getByRole("heading", { name: "Doing a course" }).waitFor();
    await page.getByRole("button", { name: "Logout" }).waitFor();
    await expectAccessible(page);
    await context.close();
  }, 60_000);
});
