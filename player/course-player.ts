// What the SCORM 1.2 and 2004 players share: fetching a SCO's state, configuring scorm-again to
// commit to that SCO's endpoint, launching the SCO through the launcher, ending a SCO the content
// did not end, and leaving (Home): the final commit, then close the window and refresh the opener.
import type { CommitRequest } from "../server/scorm/contract.ts";
import type { PlayerConfig } from "../server/runtime/index.ts";
import { CommitTransport, readCommitResponse, type CommitQueue } from "./commit-queue.ts";
import { dataModelSnapshot, type ContentFrame } from "./content-frame.ts";
import { DATA_MODEL_SETTINGS } from "./data-model-settings.ts";
import type { PlayerView } from "./player-view.ts";
import { RELAYED_METHODS, type ApiCall, type NavValidity } from "./protocol.ts";
import { fetchState, PlayerError } from "./sco-state.ts";
import type { ApiSettings, CommitMetadata, Scorm12Api, Scorm2004Api } from "./scorm-again.ts";
// Pure time arithmetic shared with the server (no Node APIs): one definition of SCORM's two formats.
import { formatTimespan } from "../server/scorm/time.ts";

export type NavigationRequest = { type: "previous" } | { type: "continue" } | { type: "choice"; scoId: string };

export interface PlayerContext {
  config: PlayerConfig;
  queue: CommitQueue;
  frame: ContentFrame;
  view: PlayerView;
}

// SCORM's own timing is the content's; these are the LMS's.
const AUTOCOMMIT_SECONDS = 60;
// A learner may read one page for longer than the session's 30-minute idle limit: a commit every
// 10 minutes while a SCO is open keeps the session (and the saved state) current.
const KEEPALIVE_COMMIT_MS = 10 * 60 * 1000;
// How long Home waits for the final commit before telling the learner it is still waiting.
const FINAL_COMMIT_WAIT_MS = 10_000;

/**
 * One SCO's run-time session: its commit endpoint and its commit numbering. scorm-again numbers
 * commits per API instance from 1; the server numbers them per SCO across every session of the
 * attempt (StateResponse.commitSequence is the last it accepted), so each session carries on there.
 */
export class ScoSession {
  /** When the SCO was put on screen: it initialises straight after. */
  readonly launchedAt = Date.now();
  /** The SCO set its session time in this session (a reported zero included). */
  timeReported = false;

  constructor(
    readonly scoId: string,
    readonly commitUrl: string,
    private lastSequence: number,
  ) {}

  nextSequence(): number {
    this.lastSequence += 1;
    return this.lastSequence;
  }
}

export abstract class CoursePlayer<Api extends Scorm12Api | Scorm2004Api> {
  protected api: Api | null = null;
  protected session: ScoSession | null = null;
  /** A Previous / Next / contents / Home request from the player's own controls is under way. */
  protected navigating = false;
  protected leaving = false;
  private loading: Promise<void> = Promise.resolve();

  constructor(protected readonly context: PlayerContext) {
    window.setInterval(() => this.keepAlive(), KEEPALIVE_COMMIT_MS);
  }

  abstract start(): Promise<void>;
  /** Previous, Next, a choice from the contents. */
  abstract navigate(request: NavigationRequest): Promise<void>;
  /** Before Home leaves: end the SCO on screen as the course would have it. */
  protected abstract endForHome(): Promise<void>;

  /**
   * Home: end the SCO on screen, then leave (the final commit, refresh the opener, close). It
   * always leaves, whatever the SCO or the sequencer did on the way, and whatever other request
   * was under way: the learner asked to go.
   */
  async home(): Promise<void> {
    if (this.leaving) return;
    try {
      await this.endForHome();
    } catch (error) {
      console.error(error);
    }
    await this.leave();
  }

  /** SCORM 1.2 `cmi.core.exit`, 2004 `cmi.exit`. */
  protected abstract readonly exitElement: string;
  /** SCORM 1.2 `cmi.core.session_time`, 2004 `cmi.session_time`. */
  protected abstract readonly sessionTimeElement: string;
  protected abstract finishSco(api: Api): void;
  protected abstract setValue(api: Api, element: string, value: string): void;
  protected abstract commitSco(api: Api): void;
  /** Whether the learner has finished the SCO, as its CMI says now. */
  protected abstract scoFinished(api: Api): boolean;
  /** Makes the API ready for the SCO (a fresh instance, or a reset one), committing to commitUrl. */
  protected abstract prepareApi(commitUrl: string): Api;
  /** SCORM 2004: adl.nav.request at the time of a commit. */
  protected navRequest(): string | undefined {
    return undefined;
  }

  /** Before the SCO loads, with its saved CMI in the API: 2004 initializes the API on its behalf (scorm2004-player.ts). */
  protected beforeSco(_api: Api): void {}

  /** Just before the SCO's session ends (its own LMSFinish / Terminate, or the LMS's): what the LMS supplies then. */
  protected beforeFinish(_api: Api): void {}

  /** After a batch of the SCO's calls (these) has been applied to the API. */
  protected afterCalls(_calls: readonly ApiCall[]): void {}

  /** SCORM 2004: valid navigation requests, for the launcher's adl.nav.request_valid.*. */
  protected navValidity(): NavValidity | null {
    return null;
  }

  /** Launches a SCO: unload the one on screen, then the launcher while the state is fetched; the saved CMI into the API, and the launcher is answered. Serialised. */
  protected launch(scoId: string): Promise<void> {
    this.loading = this.loading.then(() => this.launchNow(scoId)).catch((error: unknown) => this.failed(error));
    return this.loading;
  }

  private async launchNow(scoId: string): Promise<void> {
    const { frame, view, config } = this.context;
    view.setBusy(true);
    view.alert(null);
    await frame.unload();
    if (this.leaving) return;
    view.status("Loading…");
    const commitUrl = `${config.runtimeBase}${encodeURIComponent(scoId)}/commit`;
    // The same SCO again straight away (a retry rule, a choice): its last session's final commit
    // may still be on its way, and the state must include it (see CommitQueue.answered).
    await this.context.queue.answered(commitUrl);
    if (this.leaving) return;
    // The launcher loads while the state is read (content-frame.ts), and is answered once it is.
    frame.load(scoId);
    const state = await fetchState(config, scoId).catch(async (error: unknown) => {
      await frame.unload();
      throw error;
    });
    if (this.leaving) return;
    this.session = new ScoSession(scoId, commitUrl, state.commitSequence);
    const api = this.prepareApi(this.session.commitUrl);
    // Before Initialize: the content reads its bookmark, suspend data and entry straight after it.
    api.loadFromJSON(state.cmi);
    this.beforeSco(api);
    this.api = api;
    const version = config.scormVersion;
    frame.connect(scoId, {
      dataModel: () => dataModelSnapshot(version, api),
      navValidity: () => this.navValidity(),
      apply: (calls) => this.applyCalls(api, calls),
    });
    view.setCurrent(scoId);
    if (this.onAsset()) view.markCompleted(scoId);
    view.status("");
    view.setBusy(false);
    this.launchedSco(scoId);
  }

  /**
   * The SCO's successful calls, relayed by the launcher in the order it made them (sco-api.ts):
   * made again on this API, which started from the same data model, they leave it in the same
   * state, and its commits and (2004) its sequencer act on them. Anything else is ignored.
   */
  private applyCalls(api: Api, calls: ApiCall[]): void {
    const relayed: readonly string[] = RELAYED_METHODS[this.context.config.scormVersion];
    for (const { method, args } of calls) {
      if (this.api !== api || !relayed.includes(method)) continue;
      // SCORM 2004's API was initialized for the SCO before it loaded (beforeSco).
      if (/Initialize$/.test(method) && api.isInitialized()) continue;
      if (/SetValue$/.test(method) && args[0] === this.sessionTimeElement && this.session) this.session.timeReported = true;
      if (/Finish$|Terminate$/.test(method)) {
        this.supplySessionTime(api);
        this.beforeFinish(api);
      }
      (api as unknown as Record<string, (...values: string[]) => string>)[method]!(...args);
    }
    if (this.api === api) this.afterCalls(calls);
  }

  /** After a SCO's launcher is loading: update what depends on the SCO on screen. */
  protected launchedSco(_scoId: string): void {}

  /** Ends the SCO on screen the way the content should have: unload it, then finish it if it did not. */
  protected async endSco(): Promise<void> {
    await this.context.frame.unload();
    const api = this.api;
    if (api && api.isInitialized() && !api.isTerminated()) this.finishForContent(api);
  }

  /**
   * Finishes a SCO that the content left running. The LMS ended the session, not the learner's
   * choice to abandon it: an unfinished SCO is suspended (exit "suspend"), so the next entry resumes.
   */
  protected finishForContent(api: Api): void {
    // An asset's attempt simply ends (it completes by being delivered); a SCO's is suspended.
    if (!this.scoFinished(api) && !this.onAsset() && this.cmiValue(api, this.exitElement) === "") this.setValue(api, this.exitElement, "suspend");
    this.supplySessionTime(api);
    this.beforeFinish(api);
    this.finishSco(api);
  }

  /**
   * The time since launch as the session's time, where the SCO reported none. SCORM 2004 RTE
   * 4.2.21: the LMS keeps track of session time from the launch and uses the SCO's own report
   * only where there is one. Much content reports none, or only on an unload that a closed window
   * never runs; SCORM 1.2 content alike, so that its Time spent counts the session too.
   */
  private supplySessionTime(api: Api): void {
    if (!this.session || this.session.timeReported) return;
    this.setValue(api, this.sessionTimeElement, formatTimespan(this.context.config.scormVersion, Date.now() - this.session.launchedAt));
  }

  /** Whether the item on screen is an asset (scormType asset), not a SCO. */
  protected onAsset(): boolean {
    const scoId = this.session?.scoId;
    return this.context.config.scos.some((sco) => sco.id === scoId && sco.asset);
  }

  /** The window is closing without Home: finish the running SCO now (its commit goes by beacon). */
  abandon(): void {
    this.leaving = true;
    const api = this.api;
    if (api && api.isInitialized() && !api.isTerminated()) this.finishForContent(api);
  }

  /** Home, or the end of the course: wait for the final commit, refresh the opener, close the window. */
  protected async leave(): Promise<void> {
    if (this.leaving) return;
    this.leaving = true;
    const { view, queue, frame, config } = this.context;
    view.setBusy(true);
    view.disableHome();
    view.status("Saving your progress…");
    await frame.unload();
    if (!(await queue.idle(FINAL_COMMIT_WAIT_MS))) {
      if (queue.sessionEnded) {
        // Kept in this browser; the window stays, so that the learner reads why (player-window.ts).
        view.status("");
        return;
      }
      view.alert("Your progress has not reached the server yet: the connection seems to be down. Keep this window open and it will be saved as soon as the connection is back.");
      if (!(await queue.idle()) && queue.sessionEnded) return;
      view.alert(null);
    }
    view.status("Your progress has been saved.");
    refreshOpener();
    window.close();
    // Still here: the player was opened in a tab of its own, which a script may not close.
    window.setTimeout(() => window.location.assign(config.exitUrl), 300);
  }

  protected failed(error: unknown): void {
    console.error(error);
    this.context.view.setBusy(false);
    this.context.view.status("");
    this.context.view.alert(error instanceof PlayerError ? error.message : "The course could not be loaded. Check your connection, then close this window and press Play again.");
  }

  /** scorm-again's settings: commits go through the queue, shaped to the contract's CommitRequest. */
  protected apiSettings(commitUrl: string | false): ApiSettings {
    const settings: ApiSettings = {
      autocommit: true,
      autocommitSeconds: AUTOCOMMIT_SECONDS,
      lmsCommitUrl: commitUrl,
      xhrHeaders: { "X-CSRF-Token": this.context.config.csrfToken },
      includeCommitSequence: true,
      sendFullCommit: true,
      ...DATA_MODEL_SETTINGS,
      requestHandler: (commitObject, metadata) => this.commitRequest(commitObject, metadata),
      responseHandler: readCommitResponse,
    };
    settings.httpService = new CommitTransport(this.context.queue, settings);
    return settings;
  }

  /** scorm-again's commit object -> the contract's CommitRequest. */
  private commitRequest(commitObject: unknown, metadata?: CommitMetadata): CommitRequest {
    const session = this.session;
    if (!session) throw new Error("a commit with no SCO session");
    const { cmi } = commitObject as { cmi?: Record<string, unknown> };
    const navRequest = this.navRequest();
    return {
      commitSequence: session.nextSequence(),
      isTerminateCommit: metadata?.isTerminateCommit ?? false,
      cmi: cmi ?? {},
      ...(navRequest ? { navRequest } : {}),
    };
  }

  private cmiValue(api: Api, element: string): string {
    const path = element.split(".").slice(1);
    let node: unknown = api.renderCMIToJSONObject().cmi;
    for (const key of path) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    return typeof node === "string" ? node : "";
  }

  private keepAlive(): void {
    const api = this.api;
    if (!this.leaving && api && api.isInitialized() && !api.isTerminated()) this.commitSco(api);
  }
}

function refreshOpener(): void {
  try {
    const opener = window.opener as Window | null;
    if (opener && !opener.closed && opener.location.origin === window.location.origin) opener.location.reload();
  } catch {
    // An opener on another origin: leave it alone.
  }
}
