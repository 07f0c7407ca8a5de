// The player window with a real SCORM 1.2 course (000 Safeguarding Adults - Level 1) in real
// Chromium: the LMS and the content server on two origins, the SCO under the launcher, commits
// to the real runtime endpoints, and what the database holds afterwards.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Frame } from "playwright-core";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { leavePlayer, logIn, loggedInLearner, openPlayer, scoFrame, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { parseTimespan } from "../../server/scorm/time.ts";
import { attemptRow, commitLog, scoCmi } from "./stored-state.ts";

// Real windows, frames and two servers on a busy two-core machine: generous time per test.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

const COURSE = "000 Safeguarding Adults - Level 1";
const SCO = "item-safeguarding-adults-l1";
const MULTI = "297 Test 1.2 Three Lessons";

// Three SCOs in two levels; each page starts its session and finishes it, completed, on a button.
const lesson = (title: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><button type="button" id="done">Complete ${title}</button><pre id="read-at-start"></pre>
<script>
  var api = window.parent.API;
  api.LMSInitialize("");
  // What content reads straight after LMSInitialize: all of it must come from the launcher's cache.
  document.getElementById("read-at-start").textContent = JSON.stringify({
    totalTime: api.LMSGetValue("cmi.core.total_time"),
    coreChildren: api.LMSGetValue("cmi.core._children"),
    version: api.LMSGetValue("cmi._version"),
  });
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  document.getElementById("done").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
    api.LMSFinish("");
  });
</script></body></html>`;
const MULTI_FILES = {
  "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="three" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>${MULTI}</title>
    <item identifier="M"><title>Module</title>
      <item identifier="L1" identifierref="R1"><title>One</title></item>
      <item identifier="L2" identifierref="R2" parameters="?page=2"><title>Two</title></item>
    </item>
    <item identifier="L3" identifierref="R3"><title>Three</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="one/index.html"><file href="one/index.html"/></resource>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="two/index.html"><file href="two/index.html"/></resource>
    <resource identifier="R3" type="webcontent" adlcp:scormtype="sco" href="three/index.html"><file href="three/index.html"/></resource>
  </resources>
</manifest>`,
  "one/index.html": lesson("One"),
  "two/index.html": lesson("Two"),
  "three/index.html": lesson("Three"),
};

// The same lessons, where Two and Three may be opened only once One is done (adlcp:prerequisites).
const LOCKED = "297 Test 1.2 Lessons In Turn";
const LOCKED_FILES = {
  ...MULTI_FILES,
  "imsmanifest.xml": MULTI_FILES["imsmanifest.xml"]
    .replace(`<title>${MULTI}</title>`, `<title>${LOCKED}</title>`)
    .replace(`<title>Two</title></item>`, `<title>Two</title><adlcp:prerequisites type="aicc_script">L1</adlcp:prerequisites></item>`)
    .replace(`<title>Three</title></item>`, `<title>Three</title><adlcp:prerequisites type="aicc_script">L1 &amp; L2 = "completed"</adlcp:prerequisites></item>`),
};

let servers: LmsServers;
let browser: Browser;

withLmsAndBrowser(["safeguarding-adults-l1"], (started) => ({ servers, browser } = started));
beforeAll(async () => {
  servers.versions.set(MULTI, await importCourseVersion(servers, MULTI_FILES, MULTI));
  servers.versions.set(LOCKED, await importCourseVersion(servers, LOCKED_FILES, LOCKED));
});

async function newAttempt(course = COURSE) {
  const session = await loggedInLearner(browser, servers);
  const attemptId = await buildAttempt({ db: servers.db, personId: session.learner.personId, courseVersionId: servers.versions.get(course)! });
  return { ...session, attemptId };
}

async function viewSection(content: Frame, title: string): Promise<void> {
  if (!(await content.locator("[data-menu]").isVisible())) await content.getByRole("button", { name: "Back to sections" }).click();
  await content.getByRole("button", { name: title, exact: true }).click();
  await content.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
}

/** Waits until the server holds commits up to what the content has just done. */
async function settled(attemptId: number, check: (cmi: Record<string, unknown>) => boolean): Promise<void> {
  await expect.poll(async () => check(await scoCmi(servers.db, attemptId, SCO)), { timeout: 10_000 }).toBe(true);
}

describe("the player window with a SCORM 1.2 course", () => {
  it("runs the SCO on the content origin, where it can neither read nor ride the learner's LMS session", async () => {
    const { page, context, attemptId } = await newAttempt();
    const player = await openPlayer(page, servers, attemptId);
    expect(new URL(player.url()).origin).toBe(servers.lmsUrl);
    const sco = await scoFrame(player, servers, "index.html");
    // The launcher and the SCO both run on the content origin; the real API stays in the player window.
    expect(new URL(sco.parentFrame()!.url()).pathname).toMatch(/^\/launch\//);
    expect(await sco.evaluate(() => window.location.origin)).toBe(servers.contentUrl);
    expect(await sco.evaluate(() => typeof (window.parent as unknown as { API?: unknown }).API)).toBe("object");

    // The learner is logged in on the LMS origin, with an HttpOnly session cookie...
    const cookies = await context.cookies(servers.lmsUrl);
    expect(cookies.find((cookie) => cookie.name === "lms.sid")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    // ...which the content can neither see nor send.
    expect(await sco.evaluate(() => document.cookie)).toBe("");
    expect(await context.cookies(servers.contentUrl)).toEqual([]);
    const readLms = await sco.evaluate(async (lms) => {
      try {
        const response = await fetch(`${lms}/`, { credentials: "include" });
        return `read ${response.status}`;
      } catch {
        return "blocked";
      }
    }, servers.lmsUrl);
    expect(readLms).toBe("blocked");
    await sco.evaluate((lms) => fetch(`${lms}/healthz?probe=content`, { mode: "no-cors", credentials: "include" }).then(() => undefined, () => undefined), servers.lmsUrl);
    await expect.poll(() => servers.seen.some((request) => request.url === "/healthz?probe=content")).toBe(true);
    const probe = servers.seen.find((request) => request.url === "/healthz?probe=content")!;
    expect(probe.cookie ?? "").not.toContain("lms.sid");
    expect(probe.origin).toBe(servers.contentUrl);
    // Nor can it reach into the player window's page.
    expect(await sco.evaluate(() => {
      try {
        return window.top!.document.title;
      } catch {
        return "cross-origin";
      }
    })).toBe("cross-origin");
    await player.close();
  });

  it("exits via Home: the window closes, the opener refreshes, and the bookmark and ticks are stored; Play again resumes there", async () => {
    const { page, attemptId } = await newAttempt();
    await page.evaluate(() => ((window as unknown as { beforeHome: boolean }).beforeHome = true));
    let player = await openPlayer(page, servers, attemptId);
    let sco = await scoFrame(player, servers, "index.html");
    await viewSection(sco, "Session Overview");
    await viewSection(sco, "The Aims of Safeguarding");

    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    // The opener was reloaded, to show the new status.
    expect(await page.evaluate(() => (window as unknown as { beforeHome?: boolean }).beforeHome ?? false)).toBe(false);

    const cmi = await scoCmi(servers.db, attemptId, SCO);
    expect(cmi).toMatchObject({ core: { lesson_location: "aims-of-safeguarding", lesson_status: "incomplete", exit: "suspend" } });
    expect(JSON.parse(String(cmi.suspend_data))).toEqual({ viewed: ["session-overview", "aims-of-safeguarding"] });
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Incomplete");
    const log = await commitLog(servers.db, attemptId);
    expect(log.at(-1)).toMatchObject({ isTerminateCommit: true });
    expect(log.map((entry) => entry.commitSequence)).toEqual(log.map((_, index) => index + 1));

    // Resume: the content reads its bookmark straight after LMSInitialize, from the launcher's cache.
    player = await openPlayer(page, servers, attemptId);
    sco = await scoFrame(player, servers, "index.html");
    await sco.getByRole("heading", { level: 2, name: "The Aims of Safeguarding", exact: true }).waitFor({ timeout: 10_000 });
    expect(await sco.locator("[data-section='aims-of-safeguarding']").isVisible()).toBe(true);
    await sco.getByRole("button", { name: "Back to sections" }).click();
    expect(await sco.locator("[data-tick]:not([hidden])").count()).toBe(2);
    await player.close();
  });

  it("still stores the final state when the window is closed without Home", async () => {
    const { page, attemptId } = await newAttempt();
    const player = await openPlayer(page, servers, attemptId);
    const sco = await scoFrame(player, servers, "index.html");
    await viewSection(sco, "The Underpinning Principles");
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "underpinning-principles");
    await viewSection(sco, "Abuse and Neglect");
    // The content's SetValue crosses frames by postMessage: close only once the player's API holds
    // it, so the test asks what it means to (the last state the LMS had is kept), not a race.
    await expect
      .poll(() => player.evaluate(() => (window as unknown as { API: { LMSGetValue(name: string): string } }).API.LMSGetValue("cmi.core.lesson_location")))
      .toBe("abuse-and-neglect");
    await player.close();

    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "abuse-and-neglect");
    // The last commit is a terminate commit, and the session is suspended so that the next one resumes.
    await expect.poll(async () => (await commitLog(servers.db, attemptId)).at(-1)?.isTerminateCommit).toBe(true);
    expect((await scoCmi(servers.db, attemptId, SCO)).core).toMatchObject({ exit: "suspend" });
    // The content never reported its session time (it does so on its own unload): the time since
    // launch was, so the session counts toward the total.
    expect(parseTimespan("1.2", String(((await scoCmi(servers.db, attemptId, SCO)).core as { session_time?: string }).session_time))).toBeGreaterThan(0);
    expect(Number((await attemptRow(servers.db, attemptId) as { total_time_ms?: unknown }).total_time_ms)).toBeGreaterThan(0);
    const reopened = await openPlayer(page, servers, attemptId);
    const resumed = await scoFrame(reopened, servers, "index.html");
    await resumed.getByRole("heading", { level: 2, name: "Abuse and Neglect", exact: true }).waitFor({ timeout: 10_000 });
    await reopened.close();
  });

  it("keeps the progress made after the learner's session ended, and saves it at the next Play after logging in", async () => {
    const { page, attemptId, learner } = await newAttempt();
    let player = await openPlayer(page, servers, attemptId);
    let sco = await scoFrame(player, servers, "index.html");
    await viewSection(sco, "Session Overview");
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "session-overview");

    // The session ends (Logout in the portal tab; an idle timeout does the same).
    await page.evaluate(async () => {
      const token = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      await fetch("/logout", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: token }) });
    });
    await viewSection(sco, "The Aims of Safeguarding");
    await player.locator("[data-player-alert]").filter({ hasText: "no longer logged in" }).waitFor();
    await player.close();
    expect((await scoCmi(servers.db, attemptId, SCO)).core).toMatchObject({ lesson_location: "session-overview" });

    // Logged in again, Play sends what was kept, in order, before the course starts.
    await logIn(page, servers, learner);
    player = await openPlayer(page, servers, attemptId);
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "aims-of-safeguarding" || (cmi.core as { exit?: string }).exit === "suspend");
    const stored = await scoCmi(servers.db, attemptId, SCO);
    expect(JSON.parse(String(stored.suspend_data)).viewed).toEqual(expect.arrayContaining(["session-overview", "aims-of-safeguarding"]));
    sco = await scoFrame(player, servers, "index.html");
    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
  });

  it("tells the learner when the same attempt, open on another device, has saved newer progress", async () => {
    const { page, attemptId, learner } = await newAttempt();
    const first = await openPlayer(page, servers, attemptId);
    const firstSco = await scoFrame(first, servers, "index.html");
    await viewSection(firstSco, "Session Overview");
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "session-overview");

    // A second device: its own browser profile, the same learner and attempt.
    const device = await browser.newContext();
    const other = await device.newPage();
    await logIn(other, servers, learner);
    const second = await openPlayer(other, servers, attemptId);
    await viewSection(await scoFrame(second, servers, "index.html"), "Abuse and Neglect");
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "abuse-and-neglect");

    // The first window, behind now, commits again: refused as stale, and the learner is told.
    await viewSection(firstSco, "The Aims of Safeguarding");
    await first.locator("[data-player-alert]").filter({ hasText: "open somewhere else" }).waitFor();
    expect((await scoCmi(servers.db, attemptId, SCO)).core).toMatchObject({ lesson_location: "abuse-and-neglect" });
    await device.close();
    await first.close();
  });

  it("Home in the player window first unloads the SCO, so its own exit handlers finish it", async () => {
    const { page, attemptId } = await newAttempt();
    const player = await openPlayer(page, servers, attemptId);
    const sco = await scoFrame(player, servers, "index.html");
    for (const title of ["Session Overview", "The Aims of Safeguarding", "The Underpinning Principles", "Abuse and Neglect"]) await viewSection(sco, title);
    await sco.getByRole("button", { name: "Back to sections" }).click();
    await sco.getByText("You have viewed all of the sections and this session is complete.").waitFor();

    await leavePlayer(page, player, () => player.getByRole("button", { name: "Home" }).click());
    const cmi = await scoCmi(servers.db, attemptId, SCO);
    // exit "" (completed) and the session time come from the content's own pagehide handler.
    expect(cmi.core).toMatchObject({ lesson_status: "completed", exit: "" });
    expect((cmi.core as { session_time: string }).session_time).toMatch(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Completed");
  });

  it("keeps commits made while the network is down and sends them, in order, when it is back", async () => {
    const { page, context, attemptId } = await newAttempt();
    const player = await openPlayer(page, servers, attemptId);
    const sco = await scoFrame(player, servers, "index.html");
    await viewSection(sco, "Session Overview");
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "session-overview");

    await context.setOffline(true);
    await viewSection(sco, "The Aims of Safeguarding");
    await viewSection(sco, "The Underpinning Principles");
    await player.getByText(/The connection to the LMS is down/).waitFor();
    expect((await scoCmi(servers.db, attemptId, SCO)).core).toMatchObject({ lesson_location: "session-overview" });

    await context.setOffline(false);
    await settled(attemptId, (cmi) => (cmi.core as { lesson_location?: string }).lesson_location === "underpinning-principles");
    await expect.poll(() => player.getByText(/The connection to the LMS is down/).isVisible()).toBe(false);
    const sequences = (await commitLog(servers.db, attemptId)).map((entry) => entry.commitSequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    await player.close();
  });
});

describe("the player window with a SCORM 1.2 course of several SCOs", () => {
  it("offers the SCOs in organization order: contents, Previous / Next, and on to the next SCO once one is completed", async () => {
    const { page, attemptId } = await newAttempt(MULTI);
    const player = await openPlayer(page, servers, attemptId);
    expect(await player.locator("[data-sco-id]").allTextContents()).toEqual(["One", "Two", "Three"]);
    let sco = await scoFrame(player, servers, "one/index.html");
    const readAtStart = JSON.parse((await sco.locator("#read-at-start").textContent()) ?? "{}");
    expect(readAtStart).toEqual({ totalTime: "00:00:00", coreChildren: expect.stringContaining("lesson_location"), version: "3.4" });
    await expect.poll(() => player.getByRole("button", { name: "Next" }).isEnabled()).toBe(true);
    expect(await player.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);
    expect(await player.getByRole("button", { name: "One" }).getAttribute("aria-current")).toBe("step");

    // Completed and finished by the content: the player moves on by itself (with the item's parameters).
    await sco.getByRole("button", { name: "Complete One" }).click();
    sco = await scoFrame(player, servers, /\/two\/index\.html\?page=2$/);
    await expect.poll(() => player.locator("[data-tick]:not([hidden])").count()).toBe(1);
    await expect.poll(() => player.getByRole("button", { name: "Previous" }).isEnabled()).toBe(true);

    // The player's Previous ends the SCO on screen (suspended, as it is not finished) first.
    await player.getByRole("button", { name: "Previous" }).click();
    await scoFrame(player, servers, "one/index.html");
    await player.getByRole("button", { name: "Three" }).click();
    sco = await scoFrame(player, servers, "three/index.html");
    // Four SCOs launched, and not one entry in the window's history: Back (or a phone's swipe)
    // cannot take the learner to a SCO already left, behind the player's back.
    expect(await player.evaluate(() => history.length)).toBe(1);
    // The last SCO, completed and finished: the course window closes.
    await leavePlayer(page, player, () => sco.getByRole("button", { name: "Complete Three" }).click());

    expect((await scoCmi(servers.db, attemptId, "L1")).core).toMatchObject({ lesson_status: "completed" });
    expect((await scoCmi(servers.db, attemptId, "L2")).core).toMatchObject({ lesson_status: "incomplete", exit: "suspend" });
    expect((await scoCmi(servers.db, attemptId, "L3")).core).toMatchObject({ lesson_status: "completed" });
    for (const scoId of ["L1", "L2", "L3"]) {
      const log = await commitLog(servers.db, attemptId, scoId);
      expect(log.at(-1)?.isTerminateCommit).toBe(true);
      expect(log.map((entry) => entry.commitSequence)).toEqual(log.map((_, index) => index + 1));
    }
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Incomplete");
  });

  it("keeps a SCO whose prerequisites are not met out of reach until they are", async () => {
    const { page, attemptId } = await newAttempt(LOCKED);
    const player = await openPlayer(page, servers, attemptId);
    let sco = await scoFrame(player, servers, "one/index.html");
    await expect.poll(() => player.getByRole("button", { name: "Two" }).isDisabled()).toBe(true);
    expect(await player.getByRole("button", { name: "Three" }).isDisabled()).toBe(true);
    expect(await player.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);

    // One done: Two opens (the player moves on), and Three still waits for Two.
    await sco.getByRole("button", { name: "Complete One" }).click();
    sco = await scoFrame(player, servers, /\/two\/index\.html\?page=2$/);
    await expect.poll(() => player.getByRole("button", { name: "One" }).isEnabled()).toBe(true);
    expect(await player.getByRole("button", { name: "Three" }).isDisabled()).toBe(true);
    await sco.getByRole("button", { name: "Complete Two" }).click();
    sco = await scoFrame(player, servers, "three/index.html");
    await leavePlayer(page, player, () => sco.getByRole("button", { name: "Complete Three" }).click());
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Completed");

    // A new window knows what is done from the stored statuses: everything is open.
    const again = await openPlayer(page, servers, attemptId);
    await expect.poll(() => again.getByRole("button", { name: "Three" }).isEnabled()).toBe(true);
    await again.close();
  });
});
