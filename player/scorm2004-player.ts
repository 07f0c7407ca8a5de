// SCORM 2004: scorm-again's sequencer decides what to deliver, from the `sequencing` settings the
// server built from the manifest. The player turns its decisions into launches: a delivered
// activity is launched in the content frame; the end of the sequencing session closes the
// player. One Scorm2004API for the whole course (it holds the activity tree), reset for each SCO
// so that every SCO starts from its own saved CMI and commits to its own endpoint.
import { choiceRefusal, constrainedChoices, findActivity, type ConstrainedChoice, type Refusal } from "./choice-sequencing.ts";
import { CoursePlayer, type NavigationRequest, type PlayerContext } from "./course-player.ts";
import { mayChangeNavigation, navigationValidity, type Flow } from "./navigation-validity.ts";
import type { ApiCall, NavValidity } from "./protocol.ts";
import { choiceContext, correctSequencer, withoutConstrainedChoice } from "./sequencer-corrections.ts";
import { contentRequest, refusalMessage } from "./sequencer-refusals.ts";
import { startSteps, type StartStep } from "./session-start.ts";
import type { FlatCmi } from "../server/scorm/cmi-json.ts";
import { statuses2004 } from "../server/scorm/status.ts";
import type { Scorm2004Api, SequencingListeners } from "./scorm-again.ts";
import { createScorm2004Api } from "./scorm-again-2004.ts";

export class Scorm2004Player extends CoursePlayer<Scorm2004Api> {
  protected readonly exitElement = "cmi.exit";
  protected readonly sessionTimeElement = "cmi.session_time";
  private readonly course: Scorm2004Api;
  /** Set synchronously by the sequencer's callbacks, read after a navigation request returns. */
  private delivered: string | null = null;
  private sessionEnded = false;
  /** The sequencer's state as last queued for saving, without its timestamps: an unchanged state is not sent again. */
  private savedState: string | null;
  /** Which navigation requests are valid now: what the player offers, and the launcher answers (navigation-validity.ts). */
  private validity: NavValidity | null = null;
  /** What the controls last showed, to update them only when it changes. */
  private shown: string | null = null;
  /** scorm-again's own latest look-ahead: Next / Previous where no preview answers, and hideLMSUI. */
  private reported: (Flow & { hidden: Array<"previous" | "next"> }) | null = null;
  /** adlseq constrainChoice / preventActivation by activity id: applied by the player, not given to scorm-again (sequencer-corrections.ts). */
  private readonly constrained: ReadonlyMap<string, ConstrainedChoice>;
  /** The exception of the navigation request the sequencer last refused (SN codes, e.g. SB.2.9-4). */
  private refusal: string | null = null;
  /** The sequencing session has begun here: before that there is no state of this window's to save. */
  private started = false;
  /** A start step is preparing (session-start.ts): a session it ends is not the learner's. */
  private preparing = false;
  /**
   * Next or Previous that the sequencer refused with no SCO running, until the next delivery: the
   * look-ahead that stands then may offer what fails (navigation-validity.ts), and nothing can
   * change the answer before something is delivered.
   */
  private readonly refusedUntilDelivery = new Set<"continue" | "previous">();

  constructor(context: PlayerContext) {
    super(context);
    this.savedState = context.config.sequencingState === null ? null : withoutTimestamps(context.config.sequencingState);
    const listeners: SequencingListeners = {
      onActivityDelivery: (activity) => {
        this.delivered = activity.id;
        this.refusedUntilDelivery.clear();
        this.showSequencedProgress();
        // Out of the sequencer's call stack: the launch resets the API the sequencer is still in.
        window.setTimeout(() => {
          void this.launch(activity.id);
          this.saveSequencingState();
        }, 0);
      },
      onSequencingSessionEnd: () => {
        if (this.preparing) return;
        this.sessionEnded = true;
        // Queued now, before leave() waits for the queue (or the window's unloading beacons it).
        this.saveSequencingState();
        window.setTimeout(() => void this.leave(), 0);
      },
      onSequencingError: (error, context) => {
        if (context === "navigation") this.refusal = error;
      },
      onNavigationValidityUpdate: (validity) => {
        const hideLmsUi = validity.hideLmsUi ?? [];
        const hidden = [...(hideLmsUi.includes("previous") ? ["previous" as const] : []), ...(hideLmsUi.includes("continue") ? ["next" as const] : [])];
        this.reported = { continue: validity.continue, previous: validity.previous, hidden };
        this.refreshNavigation();
      },
    };
    const sequencing = context.config.sequencing;
    this.constrained = sequencing ? constrainedChoices(sequencing.activityTree) : new Map();
    // scorm-again picks its HTTP service once, in the constructor: the queue's transport goes in
    // now, and each SCO's commit URL with the reset that prepares the API for it.
    this.course = createScorm2004Api({ ...this.apiSettings(false), ...(sequencing ? { sequencing: { ...withoutConstrainedChoice(sequencing), eventListeners: listeners } } : {}) });
    if (sequencing) correctSequencer(this.course, this.constrained);
    (window as unknown as { API_1484_11: Scorm2004Api }).API_1484_11 = this.course;
    this.course.on("Terminate", () => this.terminated());
    this.course.on("Commit", () => this.showProgress());
  }

  /**
   * Starts the sequencing session. With a saved sequencer state (an attempt played before), the
   * activity tree is restored first, so that attempt counts, statuses and rules carry on; then the
   * requests of session-start.ts, in turn, until one delivers a SCO.
   */
  async start(): Promise<void> {
    const { config } = this.context;
    this.started = true;
    const restored = config.sequencingState !== null && this.restoreSequencingState(config.sequencingState);
    const steps = startSteps({ restoredState: restored ? config.sequencingState : null, resumeScoId: config.resumeScoId, firstScoId: config.scos[0]?.id ?? null });
    for (const step of steps) {
      if (this.startWith(step)) return;
    }
    this.context.view.alert("This course cannot be started: its sequencing rules offer nothing to open. Tell Learning and Development.");
  }

  /** One way to start: the requests before the last prepare it, and end no session of the learner's. */
  private startWith(step: StartStep): boolean {
    const requests = step.map((request) => request.split(" ") as [string, string | undefined]);
    const [last] = requests.splice(-1);
    this.preparing = true;
    try {
      for (const [request, target] of requests) this.request(request, target);
    } finally {
      this.preparing = false;
    }
    return this.request(last![0], last![1]);
  }

  async navigate(request: NavigationRequest): Promise<void> {
    if (this.navigating || this.leaving) return;
    const target = request.type === "choice" ? request.scoId : undefined;
    const scoRunning = this.scoRunning();
    // The SCO on screen, chosen again from the contents while it runs: it is already there.
    if (target !== undefined && target === this.session?.scoId && scoRunning) return;
    // A choice the SN refuses is refused here, and the SCO on screen carries on (SB.2.9, DB.1.1).
    const refused = target ? this.choiceRefusal(target) : null;
    if (refused) return this.context.view.alert(refusalMessage("choice", refused));
    this.navigating = true;
    this.context.view.setBusy(true);
    try {
      await this.requestNow(request.type, target);
      if (!this.delivered && !this.sessionEnded) {
        this.context.view.alert(refusalMessage(request.type, this.refusal));
        if (!scoRunning && request.type !== "choice") {
          this.refusedUntilDelivery.add(request.type);
          this.refreshNavigation();
        }
      }
    } finally {
      this.navigating = false;
      // A delivered SCO is launching: the launch frees the controls once it is on screen.
      if (!this.leaving && !this.delivered) this.context.view.setBusy(false);
    }
  }

  /**
   * Home unloads the SCO first, with no request of the player's pending, so that the content ends
   * its session as it means to (a SCO that exits normally on unload has finished its attempt, and
   * the End Attempt defaults may complete it); one it leaves running is suspended for it. Then,
   * outside any SCO session, Home suspends a course not yet complete, so the learner carries on
   * later, and exits one that is.
   */
  protected async endForHome(): Promise<void> {
    this.navigating = true;
    try {
      await this.endSco();
      this.request(this.homeRequest());
    } finally {
      this.navigating = false;
    }
  }

  /**
   * A navigation request from the player's controls. While a SCO runs, it goes in adl.nav.request
   * and is processed when the SCO terminates: the content's own unload handlers usually do that,
   * so the terminate commit carries the request; otherwise endSco() terminates it.
   */
  private async requestNow(navRequest: string, target?: string): Promise<void> {
    this.delivered = null;
    this.refusal = null;
    const api = this.course;
    if (this.scoRunning()) {
      api.SetValue("adl.nav.request", target ? `{target=${target}}choice` : navRequest);
      await this.endSco();
      return;
    }
    // Content that has not called Initialize yet may still talk to the API as it unloads: it goes
    // first. A SCO that has terminated, or an asset, can do nothing more, and stays on screen if the
    // request is refused (a delivery unloads it).
    if (!api.isTerminated() && !this.onAsset()) await this.context.frame.unload();
    this.request(navRequest, target);
  }

  private scoRunning(): boolean {
    return this.course.isInitialized() && !this.course.isTerminated();
  }

  override abandon(): void {
    // Closed before the course started (another window plays it, or progress from a last visit
    // was still being saved): this window has no sequencing state of its own to send.
    if (!this.started) return super.abandon();
    const api = this.course;
    if (api.isInitialized() && !api.isTerminated() && api.adl.nav.request === "_none_") api.SetValue("adl.nav.request", "suspendAll");
    super.abandon();
    // The window is unloading: the queue sends this by beacon, after the SCO's last commit.
    this.saveSequencingState();
  }

  private restoreSequencingState(state: string): boolean {
    try {
      return this.course.deserializeSequencingState(state) === true;
    } catch (error) {
      console.warn("the saved sequencing state could not be restored; starting afresh", error);
      return false;
    }
  }

  /** Queues the sequencer's state, in order with the commits, when it changed. */
  private saveSequencingState(): void {
    const url = this.context.config.sequencingStateUrl;
    if (!url || !this.context.config.sequencing) return;
    let state: string;
    try {
      state = this.course.serializeSequencingState();
    } catch (error) {
      console.warn("the sequencing state could not be saved", error);
      return;
    }
    const unchanged = withoutTimestamps(state);
    if (!state || unchanged === this.savedState) return;
    this.savedState = unchanged;
    this.context.queue.push({ url, body: { sequencingState: state } });
  }

  protected prepareApi(commitUrl: string): Scorm2004Api {
    // Keeps the activity tree and the listeners; clears the previous SCO's CMI and state.
    this.course.reset({ lmsCommitUrl: commitUrl }, { preserveListeners: true });
    return this.course;
  }

  /**
   * scorm-again's Initialize puts the activity's objectives from the sequencer (global objectives
   * read through mapInfo) into cmi.objectives. The SCO reads them from the launcher's API straight
   * after its own Initialize, so this one is initialized first, and the launcher starts from what
   * it holds then; the SCO's own Initialize, relayed, then finds it running.
   */
  protected override beforeSco(api: Scorm2004Api): void {
    api.Initialize("");
    // The SCO running, Next and Previous can be previewed.
    this.refreshNavigation();
  }

  /** The SCO's calls may change what Next and Previous would do (its statuses, at End Attempt). */
  protected override afterCalls(calls: readonly ApiCall[]): void {
    if (mayChangeNavigation(calls)) this.refreshNavigation();
  }

  /** Recomputes what the player offers; the controls and the launcher hear of it when it changed. */
  private refreshNavigation(): void {
    const reported = this.reported;
    if (!reported) return;
    const sequenced = navigationValidity(this.course, this.constrained, reported);
    const validity = { ...sequenced, continue: sequenced.continue && !this.refusedUntilDelivery.has("continue"), previous: sequenced.previous && !this.refusedUntilDelivery.has("previous") };
    const shown = JSON.stringify([validity, reported.hidden]);
    if (shown === this.shown) return;
    this.shown = shown;
    this.validity = validity;
    this.context.frame.navigationChanged();
    this.context.view.setNavigation({ previous: validity.previous, next: validity.continue, choice: validity.choice, hidden: reported.hidden });
  }

  /** The SN's refusal of a choice of this activity now (choice-sequencing.ts), or null. */
  private choiceRefusal(activityId: string): Refusal {
    const context = choiceContext(this.course, this.constrained);
    const target = context && findActivity(context.root, activityId);
    return context && target ? choiceRefusal(context, target) : null;
  }

  protected override navValidity(): NavValidity | null {
    return this.validity;
  }

  protected override navRequest(): string | undefined {
    const request = this.course.adl.nav.request;
    return request && request !== "_none_" ? request : undefined;
  }

  protected finishSco(api: Scorm2004Api): void {
    api.Terminate("");
  }

  protected setValue(api: Scorm2004Api, element: string, value: string): void {
    api.SetValue(element, value);
  }

  protected commitSco(api: Scorm2004Api): void {
    api.Commit("");
  }

  /** As the server judges it (RTE 4.2.4.1): a progress measure at the completion threshold completes, whatever completion_status says. */
  protected scoFinished(api: Scorm2004Api): boolean {
    return statuses2004(api.getFlattenedCMI() as FlatCmi).completion === "completed";
  }

  private homeRequest(): string {
    const root = this.context.config.sequencing?.activityTree.id;
    const complete = root !== undefined && this.course.getActivityTrackingData(root)?.completionStatus === "completed";
    return complete ? "exitAll" : "suspendAll";
  }

  /** A navigation request outside a SCO session; true when it delivered a SCO or ended the session. */
  private request(request: string, target?: string): boolean {
    this.delivered = null;
    this.sessionEnded = false;
    try {
      this.course.processNavigationRequest(request, target);
    } catch (error) {
      console.warn(`navigation request ${request} failed`, error);
    }
    return this.delivered !== null || this.sessionEnded;
  }

  /**
   * Ticks each SCO the sequencer holds completed: those the LMS completed when their attempt ended
   * (SN UP.4's defaults, for content that reports nothing) as well as those that said so.
   */
  private showSequencedProgress(): void {
    for (const { id } of this.context.config.scos) {
      if (this.course.getActivityTrackingData(id)?.completionStatus === "completed") this.context.view.markCompleted(id);
    }
  }

  private showProgress(): void {
    const scoId = this.session?.scoId;
    if (scoId && this.scoFinished(this.course)) this.context.view.markCompleted(scoId);
  }

  /**
   * The SCO terminated. The sequencer acts on its navigation request straight after this listener
   * (a delivery or the end of the session, both handled by the listeners). When it did neither and
   * the player did not ask, the content simply ended: a one-SCO course is over; in a longer one the
   * learner chooses what next from the contents, or Home. When the content's own Next, Previous or
   * choice was refused, the learner is told why, as for the player's own controls: otherwise its
   * button would seem to do nothing.
   */
  private terminated(): void {
    // Read now: scorm-again clears adl.nav.request once it has processed it.
    const requested = contentRequest(this.navRequest());
    this.showProgress();
    if (this.navigating || this.leaving) return;
    this.delivered = null;
    this.sessionEnded = false;
    this.refusal = null;
    window.setTimeout(() => {
      this.showSequencedProgress();
      if (this.navigating || this.leaving || this.delivered || this.sessionEnded) return;
      // The SCO's end rolled the course up (SN TB.2.3, RB.1.5): the course may be complete now,
      // before the learner selects Home.
      this.saveSequencingState();
      if (this.context.config.scos.length <= 1) return void this.leave();
      if (requested) this.context.view.alert(refusalMessage(requested, this.refusal));
      this.context.view.status("Choose a part of the course from the contents, or select Home.");
    }, 0);
  }
}

/**
 * scorm-again stamps a serialised state with the time of serialising it (at several depths), so two
 * states of the same sequencer never compare equal: compared without the stamps, a state that did
 * not change is not sent again (a Home would otherwise send it twice, the second time by beacon as
 * the window closes, and a large course's state is more than a beacon can carry).
 */
function withoutTimestamps(state: string): string {
  try {
    return JSON.stringify(JSON.parse(state), (key, value: unknown) => (key === "timestamp" ? undefined : value));
  } catch {
    return state;
  }
}
