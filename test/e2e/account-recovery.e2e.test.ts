import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { CHROMIUM_ARGS, logIn, startLmsServers, type LmsServers } from "./lms-servers.ts";
import { accessibilityProblems } from "./accessibility.ts";

/**
 * The guide's "Getting your username" and "Getting your password" in real Chromium, with no mail
 * server: the email is read from the outbox by an administrator, as in the demo.
 */
describe("getting your username and password, in the browser", () => {
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

  async function expectAccessible(page: Page) {
    expect(await accessibilityProblems(page), page.url()).toEqual([]);
  }

  it("Forgot Username by email and date of birth, then the email's link to reset the password, then log in", async () => {
    const learner = await buildLearner(servers.db, servers.clock, { email: "emma.new@example.org", dob: "1988-04-12" });
    const admin = await buildLearner(servers.db, servers.clock, { role: "admin" });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${servers.lmsUrl}/login`);
    await page.getByRole("link", { name: "Forgotten | Request Username/Password | Unlock Account" }).click();
    await page.getByRole("heading", { name: "Forgot Username" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Email", { exact: true }).first().fill("emma.new@example.org");
    await page.getByLabel("Day").fill("12");
    await page.getByLabel("Month").fill("4");
    await page.getByLabel("Year").fill("1988");
    await page.getByRole("button", { name: "Forgot Username" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await expectAccessible(page);

    // The administrator reads the email in the outbox (no SMTP server in the demo).
    const office = await (await browser.newContext()).newPage();
    await logIn(office, servers, admin);
    await office.getByRole("link", { name: "Administration" }).click();
    await office.getByRole("link", { name: "Outbox" }).click();
    await expectAccessible(office);
    await expect.poll(async () => {
      await office.reload();
      return office.getByRole("link", { name: "297 User Name Lookup" }).count();
    }, { timeout: 10_000 }).toBe(1);
    await office.getByRole("link", { name: "297 User Name Lookup" }).click();
    const body = (await office.locator("[data-field=body]").textContent()) ?? "";
    expect(body).toContain(`Your username is: ${learner.username}`);
    const link = /http:\/\/localhost:\d+\/account\/reset\?token=[A-Za-z0-9_-]+/.exec(body)![0];

    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("New password", { exact: true }).fill("silver otter lighthouse");
    await page.getByLabel("New password again").fill("silver otter lighthouse");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password has been changed").waitFor();
    await logIn(page, servers, { username: learner.username.toLowerCase(), password: "silver otter lighthouse" });
    await page.getByText(`Logged In As`).waitFor();
    await context.close();
  }, 60_000);
});
