import { beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_LOGINS } from "../../server/demo/demo-logins.ts";
import { addDays, localDate } from "../../server/clock.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { withLmsAndBrowser, logIn, type LmsServers } from "./lms-servers.ts";
import { wcag22Problems } from "./accessibility.ts";

/**
 * Issue 20's learner screens in real Chromium, on a phone and on a desktop, in the states the
 * all-pages journey does not reach: a certification just completed (observed 3), a component
 * booked on a classroom class (observed 8), the compliance table with a Details row open, its
 * Printable Page (observed 5), and forms that came back with problems (Deliver 2). Each page
 * scrolls only downwards and breaks no WCAG 2.2 AA rule.
 */
describe("the learner's screens, on a phone and on a desktop", () => {
  let servers: LmsServers;
  let browser: Browser;
  const learner = DEMO_LOGINS.find((person) => person.role === "learner")!;
  const paths: Record<string, string> = {};
  withLmsAndBrowser("demo trust", (started) => ({ servers, browser } = started), 180_000);

  beforeAll(async () => {
    const { db, clock } = servers;
    const person = await db("accounts").where({ username: learner.username }).first("person_id", "id");
    const personId = Number(person.person_id);
    // Completed yesterday: a subscription and the competence record its completion gave.
    const completed = await db("certifications").where({ name: "297 Core Skills - Fire Safety - 1 Year" }).first("id", "competency_id", "valid_days");
    const yesterday = addDays(clock.today(), -1);
    await db("subscriptions").insert({ person_id: personId, certification_id: completed.id, status: "Completed", subscribed_at: `${addDays(yesterday, -1)}T09:00:00.000Z`, complete_by: addDays(yesterday, 30), completed_at: `${yesterday}T12:00:00.000Z`, ended_at: `${yesterday}T12:00:00.000Z` });
    await db("competence_records").insert({ person_id: personId, competency_id: completed.competency_id, level: "1 - Assessed", achieved_on: yesterday, expires_on: addDays(yesterday, Number(completed.valid_days)), source: "certification", certification_id: completed.id, status: "approved", created_at: `${yesterday}T12:00:00.000Z` });
    paths.completed = `/learning/certifications/${completed.id}`;
    // A component taught in a classroom class, subscribed to (the class is booked in the browser).
    const classRow = await db("classes").join("courses", "courses.id", "classes.course_id").where("classes.kind", "classroom").orderBy("classes.id").first("classes.id", "courses.code");
    const component = await db("certification_components").where({ course_code: classRow.code }).first("id", "certification_id");
    await subscribe(db, clock, { personId, accountId: Number(person.id) }, Number(component.certification_id));
    paths.classroom = `/learning/certifications/${component.certification_id}`;
    paths.enrol = `${paths.classroom}/components/${component.id}/enrol`;
    paths.classId = String(classRow.id);
    expect(localDate(clock.now())).toBe(clock.today());
  }, 120_000);

  async function problemsOf(page: Page): Promise<string[]> {
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    return [...(scrollWidth > width ? [`the page is ${scrollWidth}px wide in a ${width}px viewport`] : []), ...(await wcag22Problems(page))];
  }

  it.each([
    { width: 375, height: 800 },
    { width: 1280, height: 800 },
  ])("at $width px: each screen in the guide's words, nothing sideways, no WCAG 2.2 AA violation", async (viewport) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, servers, learner);
    const failures: string[] = [];
    const check = async (what: string) => {
      const problems = await problemsOf(page);
      if (problems.length) failures.push(`${what}:\n    ${problems.join("\n    ")}`);
    };

    // Just completed: the completion leads, renewal waits, and there is no main Subscribe or Play.
    await page.goto(`${servers.lmsUrl}${paths.completed}`);
    await page.locator("[data-field=completion]").waitFor();
    expect(await page.locator("[data-field=renewal]").textContent()).toMatch(/^Renewal: Renewal opens on \d{2}-[A-Z][a-z]{2}-\d{4}, 3 months before your competency expires on /);
    expect(await page.getByRole("link", { name: /Subscribe/ }).count()).toBe(0);
    expect(await page.locator("[data-field=play] .nhsuk-button:not(.nhsuk-button--secondary)").count()).toBe(0);
    await check("a certification just completed");

    // Choose or Enrol in class: Apply with nothing chosen shows the error pattern; then book the class.
    await page.goto(`${servers.lmsUrl}${paths.enrol}`);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    await page.locator(".nhsuk-error-summary").getByRole("link", { name: "Choose a class, then Apply" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("classId");
    await check("Choose or Enrol in class, with its problem");
    await page.locator(`input[name=classId][value="${paths.classId}"]`).check();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.locator("[data-field=route]").waitFor();
    // Booked on a class: it says the class counts, and offers no e-learning Play for it.
    expect(await page.locator("[data-field=route]").textContent()).toBe("Attend your class: the classroom class counts, not the e-learning");
    expect(await page.locator("tr:has([data-field=route]) [data-field=play] button").count()).toBe(0);
    await check("a component booked on a classroom class");
    // Cancelled again, so that the other width books it afresh.
    await page.locator("tr:has([data-field=route])").getByRole("button", { name: /^Cancel place/ }).click();
    await page.getByText("Your class booking is cancelled").waitFor();

    // Compliance and Competency, a Details row open: record history and certifications.
    await page.goto(`${servers.lmsUrl}/compliance`);
    expect(await page.locator("[data-field=rows]").textContent()).toMatch(/^Rows 1 to \d+$/);
    const fire = page.locator("tr[data-competency^='NHS|CSTF|Fire Safety']");
    await fire.locator("summary").click();
    // Its panel is the row after it, across the whole table.
    await page.locator("tr.app-details-row[data-details-of^='NHS|CSTF|Fire Safety']").getByRole("link", { name: "297 Core Skills - Fire Safety - 1 Year" }).waitFor();
    // An expiry date on one line: its box is one line high.
    const expiry = fire.locator("[data-field=expiry-date] > span:not(.nhsuk-table-responsive__heading)");
    const lineHeight = await expiry.evaluate((element) => Number.parseFloat(getComputedStyle(element).lineHeight));
    expect((await expiry.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    await check("Compliance and Competency with Details open");

    // The Printable Page is the table alone, on screen too.
    await page.goto(`${servers.lmsUrl}/compliance?print=1`);
    await page.locator("table.app-compliance").waitFor();
    for (const absent of [".nhsuk-header", ".app-learning-bar", "footer", "form", ".app-tabs"]) expect(await page.locator(absent).count(), absent).toBe(0);
    await check("the Printable Page");

    for (const [what, path] of [
      ["the portal", "/"],
      ["Current Learning", "/learning/current"],
      ["Search Course results", "/learning/search?q=safeguarding"],
      ["Advanced Search with its problems", "/learning/search/advanced?competency=abc&type=webinar"],
    ] as const) {
      await page.goto(`${servers.lmsUrl}${path}`);
      await check(what);
    }
    // My e-Learning's Show mandatory learning only is YES until the learner says NO.
    await page.goto(`${servers.lmsUrl}/`);
    expect(await page.getByLabel("Show mandatory learning only").inputValue()).toBe("yes");
    await context.close();
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);
});
