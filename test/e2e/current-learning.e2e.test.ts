import { describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { addDays } from "../../server/clock.ts";
import { guideDate } from "../../server/format.ts";
import { enrol, subscribe } from "../../server/learning/subscriptions.ts";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const COURSE = "297 Browser Test - Information Governance";

/**
 * In real Chromium: L&D gives a new starter's assignment its start date on the person's page, the
 * learner's portal then lists what is due and by when, and Current Learning lists and filters
 * their enrolments.
 */
describe("a new starter's due dates and Current Learning, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started), 60_000);

  it("shows what falls due from the start date L&D enter, and lists the learner's enrolments with a filter", async () => {
    const { db, clock } = servers;
    const learner = await buildLearner(db, clock, { name: "Mensah, Kofi" });
    const admin = await buildLearner(db, clock, { role: "admin" });
    const certification = await buildCertification(db, { name: "297 Core Skills - Information Governance - 1 Year", competency: "NHS|CSTF|Information Governance and Data Security - 1 Year|", validDays: 365, completeWithinDays: 365, components: [{ courseCode: COURSE }] });
    const position = await db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await db("competence_requirements").insert({ position_id: position.id, competency_id: certification.competencyId, essential: true });
    const [course] = await db("courses").insert({ code: COURSE, title: COURSE, created_at: clock.now().toISOString() }).returning("id");
    await db("classes").insert({ course_id: course.id, kind: "elearning", title: "E-Learning" });
    const assignment = await db("assignments").where({ person_id: learner.personId }).first("number");

    // L&D: the start date, typed into the person's page.
    const started = addDays(clock.today(), -3);
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await logIn(adminPage, servers, admin);
    await adminPage.goto(`${servers.lmsUrl}/admin/people/${learner.personId}/edit`);
    await adminPage.getByLabel("Assignment number").fill(String(assignment.number));
    await adminPage.getByLabel("Position").selectOption("Healthcare Assistant");
    await adminPage.getByLabel("Start date (optional)").fill(started);
    await adminPage.getByRole("button", { name: "Save assignment" }).click();
    await adminPage.getByRole("cell", { name: guideDate(started) }).waitFor();
    await expectAccessible(adminPage);
    await adminContext.close();

    // The learner: due within the month from that start.
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, servers, learner);
    const due = page.getByRole("heading", { name: "Due as a new starter" }).locator("xpath=following-sibling::ul[1]");
    expect(await due.textContent()).toContain(`Due by ${guideDate(addDays(started, 30))}: NHS|CSTF|Information Governance and Data Security - 1 Year`);

    await subscribe(db, clock, { personId: learner.personId }, certification.certificationId);
    await enrol(db, clock, { personId: learner.personId }, certification.certificationId, certification.componentIds[COURSE]!);
    await page.reload();
    await page.getByRole("link", { name: "All your learning, filtered: Current Learning" }).click();
    await page.getByRole("heading", { name: "Current Learning", level: 1 }).waitFor();
    const row = page.locator(`tr[data-course="${COURSE}"]`);
    expect(await row.locator('[data-field="component-status"]').textContent()).toBe("Planned");
    await expect.poll(() => row.getByText("Mandatory").count()).toBe(1);
    await expectAccessible(page);

    const filter = page.getByRole("form", { name: "Filter your learning" });
    await filter.getByLabel("Component Status").selectOption("Completed");
    await filter.getByRole("button", { name: "Go" }).click();
    await page.getByText("None of your enrolments match").waitFor();
    expect(await page.locator("tr[data-course]").count()).toBe(0);
    await filter.getByLabel("Component Status").selectOption("Planned");
    await filter.getByRole("button", { name: "Go" }).click();
    await row.waitFor();
    await context.close();
  }, 90_000);
});
