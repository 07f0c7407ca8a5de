// Play and Preview buttons (/assets/play.js) in real Chromium: the player opens in a window of
// its own named per attempt, a second Play focuses it, a blocked pop-up is explained with an
// offer to play in this tab, and an author's Preview opens a preview attempt that credits nothing.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Page } from "playwright-core";
import { leavePlayer, loggedInLearner, scoFrame, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { attemptRow, commitLog } from "./stored-state.ts";
import { expectAccessible } from "./accessibility.ts";
import { resizeTo } from "./viewport.ts";

// Real windows, frames and two servers on a busy two-core machine: generous time per test.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

const COURSE = "000 Safeguarding Adults - Level 1";

let servers: LmsServers;
let browser: Browser;
let courseId: number;

withLmsAndBrowser(["safeguarding-adults-l1"], (started) => ({ servers, browser } = started));
beforeAll(async () => {
  courseId = Number((await servers.db("courses").where({ code: COURSE }).first("id")).id);
});

async function authorOnCoursePage(options: { blockPopups?: boolean } = {}) {
  const session = await loggedInLearner(browser, servers, { role: "author" });
  if (options.blockPopups) await session.context.addInitScript(() => (window.open = () => null));
  await session.page.goto(`${servers.lmsUrl}/author/courses/${courseId}`);
  return session;
}

/** Adds a Play form as the learner's pages render it (the lead's markup), and submits it. */
async function submitPlayForm(page: Page, target: string): Promise<void> {
  await page.evaluate(
    ([action, windowName]) => {
      const token = document.querySelector<HTMLInputElement>("input[name=_csrf]")!.value;
      const form = document.createElement("form");
      form.className = "js-play";
      form.method = "post";
      form.action = action;
      form.target = windowName;
      form.innerHTML = `<input type="hidden" name="_csrf" value="${token}"><button type="submit">Play</button>`;
      document.body.append(form);
      form.querySelector("button")!.click();
    },
    [`/learning/courses/${courseId}/play`, target] as const,
  );
}

describe("Play", () => {
  it("opens the player in a window named per attempt, and a second Play focuses that window", async () => {
    const { page, context, learner } = await authorOnCoursePage();
    const [player] = await Promise.all([page.waitForEvent("popup"), submitPlayForm(page, `lms-course-${courseId}`)]);
    await scoFrame(player, servers, "index.html");
    const attemptId = Number(/\/player\/attempts\/(\d+)$/.exec(player.url())![1]);
    expect(await player.evaluate(() => window.name)).toBe(`lms-attempt-${attemptId}`);
    await player.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    // The page now knows the attempt: its Play targets the attempt's window, which is focused.
    const popups: Page[] = [];
    page.on("popup", (popup) => popups.push(popup));
    await submitPlayForm(page, `lms-attempt-${attemptId}`);
    await page.waitForTimeout(500);
    expect(popups).toEqual([]);
    expect(context.pages()).toHaveLength(2);
    expect(await player.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await servers.db("attempts").where({ person_id: learner.personId })).toHaveLength(1);

    // The same start-type Play pressed again (the player has renamed its window): focused too.
    await submitPlayForm(page, `lms-course-${courseId}`);
    await page.waitForTimeout(500);
    expect(popups).toEqual([]);
    expect(context.pages()).toHaveLength(2);
    expect(await player.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // A link to the player (data-play-url) does the same.
    await page.evaluate((url) => {
      const link = document.createElement("a");
      link.href = url;
      link.dataset.playUrl = url;
      link.textContent = "Resume";
      document.body.append(link);
    }, `/player/attempts/${attemptId}`);
    await page.getByRole("link", { name: "Resume" }).click();
    await page.waitForTimeout(500);
    expect(popups).toEqual([]);
    expect(await player.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await player.close();
  });

  it("says so when a pop-up blocker stops the window, and plays in this tab on request; Home then returns to where Play was", async () => {
    const { page } = await authorOnCoursePage({ blockPopups: true });
    await page.getByRole("button", { name: "Preview version 1" }).click();
    await page.getByRole("alert").filter({ hasText: "The course window was blocked" }).waitFor();
    expect(page.url()).toBe(`${servers.lmsUrl}/author/courses/${courseId}`);

    await page.getByRole("button", { name: "Open the course in this tab" }).click();
    await page.waitForURL(/\/player\/attempts\/\d+$/);
    const sco = await scoFrame(page, servers, "index.html");
    await sco.getByRole("button", { name: "Session Overview", exact: true }).click();
    // A tab the script did not open cannot close itself: Home goes back to the course's page.
    await page.getByRole("button", { name: "Home" }).click();
    await page.waitForURL(`${servers.lmsUrl}/author/courses/${courseId}`);
  });
});

describe("Preview", () => {
  it("opens a preview attempt of that version for the author, marked as crediting nothing", async () => {
    const { page, learner } = await authorOnCoursePage();
    const [player] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Preview version 1" }).click()]);
    // A window opened while the machine is busy may take its time: a deadline, not a measurement.
    await player.getByText("Preview: nothing is credited").waitFor({ timeout: 60_000 });
    const sco = await scoFrame(player, servers, "index.html");
    await sco.getByRole("button", { name: "Session Overview", exact: true }).click();
    const attemptId = Number(/\/player\/attempts\/(\d+)$/.exec(player.url())![1]);
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());

    const attempt = await attemptRow(servers.db, attemptId);
    expect(Boolean(attempt.preview)).toBe(true);
    expect(attempt.person_id).toBe(learner.personId);
    expect(attempt.course_version_id).toBe(servers.versions.get(COURSE));
    expect((await commitLog(servers.db, attemptId)).at(-1)?.isTerminateCommit).toBe(true);
  });

  // Issue 20: a preview's result was shown nowhere. The player refreshes the course page on Home.
  it("shows on the course page, once the preview window closes, what the course reported", async () => {
    const { page } = await authorOnCoursePage();
    const [player] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Preview version 1" }).click()]);
    const sco = await scoFrame(player, servers, "index.html");
    for (const title of ["Session Overview", "The Aims of Safeguarding", "The Underpinning Principles", "Abuse and Neglect"]) {
      if (!(await sco.locator("[data-menu]").isVisible())) await sco.getByRole("button", { name: "Back to sections" }).click();
      await sco.getByRole("button", { name: title, exact: true }).click();
      await sco.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
    }
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());

    const reported = page.locator("[data-preview-version='1'] tbody tr");
    await reported.first().waitFor();
    // As read on a computer: the responsive table's headings in each cell show only on a phone.
    const cells = async (field: string) => (await reported.locator(`[data-field=${field}]`).innerText()).trim();
    expect(await reported.count()).toBe(1);
    expect(await cells("status")).toBe("Completed");
    expect(await cells("success")).toBe("Not reported");
    expect(await cells("score")).toBe("None");
    expect(await cells("time")).toMatch(/^(\d+ min )?\d+ s$/);

    // The page, previews and all, on a phone: nothing scrolls sideways.
    await resizeTo(page, 375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  });
});
