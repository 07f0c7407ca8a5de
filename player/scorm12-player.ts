// SCORM 1.2 has no sequencing: navigation across SCOs is the LMS's. Ours: the SCOs in
// organization order, Previous / Next and the contents list, and moving on to the next SCO when
// the content finishes one it completed; a SCO whose prerequisites (adlcp:prerequisites) are not
// met is skipped by Previous / Next and cannot be chosen. A fresh Scorm12API per SCO: each has its
// own CMI and commits to its own endpoint. The course's roll-up is the server's.
import { CoursePlayer, type NavigationRequest, type PlayerContext } from "./course-player.ts";
import type { Scorm12Api } from "./scorm-again.ts";
import { createScorm12Api } from "./scorm-again-12.ts";
// Pure, shared with the server (no Node APIs).
import { isLessonStatus, prerequisitesMet, type LessonStatus } from "../server/scorm/prerequisites.ts";

// SCORM 1.2 RTE 3.4.4: lesson_status passed and failed also mean the learner is done with the SCO.
const FINISHED = new Set(["completed", "passed", "failed"]);
// A 1.2 lesson_status the SCO never set: scorm-again's initial value, or none.
const NOT_SET: Record<string, true> = { "": true, "not attempted": true };

export class Scorm12Player extends CoursePlayer<Scorm12Api> {
  protected readonly exitElement = "cmi.core.exit";
  protected readonly sessionTimeElement = "cmi.core.session_time";
  private readonly order: string[];
  private readonly known: ReadonlySet<string>;
  /** Each SCO's lesson status, as stored and then as this window's sessions report it. */
  private readonly statuses: Map<string, LessonStatus>;
  /** What the controls last showed, to update them only when it changes. */
  private shown: string | null = null;

  constructor(context: PlayerContext) {
    super(context);
    this.order = context.config.scos.map((sco) => sco.id);
    this.known = new Set(this.order);
    this.statuses = new Map(context.config.scos.map((sco) => [sco.id, sco.lessonStatus]));
  }

  async start(): Promise<void> {
    const { config } = this.context;
    const resume = config.resumeScoId !== null && this.available(config.resumeScoId) ? config.resumeScoId : undefined;
    const first = resume ?? this.order.find((id) => this.available(id));
    if (first === undefined) {
      this.context.view.alert(this.order.length ? "No part of this course can be opened yet: its prerequisites are not met. Tell Learning and Development." : "This course has nothing to play.");
      return;
    }
    await this.launch(first);
  }

  async navigate(request: NavigationRequest): Promise<void> {
    if (this.navigating || this.leaving) return;
    const current = this.session?.scoId;
    const target = request.type === "previous" ? this.neighbour(current, -1) : request.type === "continue" ? this.neighbour(current, 1) : request.scoId;
    if (target === undefined || target === current || !this.available(target)) return;
    this.navigating = true;
    this.context.view.setBusy(true);
    try {
      await this.endSco();
      await this.launch(target);
    } finally {
      this.navigating = false;
    }
  }

  protected endForHome(): Promise<void> {
    return this.endSco();
  }

  protected prepareApi(commitUrl: string): Scorm12Api {
    const api = createScorm12Api(this.apiSettings(commitUrl));
    (window as unknown as { API: Scorm12Api }).API = api;
    const scoId = this.session!.scoId;
    api.on("LMSFinish", () => this.finished(api, scoId));
    api.on("LMSCommit", () => this.showProgress(api, scoId));
    return api;
  }

  protected override launchedSco(scoId: string): void {
    // An asset is completed once delivered (the server records it so at its launch).
    if (this.onAsset()) this.statuses.set(scoId, "completed");
    this.shown = null;
    this.showNavigation(scoId);
  }

  /** Once the SCO has initialized, what its end would open is open (statusWhenEnded). */
  protected override afterCalls(): void {
    const scoId = this.session?.scoId;
    if (scoId) this.showNavigation(scoId);
  }

  private showNavigation(scoId: string): void {
    const statusOf = this.statusesWhenEnded();
    const navigation = {
      previous: this.neighbour(scoId, -1, statusOf) !== undefined,
      next: this.neighbour(scoId, 1, statusOf) !== undefined,
      choice: Object.fromEntries(this.order.map((id) => [id, this.available(id, statusOf)])),
    };
    const shown = JSON.stringify(navigation);
    if (shown === this.shown) return;
    this.shown = shown;
    this.context.view.setNavigation(navigation);
  }

  /** Whether the SCO's prerequisites are met (a script that cannot be read is not enforced). */
  private available(scoId: string, statusOf = this.statusesWhenEnded()): boolean {
    const sco = this.context.config.scos.find((candidate) => candidate.id === scoId);
    if (!sco) return false;
    return prerequisitesMet(sco.prerequisites, this.known, statusOf);
  }

  /**
   * Each SCO's lesson status, with the SCO on screen as it will stand once it ends, which is what
   * Next and the contents do first: what it has set so far, committed or not, and a status it has
   * not set is completed at its LMSFinish (beforeFinish). Content that reports nothing and
   * finishes only as it unloads would otherwise lock the next SCO for as long as it runs, and the
   * learner could move on only by Home and Play.
   */
  private statusesWhenEnded(): (scoId: string) => LessonStatus {
    const onScreen = this.session?.scoId;
    const api = this.api;
    let projected: LessonStatus | null = null;
    if (onScreen && api && api.isInitialized() && !api.isTerminated()) {
      const now = core(api);
      const status = now.lesson_status ?? "";
      projected = status in NOT_SET ? statusAtFinish(now) : isLessonStatus(status) ? status : null;
    }
    return (scoId) => (scoId === onScreen && projected) || (this.statuses.get(scoId) ?? "not attempted");
  }

  /** The nearest SCO before (-1) or after (1) this one that may be launched. */
  private neighbour(scoId: string | undefined, direction: -1 | 1, statusOf = this.statusesWhenEnded()): string | undefined {
    const start = scoId === undefined ? (direction === 1 ? -1 : this.order.length) : this.order.indexOf(scoId);
    for (let index = start + direction; index >= 0 && index < this.order.length; index += direction) {
      if (this.available(this.order[index]!, statusOf)) return this.order[index];
    }
    return undefined;
  }

  /**
   * SCORM 1.2 at LMSFinish: a lesson_status still "not attempted" becomes "completed" (the server's
   * status then follows the mastery score, when the SCO reported a score), as Moodle and SCORM Cloud
   * do; not in browse mode. The server applies the same rule to the terminate commit (session-end.ts);
   * here it makes the commit say so, and the player move on as for any completed SCO. scorm-again's
   * own autoCompleteLessonStatus never fires: it takes its initial "not attempted" as set by the SCO.
   */
  protected override beforeFinish(api: Scorm12Api): void {
    const now = core(api);
    if ((now.lesson_status ?? "") in NOT_SET) {
      const supplied = statusAtFinish(now);
      if (supplied) api.LMSSetValue("cmi.core.lesson_status", supplied);
    }
  }

  protected finishSco(api: Scorm12Api): void {
    api.LMSFinish("");
  }

  protected setValue(api: Scorm12Api, element: string, value: string): void {
    api.LMSSetValue(element, value);
  }

  protected commitSco(api: Scorm12Api): void {
    api.LMSCommit("");
  }

  protected scoFinished(api: Scorm12Api): boolean {
    return FINISHED.has(core(api).lesson_status ?? "");
  }

  private showProgress(api: Scorm12Api, scoId: string): void {
    if (this.scoFinished(api)) this.context.view.markCompleted(scoId);
    const status = core(api).lesson_status;
    if (isLessonStatus(status) && status !== this.statuses.get(scoId)) {
      this.statuses.set(scoId, status);
      // Another SCO's prerequisites may be met now.
      if (this.session?.scoId === scoId) this.launchedSco(scoId);
    }
  }

  /**
   * The content finished its session (LMSFinish). When the player asked for it (Previous, Next,
   * contents, Home), the player carries on itself. Otherwise the content ended it: on to the next
   * SCO if this one is completed, else the learner is done for now, as with Home.
   */
  private finished(api: Scorm12Api, scoId: string): void {
    this.showProgress(api, scoId);
    if (this.navigating || this.leaving) return;
    window.setTimeout(() => {
      if (this.navigating || this.leaving) return;
      const next = this.neighbour(scoId, 1);
      if (this.scoFinished(api) && next !== undefined) void this.launch(next);
      else void this.leave();
    }, 0);
  }
}

/** The SCO's cmi.core as scorm-again holds it now: set by the SCO or not, committed or not. */
function core(api: Scorm12Api): { lesson_status?: string; lesson_mode?: string } {
  return (api.renderCMIToJSONObject().cmi.core ?? {}) as { lesson_status?: string; lesson_mode?: string };
}

/** What a lesson_status the SCO never set becomes at LMSFinish (see beforeFinish): completed, but not in browse mode. */
function statusAtFinish(now: { lesson_mode?: string }): LessonStatus | null {
  return now.lesson_mode === "browse" ? null : "completed";
}
