// The player window with real SCORM 2004 courses in real Chromium: a one-SCO module whose flow
// is off (297 NHS Conflict Resolution - Part 2) and a sequenced three-SCO course
// (297 Fire Safety - Part 1), delivered by scorm-again's sequencer through the launcher.
import { describe, expect, it, vi } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { buildAttempt } from "../support/attempts.ts";
import { leavePlayer, loggedInLearner, openPlayer, scoFrame, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { attemptRow, commitLog, scoCmi, scoRows, sequencingState } from "./stored-state.ts";
import { expectAccessible } from "./accessibility.ts";

// Real windows, frames and two servers on a busy two-core machine: generous time per test.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

const MODULE = "297 NHS Conflict Resolution - Part 2";
const MODULE_SCO = "item-conflict-resolution-part-2";
const FIRE = "297 Fire Safety - Part 1";
const TOPICS = [
  { id: "item-fire-prevention", file: "fire-prevention.html", title: "Fire Prevention" },
  { id: "item-raising-the-alarm", file: "raising-the-alarm.html", title: "Raising the Alarm" },
  { id: "item-evacuation", file: "evacuation.html", title: "Evacuation" },
] as const;

let servers: LmsServers;
let browser: Browser;

withLmsAndBrowser(["conflict-resolution-part-2", "fire-safety-part-1"], (started) => ({ servers, browser } = started));

async function newAttempt(course: string) {
  const session = await loggedInLearner(browser, servers);
  const attemptId = await buildAttempt({ db: servers.db, personId: session.learner.personId, courseVersionId: servers.versions.get(course)! });
  return { ...session, attemptId };
}

async function viewSection(content: Frame, title: string): Promise<void> {
  if (!(await content.locator("[data-menu]").isVisible())) await content.getByRole("button", { name: "Back to sections" }).click();
  await content.getByRole("button", { name: title, exact: true }).click();
  await content.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
}

/** The topic on screen, once its launcher has loaded it. */
async function topic(player: Page, index: 0 | 1 | 2): Promise<Frame> {
  const sco = await scoFrame(player, servers, TOPICS[index].file);
  await sco.getByRole("heading", { level: 1, name: TOPICS[index].title }).waitFor();
  return sco;
}

describe("the player window with a SCORM 2004 module", () => {
  it("starts a course whose flow is off, exits via Home with suspendAll, and resumes at the bookmark", async () => {
    const { page, attemptId } = await newAttempt(MODULE);
    let player = await openPlayer(page, servers, attemptId);
    // One SCO: no contents list, no Previous / Next.
    expect(await player.getByRole("navigation", { name: "Previous and next" }).count()).toBe(0);
    let sco = await scoFrame(player, servers, "index.html");
    expect(await sco.evaluate(() => window.location.origin)).toBe(servers.contentUrl);
    await viewSection(sco, "Keeping Yourself Safe");
    await viewSection(sco, "Responding to Escalation");

    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    expect(await scoCmi(servers.db, attemptId, MODULE_SCO)).toMatchObject({ location: "responding-to-escalation", completion_status: "incomplete", exit: "suspend", progress_measure: "0.67" });
    // Home unloads the SCO first, with nothing of the player's pending: the content ends its own
    // session (suspended, being incomplete); then Home suspends the course, outside the SCO.
    const last = (await commitLog(servers.db, attemptId)).at(-1);
    expect(last).toMatchObject({ isTerminateCommit: true });
    expect(last?.navRequest).toBeUndefined();
    expect((await sequencingState(servers.db, attemptId))?.sequencing.suspendedActivity).toBe(MODULE_SCO);
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Incomplete");

    player = await openPlayer(page, servers, attemptId);
    sco = await scoFrame(player, servers, "index.html");
    await sco.getByRole("heading", { level: 2, name: "Responding to Escalation", exact: true }).waitFor({ timeout: 10_000 });
    expect(await sco.evaluate(() => (window.parent as unknown as { API_1484_11: { GetValue(e: string): string } }).API_1484_11.GetValue("cmi.entry"))).toBe("resume");
    await viewSection(sco, "After an Incident");
    // The course has no Home of its own: the player's, once complete, unloads the SCO (which exits
    // normally, asking nothing), then exits the course, which ends the sequencing session and the window.
    expect(await sco.getByRole("button", { name: "Home" }).count()).toBe(0);
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    expect(await scoCmi(servers.db, attemptId, MODULE_SCO)).toMatchObject({ completion_status: "completed", exit: "normal" });
    const final = (await commitLog(servers.db, attemptId)).at(-1);
    expect(final).toMatchObject({ isTerminateCommit: true });
    expect(final?.navRequest).toBeUndefined();
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Completed");
  });

  it("stores the final state when the window is closed without Home", async () => {
    const { page, attemptId } = await newAttempt(MODULE);
    const player = await openPlayer(page, servers, attemptId);
    const sco = await scoFrame(player, servers, "index.html");
    await viewSection(sco, "After an Incident");
    await player.close();
    await expect.poll(async () => (await commitLog(servers.db, attemptId)).at(-1)?.isTerminateCommit, { timeout: 10_000 }).toBe(true);
    expect(await scoCmi(servers.db, attemptId, MODULE_SCO)).toMatchObject({ location: "after-an-incident", exit: "suspend" });
  });
});

describe("a sequenced SCORM 2004 course", () => {
  it("delivers 297 Fire Safety - Part 1's SCOs in order, each with its own state and endpoint, and closes after the last", async () => {
    const { page, attemptId } = await newAttempt(FIRE);
    const player = await openPlayer(page, servers, attemptId);
    expect(await player.locator("[data-sco-id]").allTextContents()).toEqual(TOPICS.map((t) => t.title));

    let sco = await topic(player, 0);
    await expect.poll(() => player.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);
    await sco.getByRole("button", { name: "Mark as read" }).click();
    // The content's own Continue.
    await sco.getByRole("button", { name: "Next topic: Raising the Alarm" }).click();
    sco = await topic(player, 1);
    await expect.poll(() => player.locator("[data-tick]:not([hidden])").allTextContents()).toHaveLength(1);

    // The player's own Previous stands out from the blue bar it sits on.
    await expect.poll(() => player.getByRole("button", { name: "Previous" }).isEnabled()).toBe(true);
    const colours = await player.evaluate(() => ({
      button: getComputedStyle(document.querySelector("[data-player-previous]")!).backgroundColor,
      bar: getComputedStyle(document.querySelector(".app-player__bar")!).backgroundColor,
    }));
    expect(colours.button).not.toBe(colours.bar);
    expect(colours.button).not.toBe("rgba(0, 0, 0, 0)");

    // The player's own Next, while the SCO runs: the SCO is unloaded and finishes itself first.
    await expect.poll(() => player.getByRole("button", { name: "Next" }).isEnabled()).toBe(true);
    await player.getByRole("button", { name: "Next" }).click();
    sco = await topic(player, 2);
    await sco.getByRole("button", { name: "Mark as read" }).click();
    await leavePlayer(page, player, () => sco.getByRole("button", { name: "Finish Part 1" }).click());

    expect(await scoRows(servers.db, attemptId)).toEqual([
      { scoId: TOPICS[0].id, completionStatus: "completed", commitSequence: expect.any(Number) },
      { scoId: TOPICS[1].id, completionStatus: "incomplete", commitSequence: expect.any(Number) },
      { scoId: TOPICS[2].id, completionStatus: "completed", commitSequence: expect.any(Number) },
    ]);
    // Each SCO committed to its own endpoint, numbered from 1, ending with its terminate commit.
    for (const { id } of TOPICS) {
      const log = await commitLog(servers.db, attemptId, id);
      expect(log.map((entry) => entry.commitSequence)).toEqual(log.map((_, index) => index + 1));
      expect(log.at(-1)?.isTerminateCommit).toBe(true);
    }
    const order = (await commitLog(servers.db, attemptId)).map((entry) => entry.scoId).filter((id, index, all) => all[index - 1] !== id);
    expect(order).toEqual(TOPICS.map((t) => t.id));
    expect((await commitLog(servers.db, attemptId, TOPICS[0].id)).at(-1)?.navRequest).toBe("continue");
    expect((await commitLog(servers.db, attemptId, TOPICS[2].id)).at(-1)?.navRequest).toBe("continue");
    // Two of three topics: the course is not complete yet.
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Incomplete");
  });

  it("resumes at the topic the learner left with Home, with the sequencer's state restored, and the contents list chooses another", async () => {
    const { page, attemptId } = await newAttempt(FIRE);
    let player = await openPlayer(page, servers, attemptId);
    let sco = await topic(player, 0);
    await sco.getByRole("button", { name: "Mark as read" }).click();
    await sco.getByRole("button", { name: "Next topic: Raising the Alarm" }).click();
    sco = await topic(player, 1);
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    expect((await commitLog(servers.db, attemptId, TOPICS[1].id)).at(-1)).toMatchObject({ isTerminateCommit: true });
    // The sequencer's own state went with the commits: the suspended topic, the finished one.
    const suspended = await sequencingState(servers.db, attemptId);
    expect(suspended?.sequencing.suspendedActivity).toBe(TOPICS[1].id);
    expect(suspended?.sequencing.activityStates[TOPICS[0].id]?.completionStatus).toBe("completed");

    player = await openPlayer(page, servers, attemptId);
    sco = await topic(player, 1);
    expect(await player.locator("[data-tick]:not([hidden])").allTextContents()).toHaveLength(1);
    await player.getByRole("button", { name: "Evacuation" }).click();
    sco = await topic(player, 2);
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    expect((await scoRows(servers.db, attemptId)).map((row) => row.scoId)).toEqual(TOPICS.map((t) => t.id));
    expect((await commitLog(servers.db, attemptId, TOPICS[2].id)).at(-1)).toMatchObject({ isTerminateCommit: true });
    expect(await scoCmi(servers.db, attemptId, TOPICS[2].id)).toMatchObject({ exit: "suspend" });
    // Restored, not started afresh: the second session's tree still knows the first topic finished.
    const later = await sequencingState(servers.db, attemptId);
    expect(later?.sequencing.suspendedActivity).toBe(TOPICS[2].id);
    expect(later?.sequencing.activityStates[TOPICS[0].id]?.completionStatus).toBe("completed");
  });
});

// Issue 20: the player window showed two title bars and two Homes, its own and the course's.
describe("the player window's one title bar and one Home", () => {
  it("carries the guide's 'Click the Home icon to exit the course correctly >>>' beside the only Home, and is usable at 375 x 800", async () => {
    const { page, attemptId } = await newAttempt(FIRE);
    const player = await openPlayer(page, servers, attemptId);
    const sco = await topic(player, 0);

    expect(await player.getByRole("button", { name: "Home" }).count()).toBe(1);
    expect(await player.locator("header").count()).toBe(1);
    expect(await sco.getByRole("button", { name: "Home" }).count()).toBe(0);
    expect(await sco.locator("header, [data-action=home]").count()).toBe(0);
    const hint = player.getByText("Click the Home icon to exit the course correctly");
    expect((await hint.textContent())?.replace(/\s+/g, " ").trim()).toBe("Click the Home icon to exit the course correctly >>>");
    // The arrows point at Home: the words end where Home begins, on the same line, top right.
    const home = player.getByRole("button", { name: "Home" });
    const [words, button] = [(await hint.boundingBox())!, (await home.boundingBox())!];
    expect(words.x + words.width).toBeLessThanOrEqual(button.x);
    expect(Math.abs(words.y + words.height / 2 - (button.y + button.height / 2))).toBeLessThan(button.height);
    expect(button.x + button.width).toBeGreaterThan(1280 * 0.8);

    await player.setViewportSize({ width: 375, height: 800 });
    const overflow = await player.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const box of [(await home.boundingBox())!, (await hint.boundingBox())!]) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      expect(box.y + box.height).toBeLessThanOrEqual(800);
    }
    // The content frame takes the full width and runs to the bottom of the window, below the bar
    // and the contents list, with most of the screen for the course.
    const frame = (await player.locator("[data-player-frame]").boundingBox())!;
    expect(frame.width).toBe(375);
    expect(Math.round(frame.y + frame.height)).toBe(800);
    expect(frame.height).toBeGreaterThan(400);
    expect(await sco.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await expectAccessible(player);

    // Still the one Home that saves and leaves, on a phone too.
    await leavePlayer(page, player, () => home.click());
    expect((await commitLog(servers.db, attemptId, TOPICS[0].id)).at(-1)).toMatchObject({ isTerminateCommit: true });
  });

  // Review of issue 20: the title bar cut the course's name short ("297 NHS Conflict Resolution - Pa...")
  // at about 1100 px. The whole name shows, on one line on a wide screen, on two at most on a phone.
  it("shows the course's whole name at 1280 and 1100 px, and on a phone wraps it rather than hiding any", async () => {
    for (const course of [MODULE, FIRE]) {
      const { page, attemptId, context } = await newAttempt(course);
      const player = await openPlayer(page, servers, attemptId);
      const title = player.getByRole("heading", { level: 1 });
      for (const [width, lines] of [[1280, 1], [1100, 1], [375, 2]] as const) {
        await player.setViewportSize({ width, height: 800 });
        expect(await title.innerText()).toBe(course);
        const shown = await title.evaluate((heading) => {
          const style = getComputedStyle(heading);
          const box = heading.getBoundingClientRect();
          return {
            clipped: heading.scrollWidth > heading.clientWidth || style.textOverflow === "ellipsis",
            lines: Math.round(box.height / Number.parseFloat(style.lineHeight)),
            right: box.right,
          };
        });
        expect(shown.clipped, `${course} at ${width} px`).toBe(false);
        expect(shown.lines, `${course} at ${width} px`).toBeLessThanOrEqual(lines);
        expect(shown.right).toBeLessThanOrEqual(width);
        expect(await player.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        // Home stays on screen beside its words whatever the name's length.
        const home = (await player.getByRole("button", { name: "Home" }).boundingBox())!;
        expect(home.x + home.width).toBeLessThanOrEqual(width);
      }
      await context.close();
    }
  });
});
