import { beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { addDays, localDate } from "../../server/clock.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const COURSE = "000 Safeguarding Adults - Level 1";

/**
 * Issue 9's classroom journey in real Chromium: L&D add a class with one place; a learner takes
 * it; a second finds it full and joins the waiting list; the first cancels and the second is
 * promoted; L&D mark attendance and the component shows Completed.
 */
describe("classroom classes, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  let certificationId: number;
  withLmsAndBrowser(["safeguarding-adults-l1"], (started) => ({ servers, browser } = started), 60_000);
  beforeAll(async () => {
    const { db } = servers;
    const code = String((await db("courses").first("code")).code);
    expect(code).toBe(COURSE);
    ({ certificationId } = await buildCertification(db, { name: "297 Core Skills - Safeguarding Adults - Level 1 - 3 Years", competency: "NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|", completeWithinDays: 365, components: [{ courseCode: COURSE }] }));
  }, 60_000);

  const row = (page: Page) => page.locator(`tr[data-component='${COURSE}']`);
  async function subscribeAndChoose(page: Page) {
    await page.goto(`${servers.lmsUrl}/learning/certifications/${certificationId}`);
    await page.getByRole("link", { name: "Subscribe" }).click();
    await page.getByRole("button", { name: "Finish" }).click();
    await page.getByRole("link", { name: `Choose or Enrol in class: ${COURSE}` }).click();
    await page.getByRole("heading", { name: `Choose or Enrol in class: ${COURSE}` }).waitFor();
  }

  it("enrols in a class with places, joins the waiting list of a full one, is promoted when a place frees, and is credited for attending", async () => {
    const { db, clock } = servers;
    const admin = await buildLearner(db, clock, { role: "admin", name: "Okafor, Grace" });
    const first = await buildLearner(db, clock, { name: "Ash, Amy" });
    const second = await buildLearner(db, clock, { name: "Bell, Ben" });
    const tomorrow = addDays(localDate(clock.now()), 1);

    const lnd = await (await browser.newContext()).newPage();
    await logIn(lnd, servers, admin);
    await lnd.getByRole("link", { name: "Administration" }).click();
    await lnd.getByRole("link", { name: "Classes" }).click();
    await expectAccessible(lnd);
    await lnd.getByRole("link", { name: "Add a classroom class" }).click();
    await lnd.getByLabel("Course").selectOption({ label: COURSE });
    await lnd.getByLabel("Class title").fill("Safeguarding Adults - Workshop");
    await lnd.getByLabel("Date").fill(tomorrow);
    await lnd.getByLabel("Start time").fill("09:30");
    await lnd.getByLabel("End time").fill("12:30");
    await lnd.getByLabel("Venue").fill("Seminar Room 1");
    await lnd.getByLabel("Capacity").fill("1");
    await expectAccessible(lnd);
    await lnd.getByRole("button", { name: "Add class" }).click();
    await lnd.getByRole("heading", { name: "Class: Safeguarding Adults - Workshop" }).waitFor();
    await expectAccessible(lnd);
    const classUrl = lnd.url();

    // The first learner takes the only place.
    const amy = await (await browser.newContext()).newPage();
    await logIn(amy, servers, first);
    await subscribeAndChoose(amy);
    expect(await amy.locator(".app-class-choices").textContent()).toContain("1 place left");
    await expectAccessible(amy);
    await amy.getByLabel(/Safeguarding Adults - Workshop/).check();
    await amy.getByRole("button", { name: "Apply" }).click();
    // Component Status stays the guide's Planned until completed; the booking's state is in Enrolment Details.
    await row(amy).locator("[data-field=enrolment-details]", { hasText: "Enrolled" }).waitFor();
    expect(await row(amy).locator("[data-field=component-status]").textContent()).toBe("Planned");
    expect(await row(amy).locator("[data-field=enrolment-details]").textContent()).toContain("Seminar Room 1");
    // The booked class is the route that counts: no e-learning Play, and it says so.
    expect(await row(amy).locator("[data-field=route]").textContent()).toBe("Attend your class: the classroom class counts, not the e-learning");
    expect(await row(amy).getByRole("button", { name: /^Play/ }).count()).toBe(0);

    // The second finds it full and joins the waiting list.
    const ben = await (await browser.newContext()).newPage();
    await logIn(ben, servers, second);
    await subscribeAndChoose(ben);
    expect(await ben.locator(".app-class-choices").textContent()).toContain("Full - join the waiting list");
    await ben.getByLabel(/Safeguarding Adults - Workshop/).check();
    await ben.getByRole("button", { name: "Apply" }).click();
    await row(ben).locator("[data-field=enrolment-details]", { hasText: "Waiting List: position 1" }).waitFor();
    expect(await row(ben).locator("[data-field=component-status]").textContent()).toBe("Planned");
    await ben.goto(`${servers.lmsUrl}/learning/requested`);
    await ben.getByRole("heading", { name: "Requested Learning" }).waitFor();
    expect(await ben.locator(`tr[data-course='${COURSE}'] [data-field=state]`).textContent()).toBe("Waiting List: position 1");
    await expectAccessible(ben);

    // The first cancels; the second is promoted at once.
    await amy.getByRole("button", { name: `Cancel place: ${COURSE}` }).click();
    await amy.getByText("Your class booking is cancelled").waitFor();
    expect(await row(amy).locator("[data-field=component-status]").textContent()).toBe("Planned");
    await ben.reload();
    await ben.getByText("You have no requests waiting for approval or for a place.").waitFor();
    await ben.goto(`${servers.lmsUrl}/learning/certifications/${certificationId}`);
    expect(await row(ben).locator("[data-field=enrolment-details]").textContent()).toContain("Enrolled");
    expect(await row(ben).locator("[data-field=component-status]").textContent()).toBe("Planned");

    // The class takes place (moved to have started just now, after both subscribed): L&D mark attendance.
    // Just now, not a second ago: in a fast run Ben subscribed less than a second back, and
    // learning that started before the subscription counts for nothing (rule 1).
    const startsAt = new Date(Date.now() - 1).toISOString();
    await db("classes").where({ title: "Safeguarding Adults - Workshop" }).update({ starts_at: startsAt, ends_at: new Date(Date.now() + 3_600_000).toISOString() });
    await lnd.goto(classUrl);
    await expectAccessible(lnd);
    await lnd.getByRole("button", { name: "Attended: Bell, Ben" }).click();
    await lnd.getByText("Marked Attended").waitFor();
    expect(await lnd.locator("tr[data-person] [data-field=state]", { hasText: "Attended" }).count()).toBe(1);

    await ben.reload();
    expect(await row(ben).locator("[data-field=component-status]").textContent()).toBe("Completed");
    expect(await ben.locator(".app-subscription-status").getAttribute("data-status")).toBe("Completed");
  }, 120_000);
});
