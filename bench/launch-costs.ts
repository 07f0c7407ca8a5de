/**
 * What each request of a launch costs the server's CPU: one learner's launch requests (the ones
 * launch-replay.ts replays, in that order), each sent REPEAT times in turn to `server/main.ts` in a
 * process of its own (logging at info, as deployed), the server's CPU time per request read from
 * /proc. A diagnostic for bench:launch, where 50 launches at once keep the LMS's event loop busy
 * and every request waits its turn: the sum here is what one launch adds to that queue.
 *
 * The same-run baseline is the launcher's stylesheet, sent from memory with nothing to check: what
 * the server spends on any request at all. Linux only (/proc); SQLite, or PostgreSQL with
 * DATABASE_URL.
 *
 *   npm run bench:launch-costs            (REPEAT=300)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config.ts";
import { createClock } from "../server/clock.ts";
import { createTestDb } from "../test/support/test-db.ts";
import { freePort } from "../test/support/processes.ts";
import { logIn } from "./http.ts";
import { prepareTrust } from "./load-setup.ts";
import { HttpBrowser } from "./launch-replay.ts";
import { healthy, spawnNode } from "./processes.ts";

const REPEAT = Number(process.env.REPEAT ?? 300);
// Linux counts a process's CPU in clock ticks of 10 ms (USER_HZ = 100).
const TICK_MS = 10;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "lms-bench-launch-costs-"));
const logFile = path.join(work, "server.log");
const testDb = await createTestDb();
const trust = await prepareTrust({ db: testDb.db, clock: createClock(), config: loadConfig({ ...testDb.env, LOG_LEVEL: "silent" }) }, 1);
const [port, contentPort] = [await freePort(), await freePort()];
const lms = { base: `http://localhost:${port}`, content: `http://127.0.0.1:${contentPort}` };
const server = spawnNode(logFile, ["server/main.ts"], { ...testDb.env, PORT: String(port), CONTENT_URL: lms.content, SESSION_SECRET: "launch-costs-benchmark-".padEnd(40, "x") });
const browser = new HttpBrowser("10.9.0.1");
try {
  await healthy(lms.base, server, logFile);
  const learner = trust.learners[0]!;
  await browser.useSession(lms.base, await logIn(lms.base, learner.username, learner.password, "10.9.0.1"));

  // One launch, walked once to learn its URLs.
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const play = () => browser.get(`${lms.base}/learning/courses/${trust.courseId}/play`, { lms: true, method: "POST", headers: form, body: new URLSearchParams({ _csrf: browser.csrf }).toString(), expect: 303 });
  const playerUrl = new URL((await play()).location ?? "", lms.base).href;
  const page = await browser.get(playerUrl, { lms: true });
  const config = JSON.parse(/id="player-config">([^<]*)</.exec(page.text)![1]!) as { csrfToken: string; launcherBase: string; runtimeBase: string; resumeScoId: string | null; scos: Array<{ id: string }> };
  const scoId = config.resumeScoId ?? config.scos[0]!.id;
  const launcherUrl = `${config.launcherBase}${encodeURIComponent(scoId)}`;
  const launcher = await browser.get(launcherUrl);
  const scoUrl = /data-sco-url="([^"]+)"/.exec(launcher.text)![1]!.replace(/&amp;/g, "&");
  const courseFile = `${scoUrl.slice(0, scoUrl.lastIndexOf("/") + 1)}shared/course.css`;
  // The files the SCO's page links (its styles and scripts), which a launch loads after it.
  const scoPage = await browser.get(`${lms.content}${scoUrl}`);
  const courseFiles = [...scoPage.text.matchAll(/<(?:script|link)[^>]+(?:src|href)="(?!https?:|\/\/|#)([^"]+)"/g)].length;
  const playerAssets = [...page.text.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/assets\/(?:player[^"]*))"/g)].map((match) => match[1]!);
  const launcherAssets = [...launcher.text.matchAll(/(?:src|href)="(\/launcher[^"]+)"/g)].map((match) => match[1]!);

  const requests: Array<[string, () => Promise<unknown>]> = [
    ["Play (resuming)", play],
    ["the player page", () => browser.get(playerUrl, { lms: true })],
    ...playerAssets.map((asset): [string, () => Promise<unknown>] => [asset.split("?")[0]!, () => browser.get(`${lms.base}${asset}`, { lms: true })]),
    ["the SCO's state", () => browser.get(`${lms.base}${config.runtimeBase}${encodeURIComponent(scoId)}/state`, { lms: true, headers: { accept: "application/json", "x-csrf-token": config.csrfToken } })],
    ["the launcher page", () => browser.get(launcherUrl)],
    ...launcherAssets.map((asset): [string, () => Promise<unknown>] => [asset.split("?")[0]!, () => browser.get(`${lms.content}${asset}`)]),
    ["the SCO's page", () => browser.get(`${lms.content}${scoUrl}`)],
    ["a course file (course.css)", () => browser.get(`${lms.content}${courseFile}`)],
  ];
  const cpuTicks = () => {
    const fields = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const costs = new Map<string, number>();
  for (const [name, request] of requests) {
    for (let warm = 0; warm < 20; warm++) await request();
    const before = cpuTicks();
    for (let sent = 0; sent < REPEAT; sent++) await request();
    costs.set(name, ((cpuTicks() - before) * TICK_MS) / REPEAT);
  }

  console.log(`${testDb.env.DATABASE_URL ? "PostgreSQL" : "SQLite"}: each request of one launch sent ${REPEAT} times in turn; the server's CPU a request\n`);
  const baseline = costs.get("/launcher.css")!;
  for (const [name, ms] of costs) console.log(`  ${name.padEnd(34)} ${ms.toFixed(2).padStart(6)} ms   ${(ms / baseline).toFixed(1).padStart(5)}x the baseline`);
  const total = [...costs.values()].reduce((sum, ms) => sum + ms, 0) + (courseFiles - 1) * costs.get("a course file (course.css)")!;
  console.log(`\nbaseline: /launcher.css, from memory, ${baseline.toFixed(2)} ms a request`);
  console.log(`one launch, each request above once and the SCO page's ${courseFiles} files at course.css's cost: ${total.toFixed(1)} ms of the server's CPU (${(total / baseline).toFixed(0)}x the baseline)`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  browser.close();
  server.kill("SIGTERM");
  await testDb.cleanup();
  if (!process.exitCode) fs.rmSync(work, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}
