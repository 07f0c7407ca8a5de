// The player's navigation as a SCORM 2004 manifest allows it, and playing the same attempt again
// in the same browser, in real Chromium.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { leavePlayer, loggedInLearner, openPlayer, scoFrame, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { attemptRow, commitLog, scoRows, sequencingState } from "./stored-state.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const CP = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"';
// Initialize and a bookmark on load; then either Terminate as it unloads, leaving exit unset
// (many tools do), or nothing more, leaving the end of the session to the LMS (others do).
const sco = (id: string, terminates: boolean) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${id}</title></head><body><h1>${id}</h1><script>
var api = window.parent.API_1484_11; api.Initialize(""); api.SetValue("cmi.location", "${id}-page-2");
${terminates ? 'window.addEventListener("pagehide", function () { api.Terminate(""); });' : ""}
</script></body></html>`;
function course(title: string, items: string, ids: string[], orgSequencing: string, terminates: boolean) {
  return {
    "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="nav" version="1" ${CP}><metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="ORG"><organization identifier="ORG"><title>${title}</title>${items}${orgSequencing}</organization></organizations>
<resources>${ids.map((id) => `<resource identifier="R-${id}" type="webcontent" adlcp:scormType="sco" href="${id}.html"><file href="${id}.html"/></resource>`).join("")}</resources></manifest>`,
    ...Object.fromEntries(ids.map((id) => [`${id}.html`, sco(id, terminates)])),
  };
}

// Item 4 of issue 17: one hidden item holding eight SCOs, flow only. The third hides the LMS's Previous.
const EIGHT = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"];
const FLOW_ONLY = "297 Flow Only Hidden";
const FLOW_ONLY_FILES = course(
  FLOW_ONLY,
  `<item identifier="CLUSTER" isvisible="false"><title>All of it</title>${EIGHT.map(
    (id) =>
      `<item identifier="${id}" identifierref="R-${id}"><title>${id}</title>${id === "S3" ? "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>" : ""}</item>`,
  ).join("")}<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing></item>`,
  EIGHT,
  `<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>`,
  true,
);

// Item 5: several SCOs, flow off (the default controls): chosen from the contents. They leave the
// end of each session to the LMS, which suspends an unfinished SCO, so that the next Play resumes it.
const CHOICE = "297 Choice Only";
const CHOICE_FILES = course(CHOICE, ["A", "B", "C"].map((id) => `<item identifier="${id}" identifierref="R-${id}"><title>${id}</title></item>`).join(""), ["A", "B", "C"], "", false);

let servers: LmsServers;
let browser: Browser;
withLmsAndBrowser([], (started) => ({ servers, browser } = started));
beforeAll(async () => {
  servers.versions.set(FLOW_ONLY, await importCourseVersion(servers, FLOW_ONLY_FILES, FLOW_ONLY));
  servers.versions.set(CHOICE, await importCourseVersion(servers, CHOICE_FILES, CHOICE));
});

async function newAttempt(courseCode: string) {
  const session = await loggedInLearner(browser, servers);
  const attemptId = await buildAttempt({ db: servers.db, personId: session.learner.personId, courseVersionId: servers.versions.get(courseCode)! });
  return { ...session, attemptId };
}

const button = (player: Page, name: string) => player.getByRole("button", { name, exact: true });

describe("navigation as the manifest allows it", () => {
  it("offers Next and Previous in a flow-only course whose SCOs are all hidden from the contents, hides what hideLMSUI hides, and completes", async () => {
    const { page, attemptId } = await newAttempt(FLOW_ONLY);
    const player = await openPlayer(page, servers, attemptId);
    await scoFrame(player, servers, "S1.html");
    // Nothing to choose from: isvisible="false" hides the items from the contents, nothing more.
    expect(await player.locator("[data-sco-id]").count()).toBe(0);
    await expect.poll(() => button(player, "Next").isEnabled()).toBe(true);
    expect(await button(player, "Previous").isDisabled()).toBe(true);
    for (const id of ["S2", "S3"]) {
      await button(player, "Next").click();
      await scoFrame(player, servers, `${id}.html`);
    }
    // S3 asks the LMS to hide its Previous.
    await expect.poll(() => button(player, "Previous").isHidden()).toBe(true);
    await button(player, "Next").click();
    await scoFrame(player, servers, "S4.html");
    await expect.poll(() => button(player, "Previous").isVisible()).toBe(true);
    await expect.poll(() => button(player, "Previous").isEnabled()).toBe(true);
    await button(player, "Previous").click();
    await scoFrame(player, servers, "S3.html");
    for (const id of ["S4", "S5", "S6", "S7", "S8"]) {
      await expect.poll(() => button(player, "Next").isEnabled()).toBe(true);
      await button(player, "Next").click();
      await scoFrame(player, servers, `${id}.html`);
    }
    // Next after the last ends the course; its SCOs, each ended normally, completed it.
    await leavePlayer(page, player, async () => {
      await expect.poll(() => button(player, "Next").isEnabled()).toBe(true);
      await button(player, "Next").click();
    });
    expect((await scoRows(servers.db, attemptId)).map((row) => row.completionStatus)).toEqual(EIGHT.map(() => "completed"));
    // Satisfied only by the LMS's defaults (SN UP.4): nothing was assessed, so Completed.
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Completed");
  });
});

describe("playing the same attempt again in the same browser", () => {
  it("resumes the suspended SCO each time, leaves nothing behind in local storage, and Home always closes the window", async () => {
    const { page, attemptId } = await newAttempt(CHOICE);
    let player = await openPlayer(page, servers, attemptId);
    await scoFrame(player, servers, "A.html");
    await button(player, "B").click();
    await scoFrame(player, servers, "B.html");
    await leavePlayer(page, player, () => button(player, "Home").click());
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect((await sequencingState(servers.db, attemptId))?.sequencing.suspendedActivity).toBe("B");

    // Again, with a commit an earlier window could not send left in this browser: it is sent first,
    // and the window reloads to start from it. That reload must not replace the saved sequencing
    // state with a blank one (it did: the player then started afresh, at A, for ever).
    const leftover = { url: `/runtime/attempts/${attemptId}/scos/B/commit`, body: { commitSequence: 99, isTerminateCommit: false, cmi: { location: "B-page-3" } } };
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [`lms-player-commits-${attemptId}`, JSON.stringify([leftover])] as const);
    const posts: string[] = [];
    const sentStates: Array<{ sequencing: { activityStates: Record<string, { attemptCount: number }> } }> = [];
    player = await openPlayer(page, servers, attemptId);
    player.on("request", (request) => {
      if (request.method() !== "POST") return;
      posts.push(new URL(request.url()).pathname);
      if (request.url().endsWith("/sequencing-state")) sentStates.push(JSON.parse(JSON.parse(request.postData() ?? "{}").sequencingState));
    });
    await scoFrame(player, servers, "B.html");
    // Resumed from the saved tree, which still knows A was attempted (a blank one would not).
    await expect.poll(async () => (await sequencingState(servers.db, attemptId))?.sequencing.currentActivity).toBe("B");
    expect((await sequencingState(servers.db, attemptId))?.sequencing.activityStates.A?.attemptCount).toBe(1);
    await leavePlayer(page, player, () => button(player, "Home").click());
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    // No request loop, and no state sent from this window but its own sequencer's, restored:
    // every one still knows A was attempted.
    expect(posts.filter((path) => path.endsWith("/sequencing-state")).length).toBeLessThanOrEqual(2);
    expect(sentStates.map((state) => state.sequencing.activityStates.A?.attemptCount)).toEqual(sentStates.map(() => 1));
    expect((await commitLog(servers.db, attemptId, "B")).map((entry) => entry.commitSequence)).toContain(99);

    // And a third time, the plain way.
    player = await openPlayer(page, servers, attemptId);
    await scoFrame(player, servers, "B.html");
    await leavePlayer(page, player, () => button(player, "Home").click());
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
  });

  it("loads the launcher while the SCO's state is read, and the SCO still starts from that state", async () => {
    const { page, context, attemptId } = await newAttempt(CHOICE);
    let player = await openPlayer(page, servers, attemptId);
    await scoFrame(player, servers, "A.html");
    await leavePlayer(page, player, () => button(player, "Home").click());

    // Again, the state answered only once the launcher has been asked for: read first and the
    // launcher only then, as a launch once went, it would never be.
    let launcherAsked = () => {};
    const launcherRequested = new Promise<void>((resolve) => (launcherAsked = resolve));
    context.on("request", (request) => {
      if (/^\/launch\/[^/]+\/A$/.test(new URL(request.url()).pathname)) launcherAsked();
    });
    await context.route(/\/runtime\/attempts\/\d+\/scos\/A\/state$/, async (route) => {
      await launcherRequested;
      await route.continue();
    });
    player = await openPlayer(page, servers, attemptId);
    const sco = await scoFrame(player, servers, "A.html");
    // Its suspended session, from the state: a blank data model would say ab-initio.
    expect(await sco.evaluate(() => (window.parent as unknown as { API_1484_11: { GetValue(element: string): string } }).API_1484_11.GetValue("cmi.entry"))).toBe("resume");
    await leavePlayer(page, player, () => button(player, "Home").click());
  });

  // The player window holds its attempt's Web Lock; where a browser has none (an LMS on plain
  // http), it asks the attempt's other windows over a BroadcastChannel.
  for (const way of ["Web Locks", "no Web Locks"] as const) {
    it(`plays nothing in a second window of an attempt another window plays, and says so; the first carries on, and once it has gone the attempt plays again (${way})`, async () => {
      const { page, context, attemptId } = await newAttempt(CHOICE);
      if (way === "no Web Locks") await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true }));
      const player = await openPlayer(page, servers, attemptId);
      expect(await player.evaluate(() => navigator.locks !== undefined)).toBe(way === "Web Locks");
      await scoFrame(player, servers, "A.html");

      // The same attempt's player opened in another window (another tab, a bookmark: not by its name).
      const asked: string[] = [];
      context.on("request", (request) => {
        // A new window's first request comes before Playwright knows its frame: not the first window's either.
        const from = (() => {
          try {
            return request.frame().page();
          } catch {
            return null;
          }
        })();
        if (from !== page && from !== player) asked.push(new URL(request.url()).pathname);
      });
      const [second] = await Promise.all([page.waitForEvent("popup"), page.evaluate((url) => void window.open(url, "_blank"), `${servers.lmsUrl}/player/attempts/${attemptId}`)]);
      await second.getByRole("alert").filter({ hasText: "This course is already open in another window" }).waitFor();
      expect(await button(second, "Home").isDisabled()).toBe(true);
      expect(await second.evaluate(() => window.name)).not.toBe(`lms-attempt-${attemptId}`);
      // It loaded no SCO, and neither read the attempt's state nor committed to it.
      await second.waitForLoadState("load");
      expect(second.frames().filter((frame) => frame.url().startsWith(servers.contentUrl))).toEqual([]);
      expect(asked).toContain(`/player/attempts/${attemptId}`);
      expect(asked.filter((path) => path.startsWith("/runtime/"))).toEqual([]);
      await second.close();

      // The first window plays on, and leaves as ever.
      await button(player, "B").click();
      await scoFrame(player, servers, "B.html");
      await leavePlayer(page, player, () => button(player, "Home").click());

      // With the first window gone, the attempt is nobody's: it plays again, where it was left.
      const again = await openPlayer(page, servers, attemptId);
      await scoFrame(again, servers, "B.html");
      expect(await again.getByRole("alert").filter({ hasText: "already open" }).count()).toBe(0);
      await leavePlayer(page, again, () => button(again, "Home").click());
    });
  }
});
