// The SCORM conformance harness (issue 17). Each case is a small package of scripted test SCOs
// (test-sco.js), played in real Chromium through the real player window, on the real LMS and
// content servers over a real database (SQLite, or PostgreSQL with DATABASE_URL).
//
// Writing a case (cases/<family>.ts, run by <family>.test.ts through runFamily):
//
//   {
//     id: "API-12-01", family: "api-12", title: "a second LMSInitialize is refused with 101",
//     source: "SCORM 1.2 RTE 3.3 LMSInitialize",
//     package: { version: "1.2", items: [{ id: "S1" }] },       // build-package.ts
//     async run(h) {
//       h.queue("S1", [v12.initialize(), v12.initialize({ error: "101" })]);
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
// - The player: h.next(), h.previous(), h.choose(sco), h.home(), h.closed(), h.closePlayer({ killed? }),
//   h.controls() (Previous / Next shown and enabled, the contents list). h.play() again for the
//   next session, in the same browser (same local storage); h.session(sco) plays one whole
//   session of a one-SCO course (Play, the launch, the window closing by itself).
// - Stored state: h.cmi(sco), h.scoRows(), h.attempt(), h.commits(sco?), h.sequencingState().
// - Cases with `browser: false` only import: h.importPackage(spec) returns the import or its refusal.
// - A family is a cases/<family>.ts module, a <family>.test.ts calling runFamily, and a line in
//   families.ts (README.md's conformance table is checked against it).
// - h.otherLearner() plays the same course as a second learner, in a browser context of their own.
//
// A file's cases run one after another on one LMS, one Chromium and one learner; each case has
// its own course, attempt and browser context (support/learner-session.ts, support/launches.ts).
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { importPackage, PackageError, type ImportedPackage } from "../../../server/packages/import-package.ts";
import { createLocalStorage } from "../../../server/packages/storage.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "../../e2e/lms-servers.ts";
import { buildLearner } from "../../support/factories.ts";
import { buildPackage, type PackageSpec } from "./build-package.ts";
import { LearnerSession, type SessionStart } from "./learner-session.ts";

export type { Launch } from "./launches.ts";
export type { Controls, LearnerSession } from "./learner-session.ts";

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

/** Runs a family's cases, one `it` each, on one LMS, one Chromium and one learner for the file. */
export function runFamily(family: string, cases: ConformanceCase[]): void {
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  let servers: LmsServers;
  let browser: Browser;
  let learner: Learner;
  withLmsAndBrowser([], (started) => ({ servers, browser } = started));
  beforeAll(async () => {
    learner = await newLearner(servers, browser);
  });
  describe(`SCORM conformance: ${family}`, () => {
    for (const conformanceCase of cases) {
      it(`${conformanceCase.id} ${conformanceCase.title} [${conformanceCase.source}]`, async () => {
        expect(conformanceCase.family, `${conformanceCase.id} is listed under ${family}`).toBe(family);
        if (conformanceCase.browser === false) return conformanceCase.run(importer(servers, conformanceCase.id));
        const harness = await Harness.begin(servers, browser, learner, conformanceCase);
        try {
          await conformanceCase.run(harness);
        } finally {
          await harness.end();
        }
      });
    }
  });
}

interface Learner {
  personId: number;
  /** Their logged-in session's cookies: each case's browser context starts from them. */
  storageState: Awaited<ReturnType<BrowserContext["storageState"]>>;
}

/** A learner, logged in once. */
async function newLearner(servers: LmsServers, browser: Browser): Promise<Learner> {
  const account = await buildLearner(servers.db, servers.clock);
  const context = await browser.newContext();
  await logIn(await context.newPage(), servers, account);
  const storageState = await context.storageState();
  await context.close();
  return { personId: account.personId, storageState };
}

/**
 * A browser context of the learner's own. Each case gets a fresh one (closing a page that the
 * player window is reloading, as Home reloads its opener, can wedge Playwright; closing the whole
 * context never does).
 */
function learnerContext(browser: Browser, learner: Learner): Promise<BrowserContext> {
  return browser.newContext({ storageState: learner.storageState });
}

/** What a case's run() gets: the learner's session on the case's course, and the LMS. */
export class Harness extends LearnerSession implements Importer {
  private readonly others: LearnerSession[] = [];
  private browser!: Browser;
  private caseId = "";

  static async begin(servers: LmsServers, browser: Browser, learner: Learner, conformanceCase: PlayCase): Promise<Harness> {
    const context = await learnerContext(browser, learner);
    const start: SessionStart = { servers, context, course: await importCase(servers, conformanceCase.package, conformanceCase.id), spec: conformanceCase.package, personId: learner.personId };
    const { attemptId, opener } = await LearnerSession.prepare(start);
    const harness = new Harness(servers, start.course, start.spec, start.personId, attemptId, context, opener);
    harness.browser = browser;
    harness.caseId = conformanceCase.id;
    return harness;
  }

  importPackage(spec: PackageSpec, code?: string): Promise<ImportedPackage | PackageError> {
    return importer(this.servers, this.caseId).importPackage(spec, code);
  }

  /** A second learner, in a browser of their own, with an attempt on the same course version. */
  async otherLearner(): Promise<LearnerSession> {
    const learner = await newLearner(this.servers, this.browser);
    const context = await learnerContext(this.browser, learner);
    const session = await LearnerSession.start({ servers: this.servers, context, course: this.course, spec: this.spec, personId: learner.personId });
    this.others.push(session);
    return session;
  }

  /** The case is over: every learner's browser context closes. */
  async end(): Promise<void> {
    for (const session of [...this.others, this]) await session.context.close();
  }
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
