// A malicious SCO against the content isolation of DESIGN.md ("Content isolation"), in real
// Chromium: a real SCORM 1.2 package, imported and played by a logged-in learner, whose script
// (support/malicious-sco.js) tries what hostile course content would try: read the LMS's cookies,
// reach into the player window or send it elsewhere, ride the learner's session to the runtime,
// forge the launcher's messages for a SCO that is not on screen, and read another course's files.
// Each test asserts what the SCO got and, where it tried to write, what the database holds.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Frame } from "playwright-core";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { buildLearner } from "../support/factories.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { logIn, openPlayer, scoFrame, withLmsAndBrowser, type LmsServers } from "../e2e/lms-servers.ts";
import { scoCmi } from "../e2e/stored-state.ts";

// Real windows, frames and two servers on a busy two-core machine: generous time per test.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

const ON_SCREEN = "lesson-on-screen";
const NOT_ON_SCREEN = "lesson-not-on-screen";
const support = (file: string) => fs.readFileSync(new URL(`./support/${file}`, import.meta.url), "utf8");

function maliciousPackage(targets: Record<string, unknown>): Record<string, string> {
  const lesson = (title: string, body = "") => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
  return {
    "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="malicious" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>297 Test Malicious SCO</title>
    <item identifier="${ON_SCREEN}" identifierref="R1"><title>On screen</title></item>
    <item identifier="${NOT_ON_SCREEN}" identifierref="R2"><title>Not on screen</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html"><file href="sco/index.html"/></resource>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="other/index.html"><file href="other/index.html"/></resource>
  </resources>
</manifest>`,
    "sco/index.html": lesson(
      "Malicious SCO",
      `<button type="button" id="frame-bust">Continue</button><button type="button" id="ride-session">Open</button><script src="targets.js"></script><script src="../malicious-sco.js"></script>`,
    ),
    "sco/targets.js": `window.PROBE_TARGETS = ${JSON.stringify(targets)};`,
    "phishing.html": lesson("Your session has ended: log in again"),
    "other/index.html": lesson("Not on screen"),
    "malicious-sco.js": support("malicious-sco.js"),
    "launcher-forgery.js": support("launcher-forgery.js"),
  };
}

// Another course the learner has an attempt on (SCORM 2004, so that it has a sequencing state),
// whose one page holds what no other course may read.
const OTHER_SECRET = `other course's own page ${Math.random().toString(36).slice(2)}`;
const OTHER_FILES = { ...VALID_PACKAGES["scorm2004-4th-xml-base"]!.files, "content/unit1/start.html": `<!DOCTYPE html><p>${OTHER_SECRET}</p>` };
const OTHER_FILE = "content/unit1/start.html";
const OTHER_SCO = "I";
// Bodies the runtime stores when the LMS's own page sends them (the test of riding the session shows it).
const FORGED_COMMIT = { commitSequence: 1, isTerminateCommit: false, cmi: { completion_status: "completed", success_status: "passed", location: "forged by another course" } };
const FORGED_SEQUENCING_STATE = { sequencingState: "forged by another course" };

let servers: LmsServers;
let browser: Browser;
let learner: Awaited<ReturnType<typeof buildLearner>>;
let maliciousVersion: number;
let otherVersion: number;
let otherAttempt: number;
let otherKey: string;

withLmsAndBrowser([], (started) => ({ servers, browser } = started));
beforeAll(async () => {
  learner = await buildLearner(servers.db, servers.clock);
  otherVersion = await importCourseVersion(servers, OTHER_FILES, "297 Test Other Course");
  otherAttempt = await buildAttempt({ db: servers.db, personId: learner.personId, courseVersionId: otherVersion });
  otherKey = String((await servers.db("course_versions").where({ id: otherVersion }).first("storage_key")).storage_key);
  maliciousVersion = await importCourseVersion(
    servers,
    maliciousPackage({ otherAttempt: { id: otherAttempt, sco: OTHER_SCO }, forgedCommit: FORGED_COMMIT, forgedSequencingState: FORGED_SEQUENCING_STATE }),
    "297 Test Malicious SCO",
  );
});

/** The learner, logged in on a fresh browser profile, plays a new attempt of the malicious course. */
async function playMaliciousSco() {
  const context = await browser.newContext();
  // The headers of every answer from the content origin (cookie headers are only read async).
  const contentAnswers: Array<Promise<Record<string, string>>> = [];
  context.on("response", (response) => {
    if (response.url().startsWith(`${servers.contentUrl}/`)) contentAnswers.push(response.allHeaders());
  });
  const page = await context.newPage();
  await logIn(page, servers, learner);
  const attemptId = await buildAttempt({ db: servers.db, personId: learner.personId, courseVersionId: maliciousVersion });
  const player = await openPlayer(page, servers, attemptId);
  const sco = await scoFrame(player, servers, "sco/index.html");
  return { context, page, player, sco, attemptId, contentAnswers };
}

type Probes = Record<string, (...args: never[]) => unknown> & { clicked: Record<string, unknown> };
/** Runs one of the SCO's own probes (malicious-sco.js) in its frame and returns what it got. */
function probe<T>(sco: Frame, name: string, ...args: unknown[]): Promise<T> {
  return sco.evaluate(([probeName, probeArgs]) => (window as unknown as { maliciousSco: Probes }).maliciousSco[probeName as string]!(...(probeArgs as never[])), [name, args] as const) as Promise<T>;
}

/** Everything the database holds for an attempt: its SCOs' CMI, its commit log, its sequencing state and status. */
async function storedFor(attemptId: number) {
  const scos = await servers.db("attempt_scos").where({ attempt_id: attemptId }).orderBy("id").select("sco_identifier", "cmi");
  const commits = await servers.db("commit_log").where({ attempt_id: attemptId }).orderBy("id").select("body");
  const attempt = await servers.db("attempts").where({ id: attemptId }).first("sequencing_state", "performance_status");
  return {
    scos: scos.map((row) => String(row.sco_identifier)),
    text: [...scos.map((row) => String(row.cmi)), ...commits.map((row) => String(row.body))].join("\n"),
    commits: commits.length,
    sequencingState: attempt.sequencing_state ?? null,
    performanceStatus: attempt.performance_status,
  };
}

const NOTHING_STORED = { scos: [], text: "", commits: 0, sequencingState: null, performanceStatus: "Not Attempted" };
const REFUSED = { refused: "SecurityError" };
const BLOCKED = "blocked (TypeError)";

describe("a malicious SCO played by a logged-in learner", () => {
  it("cannot read the LMS's cookies, nor plant one for the LMS", async () => {
    const { context, sco, contentAnswers } = await playMaliciousSco();
    // The session cookie lives on the LMS's host only, out of every script's reach.
    expect((await context.cookies(servers.lmsUrl)).find((cookie) => cookie.name === "lms.sid")).toMatchObject({ httpOnly: true });
    // The content origin, which has served the launcher, its script and the SCO by now, sets no
    // cookie. (This Chromium would refuse one in a cross-site frame anyway; a browser that allows
    // third-party cookies would not, so the answers themselves are what is checked.)
    const headers = await Promise.all(contentAnswers);
    expect(headers.length).toBeGreaterThanOrEqual(3);
    expect(headers.filter((answer) => "set-cookie" in answer)).toEqual([]);
    expect(await context.cookies(servers.contentUrl)).toEqual([]);

    // Cookie tossing: a cookie with the LMS's domain, to shadow or fix its session. The content
    // host is another site, so the browser refuses it.
    expect(await probe(sco, "cookies")).toEqual({ seen: "", afterPlanting: "" });
    expect((await context.cookies(servers.lmsUrl)).map((cookie) => cookie.name)).not.toContain("planted");
    await context.close();
  });

  it("cannot reach into the player window or the portal, nor send the player window elsewhere", async () => {
    const { context, player, sco } = await playMaliciousSco();
    const playerUrl = player.url();
    // Its parent is the launcher, on its own content origin: that is where it finds its API. The
    // player window above that, its real API, and the portal that opened it are the LMS origin's.
    expect(await probe(sco, "windows")).toEqual({
      launcher: { got: servers.contentUrl },
      playerDocument: REFUSED,
      topDocument: REFUSED,
      topLocation: REFUSED,
      playerApi: REFUSED,
      portalDocument: REFUSED,
    });

    // Frame-busting to a look-alike login page, on a real click (the user activation that lets an
    // unsandboxed cross-origin frame navigate the top window): the player's frame sandbox has no
    // allow-top-navigation, so both ways are refused and the player window stays where it was.
    await sco.locator("#frame-bust").click();
    const clicked = () => sco.evaluate(() => (window as unknown as { maliciousSco: Probes }).maliciousSco.clicked);
    await expect.poll(async () => (await clicked()).open !== undefined).toBe(true);
    expect(await clicked()).toEqual({ assign: REFUSED, open: { got: "no window" } });
    expect(await player.evaluate(() => window.location.href)).toBe(playerUrl);
    await context.close();
  });

  it("cannot read the LMS's answers, nor ride the learner's session to another of their attempts", async () => {
    const { context, page, sco } = await playMaliciousSco();
    const otherRuntime = `/runtime/attempts/${otherAttempt}/`;
    // Reads with the learner's credentials: no CORS answer lets it see the runtime's state, a
    // commit's answer, or an ordinary LMS page.
    expect(await probe(sco, "lmsAnswers")).toEqual({ state: BLOCKED, commit: BLOCKED, sequencingState: BLOCKED, portal: BLOCKED });

    // Writes as simple requests (no preflight) reach the LMS, but another site's requests carry
    // no SameSite cookie, and no anti-forgery token.
    await probe(sco, "forgedWrites");
    const forged = servers.seen.filter((request) => request.method === "POST" && request.url.startsWith(otherRuntime));
    expect(forged.map((request) => request.url).sort()).toEqual([`${otherRuntime}scos/${OTHER_SCO}/commit`, `${otherRuntime}sequencing-state`]);
    for (const request of forged) expect(request).toMatchObject({ origin: servers.contentUrl, cookie: undefined });

    // A window of its own, a top-level GET, is the one request that carries the learner's Lax
    // cookie; the runtime answers only its own origin's requests (Sec-Fetch-Site), so it starts
    // no session of the other attempt's SCO.
    const stateUrl = `${servers.lmsUrl}${otherRuntime}scos/${OTHER_SCO}/state`;
    const [answer] = await Promise.all([context.waitForEvent("response", (response) => response.url() === stateUrl), sco.locator("#ride-session").click()]);
    // The cors read above asked for the same address, without the cookie; this is the window's request.
    expect(servers.seen.filter((request) => `${servers.lmsUrl}${request.url}` === stateUrl).at(-1)?.cookie).toContain("lms.sid");
    expect(answer.status()).toBe(403);
    expect(await storedFor(otherAttempt)).toEqual(NOTHING_STORED);

    // The same writes from the LMS's own page, with the session's anti-forgery token, are stored:
    // what kept the forged ones out was where they came from, not what they said.
    const control = await buildAttempt({ db: servers.db, personId: learner.personId, courseVersionId: otherVersion });
    const statuses = await page.evaluate(
      async ({ runtime, sco, commit, sequencing }) => {
        const _csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
        const send = (url: string, body: object) => fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ ...body, _csrf }) }).then((response) => response.status);
        return [await send(`${runtime}scos/${sco}/commit`, commit), await send(`${runtime}sequencing-state`, sequencing)];
      },
      { runtime: `/runtime/attempts/${control}/`, sco: OTHER_SCO, commit: FORGED_COMMIT, sequencing: FORGED_SEQUENCING_STATE },
    );
    expect(statuses).toEqual([200, 200]);
    const stored = await storedFor(control);
    expect(stored.text).toContain(FORGED_COMMIT.cmi.location);
    expect(stored.sequencingState).toBe(FORGED_SEQUENCING_STATE.sequencingState);
    await context.close();
  });

  it("cannot change another SCO's data by forging the launcher's messages to the player window", async () => {
    const { context, sco, attemptId } = await playMaliciousSco();
    // Forged api-calls for the SCO not on screen, from the SCO's frame and from the launcher's own
    // window; then the SCO's own calls, which the launcher relays after its forged message.
    await probe(sco, "forgeApiCalls", NOT_ON_SCREEN, "forged for another SCO", "after the forgery");
    await expect.poll(async () => ((await scoCmi(servers.db, attemptId, ON_SCREEN)).core as { lesson_location?: string } | undefined)?.lesson_location, { timeout: 20_000 }).toBe("after the forgery");
    // The player window has had the forged message, and nothing of it is stored: not for the SCO
    // it named, nor for the SCO on screen, whose session the player might have applied it to.
    const stored = await storedFor(attemptId);
    expect(stored.scos).toEqual([ON_SCREEN]);
    expect(stored.text).not.toContain("forged for another SCO");
    expect(stored.performanceStatus).not.toBe("Passed");

    // The same message naming the SCO on screen is applied (a SCO may write its own data), so the
    // forgery was well formed: the SCO it named is what kept it out.
    await probe(sco, "forgeApiCalls", ON_SCREEN, "forged for itself", "after the second forgery");
    await expect.poll(async () => (await scoCmi(servers.db, attemptId, ON_SCREEN)).suspend_data, { timeout: 20_000 }).toBe("forged for itself");
    await context.close();
  });

  it("cannot read another course's files, by path traversal or under its own content token", async () => {
    const { context, sco } = await playMaliciousSco();
    const token = await sco.evaluate(() => (window as unknown as { maliciousSco: { token: string } }).maliciousSco.token);
    // The other course's page is on the same disk, one folder over from this package's.
    const otherFile = path.join(servers.config.dataDir, "packages", otherKey, OTHER_FILE);
    expect(fs.readFileSync(otherFile, "utf8")).toContain(OTHER_SECRET);

    // Percent-encoded, dots too (%2e%2e%2f), once or twice.
    const encoded = (text: string) => encodeURIComponent(text).replaceAll(".", "%2e");
    const twice = (text: string) => encoded(text).replaceAll("%", "%25");
    const answers = await probe<Array<{ path: string; status: number; text: string }>>(sco, "files", [
      // The browser resolves these before sending: /c/<the other folder>/..., which is no token.
      `../${otherKey}/${OTHER_FILE}`,
      `%2e%2e/${otherKey}/${OTHER_FILE}`,
      // Encoded, they reach the server as one segment, decoded there into a path that leaves the package.
      encoded(`../${otherKey}/${OTHER_FILE}`),
      `..%2f${otherKey}%2f${encoded(OTHER_FILE)}`,
      `sco/${encoded(`../../${otherKey}/${OTHER_FILE}`)}`,
      twice(`../${otherKey}/${OTHER_FILE}`),
      `..%5c${otherKey}%5c${OTHER_FILE.replaceAll("/", "%5c")}`,
      encoded(otherFile),
      // The other course's own paths under this package's token.
      OTHER_FILE,
      `${otherKey}/${OTHER_FILE}`,
      // This token with the other course's version in it: the signature no longer fits.
      `${servers.contentUrl}/c/${token.replace(/^\d+\./, `${otherVersion}.`)}/${OTHER_FILE}`,
    ]);
    for (const answer of answers) {
      expect([403, 404], answer.path).toContain(answer.status);
      expect(answer.text, answer.path).not.toContain(OTHER_SECRET);
    }

    // The same encoding that stays inside its own package is served: each probe above reached the
    // file look-up, and only the package's boundary kept it out. (Encoded twice, a path is decoded
    // once, as a name with % in it: no such file.)
    const own = await probe<Array<{ status: number; text: string }>>(sco, "files", [encoded("sco/../phishing.html"), twice("sco/../phishing.html")]);
    expect(own.map((answer) => answer.status)).toEqual([200, 404]);
    expect(own[0]!.text).toContain("Your session has ended");
    await context.close();
  });
});
