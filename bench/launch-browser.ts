/**
 * The launch benchmark's learners in Chromium: each a browser context of its own (its own
 * cookies, its own cache) with a page on which Play is pressed. What is timed is read in the
 * browser, on the machine's one clock (Date.now): from the Play press (a capturing click listener
 * on the page) to the SCO's first API call (LMSInitialize / Initialize, on the API object the
 * launcher frame puts on its window, wrapped as it is put there). The same script marks when the
 * launcher's document starts, and the player page's navigation timing when its first byte came,
 * to tell where the time went.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { logIn } from "./http.ts";

/** The flags every browser suite uses (test/e2e/lms-servers.ts). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** What is pressed: the LMS's Play buttons (player/play.ts), and the baseline's one button. */
const PLAY = "form.js-play button, [data-bench-play]";
/** The Play button of one course, on the learner's Current Learning. */
export const playButtonOf = (courseId: number) => `form.js-play[action="/learning/courses/${courseId}/play"] button`;
export const BASELINE_PLAY = "[data-bench-play]";
const LAUNCH_WAIT_MS = 90_000;

export interface LaunchTimes {
  /** Play pressed to the SCO's first API call: the figure. */
  total: number;
  /** Play pressed to the player page's first byte (the window, the Play request and its redirect, the page). */
  toPlayer: number;
  /** The player page's first byte to the launcher's document starting (page, styles, script, the state, the launcher's page). */
  toLauncher: number;
  /** The launcher's document starting to the SCO's first call (its script, the CMI handshake, the SCO's own page). */
  toSco: number;
  /** When Play was pressed (Date.now). */
  playedAt: number;
}

type Mark = "launcher" | "initialize";

/**
 * Runs in every frame of every page, before the frame's own scripts. A string, not a function:
 * what tsx makes of a function is not always what a browser can run.
 */
const INSTRUMENT = `(() => {
  // A pop-up's first document may run before the binding is there: the time is taken now, sent when it can be.
  const report = (mark, at) => {
    const send = () => (typeof window.__benchMark === "function" ? window.__benchMark(mark, at) : setTimeout(send, 5));
    send();
  };
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(${JSON.stringify(PLAY)})) window.__benchPlayAt = Date.now();
  }, true);
  const where = location.pathname;
  if (!where.startsWith("/launch/") && where !== "/launch.html") return;
  report("launcher", Date.now());
  for (const [name, method] of [["API", "LMSInitialize"], ["API_1484_11", "Initialize"]]) {
    let value;
    Object.defineProperty(window, name, {
      configurable: true,
      get: () => value,
      set: (api) => {
        const initialize = api && api[method];
        if (typeof initialize === "function") {
          let reported = false;
          api[method] = function (...args) {
            if (!reported) report("initialize", Date.now());
            reported = true;
            return initialize.apply(this, args);
          };
        }
        value = api;
      },
    });
  }
})();`;

/** One learner (or one baseline visitor): a context, its page, and its launches. */
export class Learner {
  private marks = new Map<Mark, number>();
  private play = BASELINE_PLAY;
  private waiting: (() => void) | null = null;
  popup: Page | null = null;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser): Promise<Learner> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const learner = new Learner(context, page);
    await context.exposeBinding("__benchMark", (_source, mark: Mark, at: number) => learner.mark(mark, at));
    await context.addInitScript({ content: INSTRUMENT });
    return learner;
  }

  private mark(mark: Mark, at: number): void {
    if (this.marks.has(mark)) return;
    this.marks.set(mark, at);
    if (mark === "initialize") this.waiting?.();
  }

  /**
   * Logs in over HTTP (bench/http.ts) and hands the session's cookie to the browser: fifty
   * logins through fifty pages took two minutes of this two-core machine, none of it timed.
   */
  async logIn(base: string, account: { username: string; password: string }, ip: string): Promise<void> {
    const cookie = await logIn(base, account.username, account.password, ip);
    const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    await this.context.addCookies([{ name, value, url: base }]);
  }

  /** Loads the page Play is on and waits for this Play button (and play.js, which the page defers). */
  async ready(url: string, play: string): Promise<void> {
    this.play = play;
    await this.page.goto(url, { waitUntil: "load" });
    await this.page.locator(play).first().waitFor();
  }

  /** Presses Play; resolves once the SCO has called Initialize, with how long each part took. */
  async launch(): Promise<LaunchTimes> {
    this.marks.clear();
    let timer: NodeJS.Timeout | undefined;
    const initialized = new Promise<void>((resolve, reject) => {
      this.waiting = resolve;
      timer = setTimeout(() => reject(new Error(`no Initialize within ${LAUNCH_WAIT_MS / 1000} s`)), LAUNCH_WAIT_MS);
    });
    try {
      const [popup] = await Promise.all([this.page.waitForEvent("popup", { timeout: LAUNCH_WAIT_MS }), this.page.locator(this.play).first().click({ timeout: LAUNCH_WAIT_MS })]);
      this.popup = popup;
      await initialized;
    } finally {
      clearTimeout(timer);
      initialized.catch(() => undefined);
    }
    const popup = this.popup!;
    const played = await this.page.evaluate(() => (window as unknown as { __benchPlayAt: number }).__benchPlayAt);
    // The player page's first byte, by its own navigation timing (a pop-up's first document can run before the binding is there).
    const player = await popup.evaluate(() => performance.timeOrigin + (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart);
    const [launcher, initialize] = [this.marks.get("launcher")!, this.marks.get("initialize")!];
    return { total: initialize - played, toPlayer: player - played, toLauncher: launcher - player, toSco: initialize - launcher, playedAt: played };
  }

  /**
   * Leaves the player window: Home where there is one (the LMS's: the final commit, then the
   * window closes itself, as a learner leaves a course), or closes it (the baseline's).
   */
  async closePlayer(): Promise<void> {
    const popup = this.popup;
    this.popup = null;
    if (!popup || popup.isClosed()) return;
    const home = popup.locator("[data-player-home]");
    // The baseline's copy of the player page has the Home button too, with no script behind it.
    if (this.play !== BASELINE_PLAY && (await home.count())) {
      const closed = popup.waitForEvent("close", { timeout: 30_000 }).catch(() => undefined);
      await home.click({ timeout: 10_000 }).catch(() => undefined);
      await closed;
    }
    if (!popup.isClosed()) await popup.close();
  }
}
