/**
 * The launch benchmark's other learners: each learner's launch replayed over HTTP, the requests a
 * browser makes for it in the order each waits for the one before, from one real launch in
 * Chromium (launch-snapshot.ts's record of it). Each learner is a browser of its own: its own
 * kept-alive connections (at most six to a host, as Chromium keeps: load-journey.ts), its own
 * session cookie and address, asking for gzip as browsers do.
 *
 *   LMS:       Play (POST, 303) -> the player page -> its scripts and styles, together
 *              -> the SCO's state (with the page's anti-forgery token), and beside it the launcher
 *              page on the content origin -> its script and style, together -> the SCO's page ->
 *              the course's other files, together
 *   baseline:  the player page's copy -> the same scripts and styles -> the launcher's copy -> the
 *              same launcher files -> the SCO's page -> the course's other files
 *
 * What the pages before Play had cached (the LMS's stylesheets) is not asked for again, as the
 * browser did not ask for it.
 */
import http from "node:http";
import { csrfOf, send, type Answer } from "./http.ts";
import type { Loaded } from "./launch-snapshot.ts";

export interface LaunchReplay {
  /** LMS-origin scripts and styles of the player page that its browser asked for (paths). */
  playerAssets: string[];
  /** The launcher's own files on the content origin (paths). */
  launcherAssets: string[];
  /** Every course file the launch loaded, as a path under the package's /c/<token>/. */
  courseFiles: string[];
  /** The recorded launch's content token: the baseline's copy keeps it in its paths. */
  recordedToken: string;
}

/** What one recorded launch loaded, as the steps of a replay. */
export function replayOf(loaded: Loaded[], origins: { lms: string; content: string }): LaunchReplay {
  const replay: LaunchReplay = { playerAssets: [], launcherAssets: [], courseFiles: [], recordedToken: "" };
  for (const { url, cached } of loaded) {
    const { origin, pathname, search } = new URL(url);
    const course = /^\/c\/([^/]+)\/(.+)$/.exec(pathname);
    if (origin === origins.lms && !cached && !pathname.startsWith("/player/attempts/") && !pathname.startsWith("/runtime/")) replay.playerAssets.push(pathname + search);
    else if (origin === origins.content && course) {
      replay.recordedToken = course[1]!;
      replay.courseFiles.push(course[2]! + search);
    } else if (origin === origins.content && !pathname.startsWith("/launch/")) replay.launcherAssets.push(pathname + search);
  }
  return replay;
}

/** One learner's browser over HTTP: its connections, its address, its session once logged in. */
export class HttpBrowser {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  cookie: string | undefined;
  csrf = "";

  constructor(readonly ip: string) {}

  /** Takes over a logged-in session, and the anti-forgery token its pages carry (Current Learning's, where Play is). */
  async useSession(base: string, cookie: string): Promise<void> {
    this.cookie = cookie;
    this.csrf = csrfOf((await this.get(`${base}/learning/current`, { lms: true })).text) ?? "";
  }

  /** A request as the browser makes it: the session cookie only to the LMS's origin. */
  async get(url: string, options: { lms?: boolean; method?: string; headers?: Record<string, string>; body?: string; expect?: number } = {}): Promise<Answer> {
    const headers: Record<string, string> = { "accept-encoding": "gzip", "x-forwarded-for": this.ip, ...options.headers };
    if (options.lms && this.cookie) headers.cookie = this.cookie;
    const answer = await send(this.agent, url, { method: options.method ?? "GET", headers, ...(options.body === undefined ? {} : { body: options.body }) });
    if (answer.status !== (options.expect ?? 200)) throw new Error(`${options.method ?? "GET"} ${url.replace(/\/(launch|c)\/[^/]+\//, "/$1/<token>/")} answered ${answer.status}: ${answer.text.slice(0, 120)}`);
    if (options.lms && answer.setCookie) this.cookie = answer.setCookie;
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** When a replayed launch began and ended (Date.now, the clock the browser's times are on), and how long each step took. */
export interface Replayed {
  startedAt: number;
  endedAt: number;
  steps: Partial<Record<Step, number>>;
}

export const STEPS = ["play", "player page", "player files", "state", "launcher", "launcher files", "SCO page", "course files"] as const;
export type Step = (typeof STEPS)[number];

/** Times each step of one launch as it goes. */
function stepper(): { step: <T>(name: Step, work: Promise<T>) => Promise<T>; steps: Replayed["steps"] } {
  const steps: Replayed["steps"] = {};
  return {
    steps,
    step: async (name, work) => {
      const started = performance.now();
      const result = await work;
      steps[name] = performance.now() - started;
      return result;
    },
  };
}

/** A learner's Play of the course, replayed: from the Play request to the last byte of the course's files. */
export async function replayLmsLaunch(browser: HttpBrowser, lms: { base: string; content: string }, courseId: number, replay: LaunchReplay): Promise<Replayed> {
  const startedAt = Date.now();
  const { step, steps } = stepper();
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const played = await step("play", browser.get(`${lms.base}/learning/courses/${courseId}/play`, { lms: true, method: "POST", headers: form, body: new URLSearchParams({ _csrf: browser.csrf }).toString(), expect: 303 }));
  const page = await step("player page", browser.get(new URL(played.location ?? "", lms.base).href, { lms: true }));
  const config = JSON.parse(/id="player-config">([^<]*)</.exec(page.text)?.[1] ?? "null") as { csrfToken: string; launcherBase: string; runtimeBase: string; resumeScoId: string | null; scos: Array<{ id: string }> };
  await step("player files", Promise.all(replay.playerAssets.map((asset) => browser.get(`${lms.base}${asset}`, { lms: true }))));
  const scoId = config.resumeScoId ?? config.scos[0]!.id;
  const token = /\/launch\/([^/]+)\/$/.exec(config.launcherBase)![1]!;
  // The player reads the state and loads the launcher together (player/content-frame.ts).
  await Promise.all([
    step("state", browser.get(`${lms.base}${config.runtimeBase}${encodeURIComponent(scoId)}/state`, { lms: true, headers: { accept: "application/json", "x-csrf-token": config.csrfToken } })),
    contentSide(browser, `${config.launcherBase}${encodeURIComponent(scoId)}`, lms.content, token, replay, step),
  ]);
  return { startedAt, endedAt: Date.now(), steps };
}

/** The baseline's Play, replayed: the static copy's pages and files in the same order. */
export async function replayBaselineLaunch(browser: HttpBrowser, baseline: { base: string; content: string }, replay: LaunchReplay): Promise<Replayed> {
  const startedAt = Date.now();
  const { step, steps } = stepper();
  await step("player page", browser.get(`${baseline.base}/player.html`));
  await step("player files", Promise.all(replay.playerAssets.map((asset) => browser.get(`${baseline.base}${asset}`))));
  await contentSide(browser, `${baseline.content}/launch.html`, baseline.content, replay.recordedToken, replay, step);
  return { startedAt, endedAt: Date.now(), steps };
}

/** The launcher, its files, then the SCO's page and the course's other files. */
async function contentSide(browser: HttpBrowser, launcherUrl: string, content: string, token: string, replay: LaunchReplay, step: ReturnType<typeof stepper>["step"]): Promise<void> {
  const launcher = await step("launcher", browser.get(launcherUrl));
  const scoUrl = /data-sco-url="([^"]+)"/.exec(launcher.text)![1]!.replace(/&amp;/g, "&");
  await step("launcher files", Promise.all(replay.launcherAssets.map((asset) => browser.get(`${content}${asset}`))));
  await step("SCO page", browser.get(`${content}${scoUrl}`));
  const files = replay.courseFiles.map((file) => `/c/${token}/${file}`).filter((file) => file !== scoUrl);
  await step("course files", Promise.all(files.map((file) => browser.get(`${content}${file}`))));
}
