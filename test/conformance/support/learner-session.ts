// A learner's attempt on a case's course, played in real Chromium: the player window opened as
// Play opens it, its controls as the learner uses them, the SCO launches' reports, and what the
// database holds for the attempt.
import type { BrowserContext, Page } from "playwright-core";
import type { ImportedPackage } from "../../../server/packages/import-package.ts";
import { openPlayer, playerNetwork, type LmsServers } from "../../e2e/lms-servers.ts";
import { attemptRow, commitLog, scoCmi, scoRows, sequencingState } from "../../e2e/stored-state.ts";
import { buildAttempt } from "../../support/attempts.ts";
import type { PackageSpec } from "./build-package.ts";
import { conformanceSessions, Launches, WAIT_MS, waitUntil, type Launch, type Until } from "./launches.ts";
import type { Script } from "./script.ts";

export interface ControlState {
  shown: boolean;
  enabled: boolean;
}

export interface Controls {
  previous: ControlState;
  next: ControlState;
  /** The contents list's SCO identifiers, in order. */
  contents: string[];
  /** Those the learner may choose now. */
  choosable: string[];
}

export interface SessionStart {
  servers: LmsServers;
  context: BrowserContext;
  course: ImportedPackage;
  spec: PackageSpec;
  personId: number;
}

export class LearnerSession {
  player: Page | null = null;
  readonly launches: Launches;

  protected constructor(
    readonly servers: LmsServers,
    readonly course: ImportedPackage,
    readonly spec: PackageSpec,
    readonly personId: number,
    readonly attemptId: number,
    readonly context: BrowserContext,
    /** The LMS page the player window is opened from (and which Home reloads). */
    readonly opener: Page,
  ) {
    this.launches = new Launches(spec);
    conformanceSessions(servers).set(attemptId, this.launches);
  }

  /** A new attempt for the learner on the course, and an LMS page in their browser to play it from. */
  static async start(start: SessionStart): Promise<LearnerSession> {
    const { attemptId, opener } = await LearnerSession.prepare(start);
    return new LearnerSession(start.servers, start.course, start.spec, start.personId, attemptId, start.context, opener);
  }

  protected static async prepare({ servers, context, course, personId }: SessionStart): Promise<{ attemptId: number; opener: Page }> {
    const attemptId = await buildAttempt({ db: servers.db, personId, courseVersionId: course.courseVersionId });
    const opener = await context.newPage();
    // Any page of the LMS origin opens the player as Play does; the health check is the lightest.
    await opener.goto(`${servers.lmsUrl}/healthz`);
    return { attemptId, opener };
  }

  /** Scripts for the SCO's next launches, in order. */
  queue(sco: string, ...scripts: Script[]): void {
    this.launches.queue(sco, scripts);
  }

  /** Opens the player window for the attempt, as Play does. */
  async play(): Promise<Page> {
    this.player = await openPlayer(this.opener, this.servers, this.attemptId);
    return this.player;
  }

  /** Waits for a launch of the SCO (launches.ts: Launches.wait) and checks its answers. */
  launch(sco: string, options: { number?: number; until?: Until; check?: boolean } = {}): Promise<Launch> {
    return this.launches.wait(sco, options, async () => `the player shows ${JSON.stringify(await this.playerShows())}`);
  }

  /**
   * One whole session of a one-SCO course: Play, the SCO's next launch runs its script (which
   * ends with LMSFinish / Terminate), and the player window closes by itself.
   */
  async session(sco: string): Promise<Launch> {
    await this.play();
    const launch = await this.launch(sco);
    await this.closed();
    return launch;
  }

  launchCount(sco: string): number {
    return this.launches.count(sco);
  }

  /** The player's Previous / Next (shown, enabled) and its contents list. */
  async controls(): Promise<Controls> {
    const player = this.requirePlayer();
    const state = async (name: string): Promise<ControlState> => {
      const button = player.getByRole("button", { name, exact: true });
      if ((await button.count()) === 0) return { shown: false, enabled: false };
      return { shown: await button.isVisible(), enabled: await button.isEnabled() };
    };
    const entries = await player
      .locator("[data-sco-id]")
      .evaluateAll((buttons) => buttons.map((button) => ({ id: (button as HTMLElement).dataset.scoId ?? "", enabled: !(button as HTMLButtonElement).disabled })));
    return { previous: await state("Previous"), next: await state("Next"), contents: entries.map((entry) => entry.id), choosable: entries.filter((entry) => entry.enabled).map((entry) => entry.id) };
  }

  next(): Promise<void> {
    return this.press("Next");
  }

  previous(): Promise<void> {
    return this.press("Previous");
  }

  /** Chooses a SCO from the contents list. */
  async choose(sco: string): Promise<void> {
    const choice = this.requirePlayer().locator(`[data-sco-id="${sco}"]`);
    await waitUntil(async () => (await choice.count()) > 0 && (await choice.isEnabled()), async () => `the contents list offers no ${sco}: ${JSON.stringify(await this.controls())}`);
    await choice.click();
  }

  /** Home, then waits until the player window has closed. */
  async home(): Promise<void> {
    const player = this.requirePlayer();
    const closed = this.whenClosed(player, "Home did not close the player window");
    await player.getByRole("button", { name: "Home", exact: true }).click();
    await closed;
    this.player = null;
  }

  /** Waits until the player window closes by itself (the course or its session ended). */
  async closed(): Promise<void> {
    const player = this.requirePlayer();
    if (!player.isClosed()) await this.whenClosed(player, "the player window stayed open");
    this.player = null;
  }

  /**
   * Closes the player window as the window's own close button does (no Home). With `killed`, the
   * window goes as when the browser is killed or a phone drops the tab: nothing it sends as it
   * goes arrives (its beacons are taken as sent, and dropped), so the LMS holds only what the
   * window had sent before. (Chromium's Page.crash would take the opener down with it, a
   * capturing listener does not keep the player's pagehide handler from running, and Playwright
   * does not intercept beacons.)
   */
  async closePlayer({ killed = false }: { killed?: boolean } = {}): Promise<void> {
    const player = this.requirePlayer();
    if (killed) {
      await player.evaluate(() => {
        navigator.sendBeacon = () => true;
        window.fetch = () => new Promise<Response>(() => undefined);
      });
    }
    await player.close({ runBeforeUnload: true });
    this.player = null;
  }

  /** What the browser keeps in local storage on the LMS origin. */
  async localStorage(): Promise<Record<string, string>> {
    const read = () => this.opener.evaluate(() => Object.fromEntries(Object.entries(window.localStorage)));
    // Home reloads the opener: read it once that is done.
    return read().catch(async () => {
      await this.opener.waitForLoadState();
      return read();
    });
  }

  /** The learner's username: the LMS gives it as cmi.core.student_id / cmi.learner_id. */
  async username(): Promise<string> {
    const row = await this.servers.db("accounts").where({ person_id: this.personId }).first("username");
    return String(row.username);
  }

  cmi(sco: string): Promise<Record<string, unknown>> {
    return scoCmi(this.servers.db, this.attemptId, sco);
  }

  scoRows() {
    return scoRows(this.servers.db, this.attemptId);
  }

  attempt() {
    return attemptRow(this.servers.db, this.attemptId);
  }

  commits(sco?: string) {
    return commitLog(this.servers.db, this.attemptId, sco);
  }

  sequencingState() {
    return sequencingState(this.servers.db, this.attemptId);
  }

  /** What the player window shows: frames, status line and alert. For failure messages. */
  async playerShows(): Promise<Record<string, unknown>> {
    const player = this.player;
    if (!player || player.isClosed()) return { closed: true };
    const text = (selector: string) => player.locator(selector).textContent({ timeout: 1_000 }).catch(() => null);
    // The frame's src as the player set it: Playwright's own view of a cross-origin frame can lag.
    const frameSrc = await player.locator("[data-player-frame]").getAttribute("src", { timeout: 1_000 }).catch(() => null);
    const now = Date.now();
    const content = this.servers.contentSeen.slice(-6).map((seen) => `${Math.round((now - seen.at) / 1000)}s ago ${seen.url} ${seen.dropped ? "dropped" : seen.status ?? "unanswered"}${seen.ms === undefined ? "" : ` in ${seen.ms} ms`}`);
    return { frames: player.frames().map((frame) => frame.url()), frameSrc, status: await text("[data-player-status]"), alert: await text("[data-player-alert]"), launches: playerNetwork(player).slice(-6), content };
  }

  protected requirePlayer(): Page {
    if (!this.player) throw new Error("the player window is not open: play() first");
    return this.player;
  }

  private whenClosed(player: Page, problem: string): Promise<void> {
    return player.waitForEvent("close", { timeout: WAIT_MS }).then(
      () => undefined,
      async () => {
        throw new Error(`${problem}; it shows ${JSON.stringify(await this.playerShows())}`);
      },
    );
  }

  private async press(name: "Next" | "Previous"): Promise<void> {
    const button = this.requirePlayer().getByRole("button", { name, exact: true });
    await waitUntil(async () => (await button.count()) > 0 && (await button.isVisible()) && (await button.isEnabled()), async () => `the player offers no ${name}: ${JSON.stringify(await this.controls())}`);
    await button.click();
  }
}
