import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Browser } from "playwright-core";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const COURSE = "000 Safeguarding Adults - Level 1";
const CERTIFICATION = "297 Core Skills - Safeguarding Adults - Level 1 - 3 Years";
const QUESTION = "Can I do the eAssessment on my phone?";

/** Whether anything on the page reaches past the viewport's edge, making it scroll sideways. */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/**
 * Forums and Chats in real Chromium: a learner, on a phone-sized screen, asks a question from the
 * learning bar; an L&D administrator answers it; the learner's email is in the outbox, and its link
 * opens the answer, marked as L&D's. axe-core checks each page; none scrolls sideways at 375 px.
 */
describe("Forums and Chats, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  withLmsAndBrowser(["safeguarding-adults-l1"], (started) => ({ servers, browser } = started), 60_000);
  let certificationId: number;
  beforeAll(async () => {
    ({ certificationId } = await buildCertification(servers.db, { name: CERTIFICATION, competency: "NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|", components: [{ courseCode: COURSE }] }));
  }, 60_000);

  it("a learner asks from the learning bar, L&D answers, and the learner is emailed the answer", async () => {
    const { db, clock } = servers;
    const learner = await buildLearner(db, clock, { name: "Hughes, Megan", email: "megan.hughes@example.org" });
    const admin = await buildLearner(db, clock, { role: "admin", name: "Okafor, Grace" });

    // The learner, on a phone, subscribes, then asks in the certification's discussion.
    const phone = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    await logIn(phone, servers, learner);
    await phone.goto(`${servers.lmsUrl}/learning/certifications/${certificationId}`);
    await phone.getByRole("link", { name: "Subscribe" }).click();
    await phone.getByRole("button", { name: "Finish" }).click();
    await phone.getByRole("link", { name: "Forums and Chats: ask about this certification" }).waitFor();
    await phone.getByRole("navigation", { name: "Learning" }).getByRole("link", { name: "Forums and Chats" }).click();
    await phone.getByRole("heading", { name: "Forums and Chats", level: 1 }).waitFor();
    expect(await phone.getByRole("link", { name: "Forums and Chats", exact: true }).getAttribute("aria-current")).toBe("page");
    await expectAccessible(phone);
    expect(await scrollsSideways(phone)).toBe(false);
    await phone.getByRole("link", { name: CERTIFICATION }).click();
    await phone.getByRole("heading", { name: "Start a topic" }).waitFor();
    await expectAccessible(phone);
    expect(await scrollsSideways(phone)).toBe(false);

    // Sent empty first: both problems, each linked to its field.
    await phone.getByRole("button", { name: "Start topic" }).click();
    await phone.getByRole("heading", { name: "There is a problem" }).waitFor();
    expect(await phone.locator(".nhsuk-error-summary__list a").allTextContents()).toEqual(["Enter a title for your topic", "Enter your message"]);
    await expectAccessible(phone);
    await phone.getByRole("link", { name: "Enter your message" }).click();
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe("body");

    await phone.getByLabel("Title").fill(QUESTION);
    await phone.getByLabel("Message").fill("My break is 15 minutes.\nWill it keep my place?");
    await phone.getByRole("button", { name: "Start topic" }).click();
    await phone.getByRole("heading", { name: QUESTION, level: 1 }).waitFor();
    await phone.getByText("You follow this topic: replies are emailed to you.").waitFor();
    expect(await phone.locator(".app-forum-post__body").first().innerText()).toBe("My break is 15 minutes.\nWill it keep my place?");
    await expectAccessible(phone);
    expect(await scrollsSideways(phone)).toBe(false);

    // L&D, at a desk, find the question from the learning bar and answer it.
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await logIn(desk, servers, admin);
    await desk.getByRole("navigation", { name: "Learning" }).getByRole("link", { name: "Forums and Chats" }).click();
    await desk.getByRole("link", { name: CERTIFICATION }).click();
    expect(await desk.locator(".app-forum-list__item", { hasText: QUESTION }).locator(".nhsuk-tag").textContent()).toBe("Not answered yet");
    await expectAccessible(desk);
    await desk.getByRole("link", { name: QUESTION }).click();
    await expectAccessible(desk);
    await desk.getByLabel("Your reply").fill("Yes: it saves your place at each page. Press Home to leave, and Play to come back.");
    await desk.getByRole("button", { name: "Reply" }).click();
    await desk.locator(".app-forum-post--staff", { hasText: "it saves your place" }).waitFor();
    expect(await desk.locator(".app-forum-post--staff .app-forum-post__staff").textContent()).toBe("L&D");
    await expectAccessible(desk);

    // The email, read from the outbox as L&D read it in the demo (no mail server).
    await desk.goto(`${servers.lmsUrl}/admin/outbox`);
    await desk.getByRole("link", { name: `297 Forums and Chats: a reply in "${QUESTION}"` }).click();
    const body = (await desk.locator("[data-field=body]").textContent()) ?? "";
    expect(body).toContain("Dear Megan,");
    expect(body).toContain(`Grace Okafor (L&D) replied in "${QUESTION}", in the discussion of ${CERTIFICATION}.`);
    const link = /http:\/\/[^\s]+\/learning\/forums\/topics\/\d+/.exec(body)![0];
    const stored = await db("mail_outbox").where({ to_address: "megan.hughes@example.org" }).pluck("subject");
    expect(stored).toEqual([`297 Forums and Chats: a reply in "${QUESTION}"`]);

    // The learner follows the email's link to the answer, marked as L&D's.
    await phone.goto(link);
    const answer = phone.locator(".app-forum-post--staff");
    await answer.waitFor();
    expect(await answer.innerText()).toMatch(/Grace Okafor\s+L&D[\s\S]*Yes: it saves your place/);
    await expectAccessible(phone);
    expect(await scrollsSideways(phone)).toBe(false);
    await phone.getByRole("link", { name: CERTIFICATION }).click();
    expect(await phone.locator(".app-forum-list__item", { hasText: QUESTION }).locator(".nhsuk-tag").textContent()).toBe("Answered");
    await expectAccessible(phone);
    expect(await scrollsSideways(phone)).toBe(false);
    await phone.context().close();
    await desk.context().close();
  }, 90_000);
});
