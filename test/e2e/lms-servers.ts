// The real LMS and the real content server, in this process, on two loopback origins that differ
// by host (http://localhost:<port> and http://127.0.0.1:<port>) as DESIGN.md asks, over a fresh
// test database with some of the demo courses imported as real packages.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import { loadConfig, type Config } from "../../server/config.ts";
import { createClock, type Clock } from "../../server/clock.ts";
import type { Db } from "../../server/db/connect.ts";
import { createApp } from "../../server/app.ts";
import { createContentApp } from "../../server/content/content-app.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { zipFolder } from "../../server/packages/zip-folder.ts";
import { PACKAGES_DIR, seedDemo } from "../../server/demo/seed.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildLearner } from "../support/factories.ts";

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * Every browser suite's set-up in one place: the LMS servers (with these courses, or the demo
 * trust) and Chromium, started before the file's tests and handed over through `use`, and both
 * closed after them. A suite's own set-up goes in a beforeAll after this call, which runs after it.
 * Without timeoutMs, the file's hook timeout applies.
 */
export function withLmsAndBrowser(courseFolders: string[] | "demo trust", use: (started: { servers: LmsServers; browser: Browser }) => void, timeoutMs?: number): void {
  let servers: LmsServers | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    servers = await startLmsServers(courseFolders);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    use({ servers, browser });
  }, timeoutMs);
  afterAll(async () => {
    await browser?.close();
    await servers?.close();
  });
}

export interface SeenRequest {
  url: string;
  method: string;
  cookie: string | undefined;
  origin: string | undefined;
}

/** A request the content origin received: how long its answer took, or that none was sent. */
export interface ContentRequest {
  url: string;
  at: number;
  ms?: number;
  status?: number;
  /** The connection closed before the answer was sent. */
  dropped?: boolean;
}

/** A test's own endpoint on the content origin, POST /__test/<name>: JSON in, JSON out. */
export type TestHook = (body: unknown) => unknown;

export interface LmsServers {
  lmsUrl: string;
  contentUrl: string;
  db: Db;
  clock: Clock;
  config: Config;
  /** Course code -> its course version id. */
  versions: Map<string, number>;
  /** Every request the LMS origin received, with the cookie it carried. */
  seen: SeenRequest[];
  /** The content origin's latest requests (the last 200), for failure messages. */
  contentSeen: ContentRequest[];
  /**
   * Endpoints a test adds to the content origin (POST /__test/<name>), beside the content app's
   * own routes: how the conformance suite's test SCO reports to the test (see test-sco.js).
   */
  testHooks: Map<string, TestHook>;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Starts both servers with the demo courses in these packages/ folders imported, or with the
 * whole demo trust (catalog, people, every course) when courseFolders is "demo trust".
 */
export async function startLmsServers(courseFolders: string[] | "demo trust"): Promise<LmsServers> {
  const { db, env, cleanup } = await createTestDb();
  const lmsServer = http.createServer();
  const contentServer = http.createServer();
  const lmsPort = await listen(lmsServer);
  const contentPort = await listen(contentServer);
  const config = loadConfig({ ...env, PUBLIC_URL: `http://localhost:${lmsPort}`, CONTENT_URL: `http://127.0.0.1:${contentPort}`, LOG_LEVEL: "silent" });
  const clock = createClock();
  const logger = pino({ level: "silent" });
  const sessionSecret = "e2e-session-secret-".padEnd(48, "x");
  const storage = createLocalStorage(path.join(config.dataDir, "packages"));

  const versions = new Map<string, number>();
  if (courseFolders === "demo trust") {
    await seedDemo({ db, clock, config });
    for (const row of await db("course_versions").join("courses", "courses.id", "course_versions.course_id").select("courses.code", "course_versions.id")) versions.set(String(row.code), Number(row.id));
  }
  for (const folder of courseFolders === "demo trust" ? [] : courseFolders) {
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-e2e-")), "package.zip");
    await zipFolder(path.join(PACKAGES_DIR, folder), zip, [{ from: path.join(PACKAGES_DIR, "_shared"), to: "shared" }]);
    const imported = await importPackage({ db, clock, storage }, zip);
    versions.set(imported.course, imported.courseVersionId);
    fs.rmSync(path.dirname(zip), { recursive: true, force: true });
  }

  const app = createApp({ config, db, clock, logger, sessionSecret });
  const content = createContentApp({ config, db, storage, contentSecret: sessionSecret, logger });
  const seen: SeenRequest[] = [];
  lmsServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ url: req.url ?? "", method: req.method ?? "", cookie: req.headers.cookie, origin: req.headers.origin as string | undefined });
    app(req, res);
  });
  const contentSeen: ContentRequest[] = [];
  const testHooks = new Map<string, TestHook>();
  contentServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === "POST" && req.url?.startsWith("/__test/")) return answerTestHook(testHooks, req, res);
    const seenNow: ContentRequest = { url: (req.url ?? "").replace(/\/launch\/[^/]+/, "/launch/<token>").slice(0, 120), at: Date.now() };
    contentSeen.push(seenNow);
    if (contentSeen.length > 200) contentSeen.shift();
    res.on("finish", () => Object.assign(seenNow, { ms: Date.now() - seenNow.at, status: res.statusCode }));
    res.on("close", () => {
      if (!res.writableFinished) Object.assign(seenNow, { ms: Date.now() - seenNow.at, dropped: true });
    });
    content(req, res);
  });

  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    lmsUrl: config.publicUrl,
    contentUrl: config.contentUrl,
    db,
    clock,
    config,
    versions,
    seen,
    contentSeen,
    testHooks,
    async close() {
      await Promise.all([close(lmsServer), close(contentServer)]);
      await cleanup();
    },
  };
}

async function answerTestHook(hooks: Map<string, TestHook>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const hook = hooks.get((req.url ?? "").slice("/__test/".length));
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!hook) {
    res.writeHead(404).end();
    return;
  }
  try {
    const answer = (await hook(JSON.parse(Buffer.concat(chunks).toString("utf8")))) ?? {};
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(answer));
  } catch (error) {
    res.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
  }
}

/** A new learner, logged in on a fresh browser context at the portal. */
export async function loggedInLearner(browser: Browser, servers: LmsServers, overrides: { role?: "learner" | "author" } = {}) {
  const learner = await buildLearner(servers.db, servers.clock, overrides);
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, servers, learner);
  return { learner, context, page };
}

/** Logs in on the login page, as a person does, and waits for the portal. */
export async function logIn(page: Page, servers: LmsServers, account: { username: string; password: string }): Promise<void> {
  await page.goto(`${servers.lmsUrl}/login`);
  await page.locator("#username").fill(account.username);
  await page.locator("#password").fill(account.password);
  await page.getByRole("button", { name: /^Log in/ }).click();
  await page.waitForURL(`${servers.lmsUrl}/`);
}

/** Opens the player for an attempt the way Play does: a window named per attempt. */
export async function openPlayer(page: Page, servers: LmsServers, attemptId: number): Promise<Page> {
  const open = (timeout: number) =>
    Promise.all([
      page.waitForEvent("popup", { timeout }),
      page.evaluate(([url, name]) => void window.open(url, name), [`${servers.lmsUrl}/player/attempts/${attemptId}`, `lms-attempt-${attemptId}`] as const),
    ]).then(([popup]) => popup);
  // Reopened right after its window was closed, Chromium may still hold that window's name while
  // it tears it down, and window.open then opens nothing: once more, after that is done.
  const popup = await open(10_000).catch(async () => {
    await page.waitForTimeout(1_000);
    return open(30_000);
  });
  popup.on("console", (message) => playerConsole(popup).push(`${message.type()}: ${message.text()}`.slice(0, 300)));
  popup.on("pageerror", (error) => playerConsole(popup).push(`pageerror: ${error.message}`.slice(0, 300)));
  // The content frame's navigations as Chromium saw them: a launcher that never shows can be told
  // from one the server never answered.
  const network = (what: string) => (request: { url(): string; frame(): Frame; failure?(): { errorText: string } | null }) => {
    if (!request.url().startsWith(servers.contentUrl) || !/\/launch\//.test(request.url())) return;
    const failure = what === "failed" && request.failure ? ` ${request.failure()?.errorText ?? ""}` : "";
    playerNetwork(popup).push(`${new Date().toISOString().slice(11, 23)} ${what}${failure} ${request.url().replace(servers.contentUrl, "").replace(/\/launch\/[^/]+/, "/launch/<token>")}`);
  };
  popup.on("request", network("request"));
  popup.on("requestfinished", network("finished"));
  popup.on("requestfailed", network("failed"));
  await popup.waitForLoadState();
  return popup;
}

/** The launcher requests each player window made, and how they ended, for failure messages. */
const networks = new WeakMap<Page, string[]>();
export function playerNetwork(player: Page): string[] {
  if (!networks.has(player)) networks.set(player, []);
  return networks.get(player)!;
}

/** What each player window wrote on its console, for failure messages. */
const consoles = new WeakMap<Page, string[]>();
function playerConsole(player: Page): string[] {
  if (!consoles.has(player)) consoles.set(player, []);
  return consoles.get(player)!;
}

/**
 * Does what ends the player (Home, the last SCO's finish) and waits until its window has closed
 * and the opener has reloaded, as the player leaves it.
 */
export async function leavePlayer(opener: Page, player: Page, action: () => Promise<void>): Promise<void> {
  const closed = player.waitForEvent("close");
  const reloaded = opener.waitForEvent("load");
  await action();
  await Promise.all([closed, reloaded]);
}

/** The SCO's frame: the nested frame under the launcher, on the content origin. */
export async function scoFrame(player: Page, servers: LmsServers, file: string | RegExp): Promise<Frame> {
  const matches = (frame: Frame) => {
    const url = frame.url();
    if (!url.startsWith(`${servers.contentUrl}/c/`)) return false;
    return typeof file === "string" ? new URL(url).pathname.endsWith(`/${file}`) : file.test(url);
  };
  // A busy CI machine runs other suites beside this one: wait long, and on failure say what the
  // player window showed instead, so that a miss can be told from a slow machine.
  try {
    await expect.poll(() => player.frames().some(matches), { timeout: 30_000 }).toBe(true);
  } catch (error) {
    throw new Error(`no frame for ${String(file)} on the content origin; the player showed ${JSON.stringify(await playerShows(player))}`, { cause: error });
  }
  const frame = player.frames().find(matches)!;
  await frame.waitForLoadState();
  return frame;
}

/** What the player window shows: its frames, status line and alert. For failure messages. */
async function playerShows(player: Page): Promise<Record<string, unknown>> {
  if (player.isClosed()) return { closed: true };
  const text = (selector: string) => player.locator(selector).textContent({ timeout: 1_000 }).catch(() => null);
  const console = playerConsole(player).filter((line) => !line.startsWith("log: Activity delivered"));
  return { frames: player.frames().map((frame) => frame.url()), status: await text("[data-player-status]"), alert: await text("[data-player-alert]"), console: console.slice(-12) };
}

export type { BrowserContext };
