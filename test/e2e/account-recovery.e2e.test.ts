import { describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

/**
 * The guide's "Getting your username" and "Getting your password" in real Chromium, with no mail
 * server: the email is read from the outbox by an administrator, as in the demo.
 */
describe("getting your username and password, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  it("Forgot Username by email and date of birth, then the email's link to reset the password, then log in", async () => {
    const learner = await buildLearner(servers.db, servers.clock, { email: "emma.new@example.org", dob: "1988-04-12" });
    const admin = await buildLearner(servers.db, servers.clock, { role: "admin" });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${servers.lmsUrl}/login`);
    await page.getByRole("link", { name: "Forgotten | Request Username/Password | Unlock Account", exact: true }).click();
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
      return office.getByRole("link", { name: "297 ESR User Name Lookup" }).count();
    }, { timeout: 10_000 }).toBe(1);
    await office.getByRole("link", { name: "297 ESR User Name Lookup" }).click();
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

  /** The administrator's view of the newest message with this subject: its body. */
  async function readOutbox(office: Page, subject: string): Promise<string> {
    await office.goto(`${servers.lmsUrl}/admin/outbox`);
    await expect.poll(async () => {
      await office.reload();
      return office.getByRole("link", { name: subject }).count();
    }, { timeout: 10_000 }).toBeGreaterThan(0);
    await office.getByRole("link", { name: subject }).first().click();
    return (await office.locator("[data-field=body]").textContent()) ?? "";
  }

  it("told to wait after 5 wrong passwords from one place; Unlock Account ends the wait; then Change password", async () => {
    const learner = await buildLearner(servers.db, servers.clock, { email: "locked.person@example.org" });
    const admin = await buildLearner(servers.db, servers.clock, { role: "admin" });
    const office = await (await browser.newContext()).newPage();
    await logIn(office, servers, admin);

    const context = await browser.newContext();
    const page = await context.newPage();
    for (let n = 0; n < 6; n++) {
      await page.goto(`${servers.lmsUrl}/login`);
      await page.getByLabel("Username*").fill(learner.username);
      await page.getByLabel("Password*").fill(n < 5 ? "not my password at all" : learner.password);
      await page.getByRole("button", { name: "Log in via Username Password" }).click();
      // The sixth, with the right password, from the same browser and address: this source waits.
      await page.locator(".nhsuk-error-summary").getByText(n < 5 ? "The username or password is not correct" : "Too many wrong passwords for this username from your network. Wait 1 minute").waitFor();
    }

    await page.getByRole("link", { name: "Forgotten | Request Username/Password | Unlock Account", exact: true }).click();
    // The design system's error pattern, in the browser: both problems at once, each link taking the
    // learner to its field, the message beside it; nothing stopped by the browser's own checks.
    const lookup = page.locator("form[action='/forgotten/username']");
    await lookup.getByLabel("Email").fill("not an address");
    await lookup.getByLabel("Day").fill("30");
    await lookup.getByLabel("Month").fill("2");
    await lookup.getByLabel("Year").fill("2026");
    await lookup.getByRole("button", { name: "Forgot Username" }).click();
    const summary = page.locator(".nhsuk-error-summary");
    await summary.waitFor();
    expect(await summary.getByRole("link").allTextContents()).toEqual(["Enter your email address, like first.last@domain.com", "Date of birth must be a real date (2026-02-30 does not exist)"]);
    await summary.getByRole("link", { name: "Date of birth must be a real date" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("dob-day");
    expect(await page.locator("#dob-day-error").textContent()).toContain("Date of birth must be a real date (2026-02-30 does not exist)");
    await expectAccessible(page);
    const unlock = page.locator("form[action='/forgotten/unlock']");
    await unlock.getByLabel("Username").fill(learner.username);
    await unlock.getByLabel("Email").fill("locked.person@example.org");
    await unlock.getByRole("button", { name: "Unlock Account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();

    const body = await readOutbox(office, "297 Unlock your account");
    const link = /http:\/\/localhost:\d+\/account\/unlock\?token=[A-Za-z0-9_-]+/.exec(body)![0];
    await page.goto(link);
    await page.getByRole("heading", { name: "Unlock your account" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Unlock Account" }).click();
    await page.getByText("Your account is unlocked").waitFor();
    await logIn(page, servers, learner);

    await page.getByRole("link", { name: "Change password" }).click();
    await page.getByRole("heading", { name: "Change password" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Current password").fill(learner.password);
    await page.getByLabel("New password", { exact: true }).fill("quiet harbour lantern");
    await page.getByLabel("New password again").fill("quiet harbour lantern");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password has been changed.").waitFor();
    await page.getByRole("button", { name: "Logout" }).click();
    await logIn(page, servers, { username: learner.username, password: "quiet harbour lantern" });

    // The administrator's trail of it.
    await office.goto(`${servers.lmsUrl}/admin/audit`);
    await expectAccessible(office);
    for (const kind of ["login.source_delayed", "account.unlock_requested", "account.unlocked", "account.password_changed"]) expect(await office.locator(`tr[data-kind='${kind}']`).count(), kind).toBeGreaterThan(0);
    await context.close();
  }, 60_000);
});
