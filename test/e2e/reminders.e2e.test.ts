import { describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildLearner } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";
import { resizeTo } from "./viewport.ts";

/**
 * L&D's weekly reminders in real Chromium: preview who gets what (and who is new, held back),
 * send, read what was sent in the history and the outbox; a second Send emails no one twice.
 */
describe("Reminders, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  const fitsPhone = async (page: Page) => {
    await resizeTo(page, 375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await resizeTo(page, 1280);
  };

  it("previews, sends this week's reminders once, and shows what was sent in the history and the outbox", async () => {
    const { db, clock } = servers;
    const [competency] = await db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    const veteran = await buildLearner(db, clock, { name: "Conroy, Emma", email: "emma.conroy@example.org" });
    // Here for a month: past the grace for new people.
    await db("people").where({ id: veteran.personId }).update({ created_at: new Date(clock.now().getTime() - 30 * 86_400_000).toISOString() });
    await buildLearner(db, clock, { name: "Novak, Ana", email: "ana.novak@example.org" }); // uploaded today
    const position = await db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    const admin = await buildLearner(db, clock, { role: "admin", name: "Okafor, Grace", assignments: [] });

    const page = await (await browser.newContext()).newPage();
    await logIn(page, servers, admin);
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: "Reminders" }).click();
    await page.getByRole("heading", { name: /^Reminders as of/ }).waitFor();
    await expectAccessible(page);
    await fitsPhone(page);
    const preview = page.locator("table[data-table=reminders]");
    expect(await preview.locator("tbody tr").count()).toBe(1);
    expect(await preview.locator(`tr[data-person="${veteran.personId}"]`).innerText()).toContain("NHS|CSTF|Fire Safety - 2 Years: not held");
    const held = await page.locator("table[data-table=held-back]").innerText();
    expect(held).toContain("Novak, Ana");
    expect(held).toContain("1 competency");

    await page.getByRole("button", { name: "Send 1 reminder" }).click();
    await page.getByText("1 reminder has been sent.").waitFor();
    await expectAccessible(page);
    await fitsPhone(page);
    expect(await page.locator("dd[data-field=emails]").innerText()).toBe("1");

    await page.getByRole("link", { name: "The email to emma.conroy@example.org" }).click();
    await page.getByText("Dear Emma,").waitFor();
    expect(await page.locator("main").innerText()).toContain("- NHS|CSTF|Fire Safety - 2 Years: not held");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Outbox" }).click();
    await expectAccessible(page);
    const outbox = await page.locator("main table").innerText();
    expect(outbox).toContain("emma.conroy@example.org");
    expect(outbox).toContain("297 Your mandatory training needs attention");
    expect(outbox).not.toContain("ana.novak@example.org");

    await page.getByRole("link", { name: "Reminders" }).click();
    await page.locator("[data-report=nothing-to-send]").waitFor(); // sent once: nothing left to send today
    const history = page.locator("table[data-table=history] tbody tr");
    expect(await history.count()).toBe(1);
    expect(await history.first().innerText()).toContain(admin.username);
    await expectAccessible(page);
    await history.first().getByRole("link").click();
    await page.getByRole("heading", { name: /^Reminders sent/ }).waitFor();
    expect(await page.locator("table[data-table=messages]").innerText()).toContain("Conroy, Emma");
    expect(await db("mail_outbox").where({ to_address: "emma.conroy@example.org" })).toHaveLength(1);
  }, 60_000);
});
