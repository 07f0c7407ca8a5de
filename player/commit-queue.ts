// Commits leave the player window through one queue, strictly in order, one at a time:
//
// - each commit is kept (in memory and in localStorage) until the server has answered it, so a
//   network drop mid-course only delays commits: they are retried, in order, when it is back;
// - commits left over when the window closed offline are sent first when the attempt is played
//   again (the server answers a repeated commit as before, without applying it twice);
// - once the window is unloading, whatever is left goes by navigator.sendBeacon as text/plain
//   JSON with the anti-forgery value inside (`_csrf`): a beacon cannot carry headers;
// - when the server refuses this window's commits because the learner is no longer logged in
//   (401, or 403 after logging in again elsewhere), sending stops and every commit is kept in
//   localStorage: the next Play of the attempt, logged in again, sends them.
//
// scorm-again hands commits over through `httpService` (CommitTransport below) and answers the
// API at once. With a cross-frame API the content never sees a commit's result anyway:
// CrossFrameAPI answers "true" before the call reaches the player window.
import type { CommitRequest, CommitResponse, SequencingStateRequest } from "../server/scorm/contract.ts";
import type { ApiSettings, CommitMetadata, HttpService, ScormResult } from "./scorm-again.ts";

/** A SCO's commit, or (SCORM 2004) the sequencer's state: both in one order, answered the same way. */
export interface QueuedCommit {
  url: string;
  body: CommitRequest | SequencingStateRequest;
}

export interface CommitOutcome {
  ok: boolean;
  errorCode: number;
  performanceStatus?: CommitResponse["performanceStatus"];
}

export interface QueueEvents {
  /** A commit was stored; the attempt's Performance Status after it, when the server says. */
  onSaved?(performanceStatus: CommitResponse["performanceStatus"] | undefined): void;
  /** Commits are waiting for the network (true) or all caught up again (false). */
  onWaiting?(waiting: boolean): void;
  /** The server refused a commit for good: the session ended, or the request is not this learner's. */
  onRefused?(status: number): void;
  /** The server already holds a newer commit of this SCO from elsewhere (the attempt open on another device). */
  onConflict?(): void;
}

export interface CommitQueueOptions {
  csrfToken: string;
  /** localStorage key for commits not yet answered. */
  storageKey: string;
  /** Only stored commits whose URL starts with this are replayed (the attempt's runtime URLs). */
  urlPrefix: string;
  /** Reads the server's answer (scorm-again's responseHandler setting). */
  responseHandler: (response: Response) => Promise<ScormResult & { performanceStatus?: CommitResponse["performanceStatus"] }>;
  events?: QueueEvents;
}

// Browsers cap keepalive request bodies (64 KiB in flight); larger commits go as plain requests.
const KEEPALIVE_MAX_BYTES = 60_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
// A server error is retried a few times (a restart, a database blip), then given up, so one bad
// commit cannot hold back every later one; the next commit carries the whole CMI again anyway.
const SERVER_ERROR_ATTEMPTS = 5;

type Entry = {
  commit: QueuedCommit;
  settle?: (outcome: CommitOutcome) => void;
  serverErrors: number;
  /** Left in storage by an earlier window. Forbidden (403) now, with this window's fresh login, it is not this learner's to send: dropped. */
  restored?: boolean;
};

export class CommitQueue {
  private entries: Entry[] = [];
  private sending = false;
  private unloading = false;
  /** The session ended (see above): nothing more is sent from this window. */
  private halted = false;
  private waiting = false;
  private failures = 0;
  private retryTimer: number | undefined;
  private keepForNextVisit = false;
  private idleWaiters: Array<(answered: boolean) => void> = [];
  private urlWaiters: Array<{ url: string; resolve: (answered: boolean) => void }> = [];

  constructor(private readonly options: CommitQueueOptions) {
    window.addEventListener("online", () => this.retryNow());
  }

  /** Puts commits left in storage by an earlier window at the head of the queue; returns how many. */
  restore(): number {
    let stored: unknown;
    try {
      stored = JSON.parse(window.localStorage.getItem(this.options.storageKey) ?? "[]");
    } catch {
      stored = [];
    }
    const commits = (Array.isArray(stored) ? stored : []).filter(
      (commit): commit is QueuedCommit =>
        typeof commit === "object" && commit !== null && typeof commit.url === "string" && commit.url.startsWith(this.options.urlPrefix) && typeof commit.body === "object",
    );
    this.entries.unshift(...commits.map((commit) => ({ commit, serverErrors: 0, restored: true })));
    this.persist();
    this.pump();
    return commits.length;
  }

  push(commit: QueuedCommit, settle?: (outcome: CommitOutcome) => void): void {
    this.entries.push({ commit, serverErrors: 0, ...(settle ? { settle } : {}) });
    if (this.halted) this.persist();
    else if (this.unloading) this.beacon(commit);
    else {
      this.persist();
      this.pump();
    }
  }

  /** True once the server said the learner is no longer logged in: the commits wait in storage. */
  get sessionEnded(): boolean {
    return this.halted;
  }

  /** Resolves true once every commit is answered, or false when timeoutMs passes first (or sending stopped). */
  idle(timeoutMs?: number): Promise<boolean> {
    if (this.entries.length === 0) return Promise.resolve(true);
    if (this.halted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = (answered: boolean) => resolve(answered);
      this.idleWaiters.push(waiter);
      if (timeoutMs !== undefined) {
        window.setTimeout(() => {
          this.idleWaiters = this.idleWaiters.filter((other) => other !== waiter);
          resolve(this.entries.length === 0);
        }, timeoutMs);
      }
    });
  }

  /**
   * Resolves true once no commit to this URL is left unanswered (false if sending stopped). A SCO
   * launched again reads its saved state only then: read earlier, the state would miss the last
   * session's final commit, and the new session would number its commits as that one's.
   */
  answered(url: string): Promise<boolean> {
    if (!this.entries.some((entry) => entry.commit.url === url)) return Promise.resolve(true);
    if (this.halted) return Promise.resolve(false);
    return new Promise((resolve) => this.urlWaiters.push({ url, resolve }));
  }

  /** The window is going away: beacon everything unanswered, in order, and every commit after this. */
  unload(): void {
    if (this.unloading) return;
    this.unloading = true;
    // Beacons would be refused too: what is left stays in storage for the next visit.
    if (this.halted) return this.persist();
    window.clearTimeout(this.retryTimer);
    for (const entry of this.entries) this.beacon(entry.commit);
  }

  retryNow(): void {
    if (this.retryTimer === undefined) return;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.sending || this.unloading || this.halted || this.retryTimer !== undefined) return;
    const head = this.entries[0];
    if (!head) {
      this.setWaiting(false);
      for (const waiter of this.idleWaiters.splice(0)) waiter(true);
      return;
    }
    this.sending = true;
    void this.send(head).then((answered) => {
      this.sending = false;
      if (this.unloading || this.halted) return;
      if (answered) {
        this.failures = 0;
        this.entries.shift();
        this.persist();
        this.wakeUrlWaiters();
        this.pump();
      } else {
        this.setWaiting(true);
        const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)]!;
        this.failures += 1;
        this.retryTimer = window.setTimeout(() => {
          this.retryTimer = undefined;
          this.pump();
        }, delay);
      }
    });
  }

  /** True when the server gave a final answer (stored or refused); false to try again later. */
  private async send(entry: Entry): Promise<boolean> {
    const body = JSON.stringify(entry.commit.body);
    let response: Response;
    try {
      response = await fetch(entry.commit.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": this.options.csrfToken },
        body,
        keepalive: new TextEncoder().encode(body).length <= KEEPALIVE_MAX_BYTES,
      });
    } catch {
      return false; // offline, or the server is unreachable
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      entry.serverErrors += 1;
      if (entry.serverErrors < SERVER_ERROR_ATTEMPTS) return false;
    }
    let outcome: CommitOutcome;
    try {
      const result = await this.options.responseHandler(response);
      outcome = { ok: response.ok && (result.result === true || result.result === "true"), errorCode: Number(result.errorCode) || 0, performanceStatus: result.performanceStatus };
    } catch {
      outcome = { ok: false, errorCode: 101 };
    }
    if (outcome.ok) this.options.events?.onSaved?.(outcome.performanceStatus);
    // 401: the session ended, whoever made the commit. 403 for a commit from an earlier window,
    // with this window's fresh login and token, means it is not this learner's: dropped below.
    else if (response.status === 401 || (response.status === 403 && !entry.restored)) {
      // Not answered: kept, with everything after it, until the learner is logged in again.
      this.halted = true;
      this.keepForNextVisit = true;
      this.persist();
      for (const waiter of this.idleWaiters.splice(0)) waiter(false);
      for (const waiter of this.urlWaiters.splice(0)) waiter.resolve(false);
      this.options.events?.onRefused?.(response.status);
      return false;
    } else if (response.status === 409 && !entry.restored) {
      // Stale: another window or device has saved this SCO further. Retrying cannot help.
      this.options.events?.onConflict?.();
    }
    entry.settle?.(outcome);
    return true;
  }

  /**
   * A beacon's arrival cannot be known. While the network was working, a queued beacon is trusted
   * and the stored copies go (no learner data left behind on a shared computer); when it was
   * down, or the browser refused the beacon, they stay for the next visit to send again.
   */
  private beacon(commit: QueuedCommit): void {
    const body = JSON.stringify({ ...commit.body, _csrf: this.options.csrfToken });
    const queued = navigator.sendBeacon(commit.url, new Blob([body], { type: "text/plain;charset=UTF-8" }));
    if (!queued || this.waiting || !navigator.onLine) this.keepForNextVisit = true;
    if (this.keepForNextVisit) this.persist();
    else this.forget();
  }

  private forget(): void {
    try {
      window.localStorage.removeItem(this.options.storageKey);
    } catch {
      // nothing stored
    }
  }

  private persist(): void {
    try {
      if (this.entries.length === 0) window.localStorage.removeItem(this.options.storageKey);
      else window.localStorage.setItem(this.options.storageKey, JSON.stringify(this.entries.map((entry) => entry.commit)));
    } catch {
      // Storage full or disabled: the queue still works in memory.
    }
  }

  private wakeUrlWaiters(): void {
    const pending = new Set(this.entries.map((entry) => entry.commit.url));
    const [ready, waiting] = partition(this.urlWaiters, (waiter) => !pending.has(waiter.url));
    this.urlWaiters = waiting;
    for (const waiter of ready) waiter.resolve(true);
  }

  private setWaiting(waiting: boolean): void {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.options.events?.onWaiting?.(waiting);
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/**
 * scorm-again's `httpService`: shapes each commit with the API's requestHandler and queues it.
 * scorm-again hands the service its settings only when they change (reset), so it starts with them.
 */
export class CommitTransport implements HttpService {
  readonly reportsRequestCompletion = true;

  constructor(
    private readonly queue: CommitQueue,
    private settings: ApiSettings,
  ) {}

  updateSettings(settings: ApiSettings): void {
    this.settings = settings;
  }

  processHttpRequest(
    url: string,
    params: unknown,
    _immediate: boolean,
    _apiLog: unknown,
    processListeners: (functionName: string, element?: string, value?: unknown) => void,
    metadata?: CommitMetadata,
    onRequestComplete?: () => void,
  ): ScormResult {
    const body = (this.settings.requestHandler ? this.settings.requestHandler(params, metadata) : params) as CommitRequest;
    this.queue.push({ url, body }, (outcome) => {
      processListeners(outcome.ok ? "CommitSuccess" : "CommitError", undefined, outcome.errorCode);
      onRequestComplete?.();
    });
    return { result: "true", errorCode: 0 };
  }
}

/** scorm-again's responseHandler: the contract's CommitResponse -> SCORM's result form. */
export async function readCommitResponse(response: Response): Promise<ScormResult & { performanceStatus?: CommitResponse["performanceStatus"] }> {
  let body: Partial<CommitResponse> | null = null;
  try {
    body = (await response.json()) as Partial<CommitResponse>;
  } catch {
    body = null;
  }
  if (body && typeof body.result === "boolean") {
    return {
      result: body.result ? "true" : "false",
      errorCode: typeof body.errorCode === "number" ? body.errorCode : body.result ? 0 : 101,
      ...(body.errorMessage ? { errorMessage: body.errorMessage } : {}),
      ...(body.performanceStatus ? { performanceStatus: body.performanceStatus } : {}),
    };
  }
  return response.ok ? { result: "true", errorCode: 0 } : { result: "false", errorCode: 101 };
}
