// The test's side of the test SCO (test-sco.js): the scripts queued for each SCO's launches, what
// every launch reported back, and waiting for a launch to be done. The SCO reaches it over HTTP on
// its own origin (POST /__test/conformance/*, a test hook of the content server), from the content
// frames and the windows content opens alike. Not through Playwright bindings, as it once did:
// Chromium runs a cross-origin frame in a process of its own, and under load Playwright now and
// then never attached to one, so its SCO, served and running, could not report (seen in 2 of 8
// runs of three sequencing suites beside another suite: the launcher and the SCO's page served in
// 1 and 55 ms, Playwright listing the frame as about:blank).
import type { LmsServers } from "../../e2e/lms-servers.ts";
import type { PackageSpec } from "./build-package.ts";
import { leaves } from "./build-package.ts";
import { forBrowser, mismatches, stepAt, v12, v2004, type CallReport, type Script } from "./script.ts";

// Real windows and two servers on a busy two-core machine: a launch is usually done in a second or
// two; this long only when the player never delivers, so that a failing case still ends inside its
// two minutes. 20 s was once not enough for a SCO launched again while both database suites ran
// side by side on the two cores (SEQ-SR-08; it passed alone): a deadline, not a measurement.
export const WAIT_MS = 45_000;
const POLL_MS = 50;

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

type Report = CallReport & { sco: string; launch: number; done?: string; failure?: string; popupWithoutOpener?: true; opener?: string };

/** Where a launch has got to: its script's end ("main"), its unload handler's, its popup's, or one step. */
export type Until = "main" | "unload" | "popup" | number;

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

  /** Fails with every answer that differs from its step's expectation (what waiting for it does, unless told not to). */
  expectAsSpecified(): void {
    const problems = this.problems();
    if (problems.length) throw new Error(`${this.record.sco} launch ${this.record.number}: ${problems.length} answer(s) not as the specification says:\n  ${problems.join("\n  ")}`);
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

/** One learner's SCO launches in one case: the scripts they take, in order, and what they reported. */
export class Launches {
  private readonly scripts = new Map<string, Script[]>();
  private readonly records: LaunchRecord[] = [];
  private readonly awaited = new Map<string, number>();

  constructor(private readonly spec: PackageSpec) {}

  queue(sco: string, scripts: Script[]): void {
    this.scripts.set(sco, [...(this.scripts.get(sco) ?? []), ...scripts]);
  }

  count(sco: string): number {
    return this.records.filter((record) => record.sco === sco).length;
  }

  /** A SCO page asks for its script: the next queued one, else Initialize and Terminate (an asset: nothing). */
  scriptFor(request: { sco: string; url: string }): { launch: number; steps: unknown[] } {
    const steps = this.scripts.get(request.sco)?.shift() ?? this.defaultScript(request.sco);
    const number = this.count(request.sco) + 1;
    this.records.push({ sco: request.sco, number, url: request.url, steps, reports: [], done: new Set(), failures: [] });
    return { launch: number, steps: forBrowser(steps) };
  }

  receive(entry: Report): void {
    if (entry.popupWithoutOpener) {
      // The popup could not reach the SCO that opened it, so it cannot say which one that was: the last that opened one.
      const opener = [...this.records].reverse().find((record) => record.steps.some((step) => "popup" in step) && !record.done.has("popup"));
      opener?.failures.push(`the window it opened has no opener (window.opener is ${entry.opener}), so the content there cannot find the API`);
      opener?.done.add("popup");
      return;
    }
    const record = this.records.find((candidate) => candidate.sco === entry.sco && candidate.number === entry.launch);
    if (!record) return;
    if (entry.failure) record.failures.push(entry.failure);
    if (entry.done) record.done.add(entry.done);
    else record.reports.push(entry);
  }

  /**
   * Waits until a launch of the SCO got so far (by default: the next launch not yet waited for,
   * to its script's end; an unload handler: the launch last waited for) and fails with every
   * answer that differs from its steps' expectations, unless `check` is false.
   */
  async wait(sco: string, options: { number?: number; until?: Until; check?: boolean }, explain: () => Promise<string>): Promise<Launch> {
    const until = options.until ?? "main";
    const latest = this.awaited.get(sco) ?? 0;
    const number = options.number ?? (until === "unload" ? Math.max(latest, 1) : latest + 1);
    if (until === "main" || until === "popup") this.awaited.set(sco, Math.max(number, latest));
    const find = () => this.records.find((record) => record.sco === sco && record.number === number);
    const reached = (record: LaunchRecord) => (typeof until === "number" ? record.reports.some((report) => report.path === String(until)) || record.done.has("main") : record.done.has(until));
    await waitUntil(
      () => {
        const record = find();
        return record !== undefined && reached(record);
      },
      async () => `${sco} launch ${number} did not report ${typeof until === "number" ? `step ${until}` : `"${until}" done`}; launches so far: ${this.summary()}; ${await explain()}`,
    );
    const launch = new Launch(find()!);
    if (options.check !== false) launch.expectAsSpecified();
    return launch;
  }

  private summary(): string {
    return this.records.map((record) => `${record.sco}#${record.number}[${[...record.done].join(",")}]`).join(" ") || "none";
  }

  private defaultScript(sco: string): Script {
    const item = leaves(this.spec.items).find((candidate) => candidate.id === sco);
    if (item?.type === "asset") return [];
    const calls = this.spec.version === "1.2" ? v12 : v2004;
    return [calls.initialize(), calls.terminate()];
  }
}

/** A report as the test SCO sends it: from which attempt and window, and its place in that window's order. */
interface SentReport {
  attempt: number;
  window: string;
  seq: number;
  entry: Report;
}

/** The launches of each attempt being played on these servers, which the test SCO's requests reach. */
const sessions = new WeakMap<LmsServers, Map<number, Launches>>();

/**
 * Answers the test SCO on the content origin (test-sco.js): its script request and its reports,
 * each routed to the launches of the attempt its URL's content token names. A window's reports
 * are handed over in the order it sent them, whichever request arrives first.
 */
export function conformanceSessions(servers: LmsServers): Map<number, Launches> {
  let launchesOf = sessions.get(servers);
  if (launchesOf) return launchesOf;
  launchesOf = new Map();
  sessions.set(servers, launchesOf);
  const known = launchesOf;
  const windows = new Map<string, { next: number; held: Map<number, SentReport> }>();
  servers.testHooks.set("conformance/script", (body) => {
    const { attempt, request } = body as { attempt: number; request: { sco: string; url: string } };
    return known.get(Number(attempt))?.scriptFor(request) ?? { launch: 0, steps: [] };
  });
  servers.testHooks.set("conformance/report", (body) => {
    const sent = body as SentReport;
    const order = windows.get(sent.window) ?? { next: 1, held: new Map() };
    windows.set(sent.window, order);
    order.held.set(sent.seq, sent);
    for (let due = order.held.get(order.next); due; due = order.held.get(order.next)) {
      order.held.delete(order.next++);
      known.get(Number(due.attempt))?.receive(due.entry);
    }
    return {};
  });
  return launchesOf;
}

export async function waitUntil(ready: () => boolean | Promise<boolean>, explain: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(await explain());
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
