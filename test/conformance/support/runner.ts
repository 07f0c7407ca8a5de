// The SCORM conformance harness (issue 17). Each case is a small package of scripted test SCOs
// (test-sco.js), played in real Chromium through the real player window, on the real LMS and
// content servers over a real database (SQLite, or PostgreSQL with DATABASE_URL).
//
// Writing a case (cases/<family>.ts, run by <family>.test.ts through runFamily):
//
//   {
//     id: "API-12-02", family: "api-12", title: "LMSInitialize twice is refused with 101",
//     source: "SCORM 1.2 RTE 3.3.2.1 LMSInitialize",
//     package: { version: "1.2", items: [{ id: "S1" }] },       // build-package.ts
//     async run(h) {
//       h.queue("S1", [v12.initialize(), v12.call("initialize", [""], { expect: "false", error: "101" })]);
//       await h.play();                 // opens the player window, as Play does
//       await h.launch("S1");           // S1's next launch ran its script: every answer checked
//       await h.home();                 // Home, and the window closed
//       expect(await h.cmi("S1")).toMatchObject({ ... });   // what the database holds
//     },
//   }
//
// - h.queue(sco, ...scripts): each launch of that SCO (by item identifier) takes the next script;
//   with none queued a SCO runs Initialize, Terminate and an asset nothing. script.ts builds steps:
//   v12 / v2004 calls, each expecting success unless given { error }, wait, repeat (with ${i}),
//   onUnload (run in the page's pagehide handler), popup (a window that finds the API by opener),
//   terminateWith(navRequest); `save` keeps an answer as ${name} for later arguments.
// - h.launch(sco) waits for the SCO's next launch to report done and fails the case, listing each
//   answer that differs from its step's expectation; { until: "unload" } waits for its handler,
//   { until: 3 } only for its step 3 (to look at the player while the SCO runs on).
// - The player: h.next(), h.previous(), h.choose(sco), h.home(), h.closed(), h.closePlayer(),
//   h.controls() (Previous / Next shown and enabled, the contents list). h.play() again for the
//   next session, in the same browser context (same local storage); h.session(sco) plays one
//   whole session of a one-SCO course (Play, the launch, the window closing by itself).
// - Stored state: h.cmi(sco), h.scoRows(), h.attempt(), h.commits(sco?), h.sequencingState().
// - Cases with `browser: false` only import: h.importPackage(spec) returns the import or its refusal.
// - h.otherLearner() plays the same course as a second learner, in a browser context of their own.
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { importPackage, PackageError, type ImportedPackage } from "../../../server/packages/import-package.ts";
import { createLocalStorage } from "../../../server/packages/storage.ts";
import { logIn, openPlayer, withLmsAndBrowser, type LmsServers } from "../../e2e/lms-servers.ts";
import { attemptRow, commitLog, scoCmi, scoRows, sequencingState } from "../../e2e/stored-state.ts";
import { buildAttempt } from "../../support/attempts.ts";
import { buildLearner } from "../../support/factories.ts";
import { buildPackage, leaves, type PackageSpec } from "./build-package.ts";
import { forBrowser, mismatches, stepAt, v12, v2004, type CallReport, type Script } from "./script.ts";

interface CaseBase {
  /** Family prefix and number, e.g. `API-12-01`. */
  id: string;
  family: string;
  title: string;
  /** The specification section or ADL test case the case follows. */
  source: string;
}

/** A case played in the browser: its package is imported, and a learner gets an attempt on it. */
export interface PlayCase extends CaseBase {
  browser?: true;
  package: PackageSpec;
  run(h: Harness): Promise<void>;
}

/** A case that only imports packages: no learner, no attempt, no browser. */
export interface ImportCase extends CaseBase {
  browser: false;
  run(h: Importer): Promise<void>;
}

export type ConformanceCase = PlayCase | ImportCase;

export interface Importer {
  readonly servers: LmsServers;
  /** Imports a package through the real import; the refusal, when it is refused. */
  importPackage(spec: PackageSpec, code?: string): Promise<ImportedPackage | PackageError>;
}

// Real windows and two servers on a busy two-core machine: a launch is usually done in a second or
// two; this long only when the player never delivers, so that a failing case still ends soon.
const WAIT_MS = 20_000;
const POLL_MS = 50;

/** Runs a family's cases, one `it` each, on one LMS and one Chromium for the file. */
export function runFamily(family: string, cases: ConformanceCase[]): void {
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  let servers: LmsServers;
  let browser: Browser;
  let loggedIn: LoggedIn;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started));
  beforeAll(async () => {
    loggedIn = await newLearner(servers, browser);
  });
  describe(`SCORM conformance: ${family}`, () => {
    for (const conformanceCase of cases) {
      it(`${conformanceCase.id} ${conformanceCase.title} [${conformanceCase.source}]`, async () => {
        expect(conformanceCase.family, `${conformanceCase.id} is listed under ${family}`).toBe(family);
        if (conformanceCase.browser === false) {
          await conformanceCase.run(importer(servers, conformanceCase.id));
          return;
        }
        const harness = await Harness.start(servers, browser, loggedIn, conformanceCase);
        try {
          await conformanceCase.run(harness);
        } finally {
          await harness.close();
        }
      });
    }
  });
}

interface LoggedIn {
  personId: number;
  storageState: Awaited<ReturnType<BrowserContext["storageState"]>>;
}

/** A learner, logged in once; each case's browser context starts from this session's cookies. */
async function newLearner(servers: LmsServers, browser: Browser): Promise<LoggedIn> {
  const learner = await buildLearner(servers.db, servers.clock);
  const context = await browser.newContext();
  await logIn(await context.newPage(), servers, learner);
  const storageState = await context.storageState();
  await context.close();
  return { personId: learner.personId, storageState };
}

interface LaunchRecord {
  sco: string;
  number: number;
  url: string;
  steps: Script;
  reports: CallReport[];
  /** "main", then "unload" / "popup" as those parts report done. */
  done: Set<string>;
  failures: string[];
}

/** One launch of a SCO as the test sees it. */
export class Launch {
  constructor(private readonly record: LaunchRecord) {}

  get sco(): string {
    return this.record.sco;
  }

  get number(): number {
    return this.record.number;
  }

  /** The launch URL, as the SCO's page saw it. */
  get url(): string {
    return this.record.url;
  }

  get reports(): CallReport[] {
    return this.record.reports;
  }

  /** The report of the call at this path ("3", or "4.13.2" for a loop's 14th round). */
  answer(path: string | number): CallReport {
    const report = this.record.reports.find((candidate) => candidate.path === String(path));
    if (!report) throw new Error(`${this.record.sco} launch ${this.record.number} reported nothing for step ${path}`);
    return report;
  }

  /** Every answer that differs from its step's expectation, in words. */
  problems(): string[] {
    return [
      ...this.record.failures.map((failure) => `the SCO failed: ${failure}`),
      ...this.record.reports.flatMap((report) => {
        const step = stepAt(this.record.steps, report.path);
        return step ? mismatches(step, report) : [];
      }),
    ];
  }
}

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

/** A learner's attempt on the case's course, played in a browser context of their own. */
export class LearnerSession {
  player: Page | null = null;
  private readonly scripts = new Map<string, Script[]>();
  private readonly launches: LaunchRecord[] = [];
  private readonly awaited = new Map<string, number>();

  constructor(
    readonly servers: LmsServers,
    readonly course: ImportedPackage,
    readonly spec: PackageSpec,
    readonly personId: number,
    readonly attemptId: number,
    readonly context: BrowserContext,
    readonly portal: Page,
  ) {}

  /** A new attempt for the learner, and a browser context with their session at the portal. */
  static async open(servers: LmsServers, browser: Browser, course: ImportedPackage, spec: PackageSpec, learner: LoggedIn): Promise<LearnerSession> {
    const { attemptId, context, portal } = await newAttempt(servers, browser, course, learner);
    const session = new LearnerSession(servers, course, spec, learner.personId, attemptId, context, portal);
    await session.listen();
    return session;
  }

  protected async listen(): Promise<void> {
    await this.context.exposeBinding("conformanceScript", (_source, request: { sco: string; url: string }) => {
      const steps = this.scripts.get(request.sco)?.shift() ?? this.defaultScript(request.sco);
      const number = this.launches.filter((launch) => launch.sco === request.sco).length + 1;
      this.launches.push({ sco: request.sco, number, url: request.url, steps, reports: [], done: new Set(), failures: [] });
      return { launch: number, steps: forBrowser(steps) };
    });
    await this.context.exposeBinding("conformanceReport", (_source, entry: CallReport & { sco: string; launch: number; done?: string; failure?: string }) => {
      const record = this.launches.find((launch) => launch.sco === entry.sco && launch.number === entry.launch);
      if (!record) return;
      if (entry.failure) record.failures.push(entry.failure);
      if (entry.done) record.done.add(entry.done);
      else record.reports.push(entry);
    });
  }

  private defaultScript(sco: string): Script {
    const item = leaves(this.spec.items).find((candidate) => candidate.id === sco);
    if (item?.type === "asset") return [];
    const calls = this.spec.version === "1.2" ? v12 : v2004;
    return [calls.initialize(), calls.terminate()];
  }

  /** Scripts for the SCO's next launches, in order. */
  queue(sco: string, ...scripts: Script[]): void {
    this.scripts.set(sco, [...(this.scripts.get(sco) ?? []), ...scripts]);
  }

  /** Opens the player window for the attempt, as Play does. */
  async play(): Promise<Page> {
    this.player = await openPlayer(this.portal, this.servers, this.attemptId);
    return this.player;
  }

  /**
   * Waits for a launch of the SCO to finish its script (by default its next launch not yet awaited)
   * and fails with every answer that differs from what its steps expect.
   */
  async launch(sco: string, options: { number?: number; until?: "main" | "unload" | "popup" | number; check?: boolean } = {}): Promise<Launch> {
    const until = options.until ?? "main";
    const latest = this.awaited.get(sco) ?? 0;
    // Its handler runs after the launch's script: by default the launch last waited for.
    const number = options.number ?? (until === "unload" ? Math.max(latest, 1) : latest + 1);
    if (until === "main" || until === "popup") this.awaited.set(sco, Math.max(number, latest));
    const find = () => this.launches.find((launch) => launch.sco === sco && launch.number === number);
    const reached = (record: LaunchRecord) => (typeof until === "number" ? record.reports.some((report) => report.path === String(until)) || record.done.has("main") : record.done.has(until));
    await this.waitUntil(() => {
      const record = find();
      return record !== undefined && reached(record);
    }, async () => `${sco} launch ${number} did not report ${typeof until === "number" ? `step ${until}` : `"${until}" done`}; launches so far: ${this.launchSummary()}; the player shows ${JSON.stringify(await this.playerShows())}`);
    const launch = new Launch(find()!);
    const problems = options.check === false ? [] : launch.problems();
    if (problems.length) throw new Error(`${sco} launch ${number}: ${problems.length} answer(s) not as the specification says:\n  ${problems.join("\n  ")}`);
    return launch;
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

  /** Launches seen so far, each SCO with its count: for messages and for cases that count them. */
  launchCount(sco: string): number {
    return this.launches.filter((launch) => launch.sco === sco).length;
  }

  private launchSummary(): string {
    return this.launches.map((launch) => `${launch.sco}#${launch.number}[${[...launch.done].join(",")}]`).join(" ") || "none";
  }

  /** The player's Previous / Next (shown, enabled) and its contents list. */
  async controls(): Promise<Controls> {
    const player = this.requirePlayer();
    const state = async (name: string): Promise<ControlState> => {
      const button = player.getByRole("button", { name, exact: true });
      if ((await button.count()) === 0) return { shown: false, enabled: false };
      return { shown: await button.isVisible(), enabled: await button.isEnabled() };
    };
    const entries = await player.locator("[data-sco-id]").evaluateAll((buttons) => buttons.map((button) => ({ id: (button as HTMLElement).dataset.scoId ?? "", enabled: !(button as HTMLButtonElement).disabled })));
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
    await this.waitUntil(async () => (await choice.count()) > 0 && (await choice.isEnabled()), async () => `the contents list offers no ${sco}: ${JSON.stringify(await this.controls())}`);
    await choice.click();
  }

  /** Home, then waits until the player window has closed. */
  async home(): Promise<void> {
    const player = this.requirePlayer();
    const closed = player.waitForEvent("close", { timeout: WAIT_MS }).catch(async () => {
      throw new Error(`Home did not close the player window; it shows ${JSON.stringify(await this.playerShows())}`);
    });
    await player.getByRole("button", { name: "Home", exact: true }).click();
    await closed;
    this.player = null;
  }

  /** Waits until the player window closes by itself (the course or its session ended). */
  async closed(): Promise<void> {
    const player = this.requirePlayer();
    if (!player.isClosed()) {
      await player.waitForEvent("close", { timeout: WAIT_MS }).catch(async () => {
        throw new Error(`the player window stayed open; it shows ${JSON.stringify(await this.playerShows())}`);
      });
    }
    this.player = null;
  }

  /** Closes the player window as the learner's close button does (no Home). */
  async closePlayer(): Promise<void> {
    await this.requirePlayer().close({ runBeforeUnload: true });
    this.player = null;
  }

  /** The learner's username: the LMS gives it as cmi.core.student_id / cmi.learner_id. */
  async username(): Promise<string> {
    const row = await this.servers.db("accounts").where({ person_id: this.personId }).first("username");
    return String(row.username);
  }

  /** What the browser keeps in local storage on the LMS origin. */
  async localStorage(): Promise<Record<string, string>> {
    return this.portal.evaluate(() => Object.fromEntries(Object.entries(window.localStorage)));
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
    return { frames: player.frames().map((frame) => frame.url()), status: await text("[data-player-status]"), alert: await text("[data-player-alert]") };
  }

  protected requirePlayer(): Page {
    if (!this.player) throw new Error("the player window is not open: h.play() first");
    return this.player;
  }

  private async press(name: "Next" | "Previous"): Promise<void> {
    const button = this.requirePlayer().getByRole("button", { name, exact: true });
    await this.waitUntil(async () => (await button.count()) > 0 && (await button.isVisible()) && (await button.isEnabled()), async () => `the player offers no ${name}: ${JSON.stringify(await this.controls())}`);
    await button.click();
  }

  protected async waitUntil(ready: () => boolean | Promise<boolean>, explain: () => Promise<string>): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(await explain());
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/** What a case's run() gets: the learner's session on the case's course, and the LMS. */
export class Harness extends LearnerSession implements Importer {
  private readonly others: LearnerSession[] = [];
  private browser!: Browser;
  private caseId = "";

  static async start(servers: LmsServers, browser: Browser, learner: LoggedIn, conformanceCase: PlayCase): Promise<Harness> {
    const course = await importCase(servers, conformanceCase.package, conformanceCase.id);
    const { attemptId, context, portal } = await newAttempt(servers, browser, course, learner);
    const harness = new Harness(servers, course, conformanceCase.package, learner.personId, attemptId, context, portal);
    harness.browser = browser;
    harness.caseId = conformanceCase.id;
    await harness.listen();
    return harness;
  }

  importPackage(spec: PackageSpec, code?: string): Promise<ImportedPackage | PackageError> {
    return importer(this.servers, this.caseId).importPackage(spec, code);
  }

  /** A second learner with an attempt of their own on the same course version. */
  async otherLearner(): Promise<LearnerSession> {
    const session = await LearnerSession.open(this.servers, this.browser, this.course, this.spec, await newLearner(this.servers, this.browser));
    this.others.push(session);
    return session;
  }

  async close(): Promise<void> {
    for (const other of this.others) await other.context.close();
    await this.context.close();
  }
}

async function newAttempt(servers: LmsServers, browser: Browser, course: ImportedPackage, learner: LoggedIn) {
  const attemptId = await buildAttempt({ db: servers.db, personId: learner.personId, courseVersionId: course.courseVersionId });
  const context = await browser.newContext({ storageState: learner.storageState });
  const portal = await context.newPage();
  await portal.goto(`${servers.lmsUrl}/`);
  return { attemptId, context, portal };
}

function importer(servers: LmsServers, caseId: string): Importer {
  let imports = 0;
  return {
    servers,
    importPackage(spec, code = `${caseId} ${++imports}`) {
      return importCase(servers, spec, code).catch((error: unknown) => {
        if (error instanceof PackageError) return error;
        throw error;
      });
    },
  };
}

async function importCase(servers: LmsServers, spec: PackageSpec, code: string): Promise<ImportedPackage> {
  const storage = createLocalStorage(path.join(servers.config.dataDir, "packages"));
  const zip = await buildPackage(spec, spec.title ?? code);
  return importPackage({ db: servers.db, clock: servers.clock, storage }, zip, { code: `297 Conformance ${code}` });
}
