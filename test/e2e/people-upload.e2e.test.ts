import { describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

/** Upload people in Chromium: every problem at once, then Check only and Import the checked file without choosing it again. */
describe("Upload people, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  it("lists every problem at once, then checks a file and imports it without a second upload", async () => {
    const { db, clock } = servers;
    const admin = await buildLearner(db, clock, { role: "admin", assignments: [] });
    const header = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position";
    const page = await (await browser.newContext()).newPage();
    await logIn(page, servers, admin);
    await page.goto(`${servers.lmsUrl}/admin/people/upload`);

    await page.getByLabel("CSV file").setInputFiles({ name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n,Bad,Row,bad.row@example.org,31/02/1990,,,62000001,Porter\n`) });
    await page.getByRole("button", { name: "Check only" }).click();
    await page.getByText("staff.csv: 2 problems. Nothing was imported.").waitFor();
    const problems = await page.locator("[data-report=problems] li").allTextContents();
    expect(problems, problems.join(" | ")).toEqual([expect.stringMatching(/^Row 2, Date of Birth: "31\/02\/1990" must be a real date \(31\/02\/1990 does not exist\)/), expect.stringMatching(/^Row 2, Position: no position named "Porter"/)]);
    await expectAccessible(page);

    await page.getByLabel("CSV file").setInputFiles({ name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n,Conroy,Emma,emma.conroy@example.org,12/04/1988,,,62000002,Healthcare Assistant\n`) });
    await page.getByRole("button", { name: "Check only" }).click();
    await page.getByText("staff.csv is ready: 1 person with 1 assignment, no problems.").waitFor();
    await expectAccessible(page);
    expect(await db("people").where({ email: "emma.conroy@example.org" })).toEqual([]);
    await page.getByRole("button", { name: "Import staff.csv" }).click();
    await page.getByText("staff.csv imported: 1 added, 0 changed, 0 unchanged").waitFor();
    await expectAccessible(page);
    expect(await db("people").where({ email: "emma.conroy@example.org" })).toHaveLength(1);
  }, 60_000);
});
