import { beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_LOGINS } from "../../server/demo/demo-logins.ts";
import { addDays } from "../../server/clock.ts";
import { withLmsAndBrowser, logIn, type LmsServers } from "./lms-servers.ts";

/**
 * The Compliance and Competency table as a learner reads it, in real Chromium: a competency's name
 * never breaks inside a word where its column could grow (a table's cells once broke anywhere:
 * "Safegua|rding"), the Details panel opens across the table (not squeezed into the Details
 * column, a word or two a line), and the date in a status's reason stays on one line.
 */
describe("the compliance table's words, in Chromium", () => {
  let servers: LmsServers;
  let browser: Browser;
  const learner = DEMO_LOGINS.find((person) => person.role === "learner")!;
  let amber = "";
  withLmsAndBrowser("demo trust", (started) => ({ servers, browser } = started), 180_000);

  beforeAll(async () => {
    const { db, clock } = servers;
    const person = await db("accounts").where({ username: learner.username }).first("person_id");
    // A required competency held until next month (its own records replaced): Amber, "expires on <date> - renew now".
    const required = await db("competence_requirements")
      .join("assignments", "assignments.position_id", "competence_requirements.position_id")
      .join("competencies", "competencies.id", "competence_requirements.competency_id")
      .where("assignments.person_id", person.person_id)
      .orderBy("competencies.name")
      .first("competencies.id", "competencies.name");
    expect(required, "the demo learner has a required competency").toBeDefined();
    await db("competence_records").where({ person_id: person.person_id, competency_id: required.id }).delete();
    amber = String(required.name);
    const today = clock.today();
    await db("competence_records").insert({ person_id: person.person_id, competency_id: required.id, level: "1 - Assessed", achieved_on: addDays(today, -300), expires_on: addDays(today, 30), source: "manual", status: "approved", created_at: `${today}T09:00:00.000Z` });
  }, 120_000);

  /** Each competency name's words split across lines (a word is a run of letters or digits: "|" and "-" may end a line). */
  const splitWords = (page: Page) =>
    page.$$eval("tr[data-competency] > td:nth-child(2) > span:last-child", (cells) =>
      cells.flatMap((cell) => {
        const text = cell.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return [`${cell.textContent}: not plain text`];
        return [...(text.textContent ?? "").matchAll(/[A-Za-z0-9]+/g)].flatMap((match) => {
          const range = document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
          return lines.size > 1 ? [`"${match[0]}" in "${cell.textContent}" is on ${lines.size} lines`] : [];
        });
      }),
    );

  it.each([
    { width: 1280, height: 800 },
    { width: 375, height: 800 },
  ])("at $width px: names whole, Details across the table, the reason's date on one line", async (viewport) => {
    const context = await browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      await logIn(page, servers, learner);
      await page.goto(`${servers.lmsUrl}/compliance`);
      expect(await page.locator("tr[data-competency]").count()).toBeGreaterThan(5);
      expect(await splitWords(page)).toEqual([]);

      // Closed, the panel is not shown; opened, it is the row under the competency, across the table.
      const row = page.locator(`tr[data-competency="${amber}"]`);
      const panel = page.locator(`tr.app-details-row[data-details-of="${amber}"]`);
      expect(await panel.isVisible()).toBe(false);
      await row.locator("summary").click();
      await panel.getByRole("heading", { name: "Record history" }).waitFor();
      const tableWidth = (await page.locator("table.app-compliance").boundingBox())!.width;
      const panelBox = (await panel.locator(".app-details__body").boundingBox())!;
      expect(panelBox.width).toBeGreaterThan(tableWidth * 0.85);
      // Its history reads as sentences, not a word or two a line.
      const history = panel.locator("[data-field=history] li").first();
      const lineHeight = await history.evaluate((element) => Number.parseFloat(getComputedStyle(element).lineHeight));
      expect((await history.boundingBox())!.height).toBeLessThan(lineHeight * 3.5);
      expect(await splitWords(page)).toEqual([]);
      // Below the row: the panel starts where the competency's row ends.
      const rowBox = (await row.boundingBox())!;
      expect(panelBox.y).toBeGreaterThanOrEqual(rowBox.y + rowBox.height - 1);

      // The Amber reason's date is one box on one line, whatever wraps around it.
      const date = row.locator(".app-reason .app-nowrap");
      expect(await date.textContent()).toMatch(/^\d{2}-[A-Z][a-z]{2}-\d{4}$/);
      expect(await row.locator(".app-reason").textContent()).toMatch(/^expires on \d{2}-[A-Z][a-z]{2}-\d{4} - renew now/);
      expect(await date.evaluate((element) => element.getClientRects().length)).toBe(1);
      const dateLine = await date.evaluate((element) => Number.parseFloat(getComputedStyle(element).lineHeight));
      expect((await date.boundingBox())!.height).toBeLessThan(dateLine * 1.5);

      // Closed again, the panel goes.
      await row.locator("summary").click();
      expect(await panel.isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});
