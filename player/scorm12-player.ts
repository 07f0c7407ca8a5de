// SCORM 1.2 has no sequencing: navigation across SCOs is the LMS's. Ours: the SCOs in
// organization order, Previous / Next and the contents list, and moving on to the next SCO when
// the content finishes one it completed. A fresh Scorm12API per SCO: each has its own CMI and
// commits to its own endpoint. The course's roll-up is the server's.
import { CoursePlayer, type NavigationRequest, type PlayerContext } from "./course-player.ts";
import { createCrossFrameLms, createScorm12Api, type CrossFrameLms, type Scorm12Api } from "./scorm-again.ts";

// SCORM 1.2 RTE 3.4.4: lesson_status passed and failed also mean the learner is done with the SCO.
const FINISHED = new Set(["completed", "passed", "failed"]);

export class Scorm12Player extends CoursePlayer<Scorm12Api> {
  protected readonly exitElement = "cmi.core.exit";
  protected readonly sessionTimeElement = "cmi.core.session_time";
  private lms: CrossFrameLms | null = null;
  private readonly order: string[];

  constructor(context: PlayerContext) {
    super(context);
    this.order = context.config.scos.map((sco) => sco.id);
  }

  async start(): Promise<void> {
    const { config } = this.context;
    const first = config.resumeScoId ?? this.order[0];
    if (first === undefined) {
      this.context.view.alert("This course has nothing to play.");
      return;
    }
    await this.launch(first);
  }

  async navigate(request: NavigationRequest): Promise<void> {
    if (this.navigating || this.leaving) return;
    const current = this.session?.scoId;
    const index = current === undefined ? -1 : this.order.indexOf(current);
    const target =
      request.type === "previous" ? this.order[index - 1] : request.type === "continue" ? this.order[index + 1] : request.type === "choice" ? request.scoId : undefined;
    if (request.type !== "home" && (target === undefined || target === current)) return;
    this.navigating = true;
    this.context.view.setBusy(true);
    try {
      await this.endSco();
      if (request.type === "home" || target === undefined) await this.leave();
      else await this.launch(target);
    } finally {
      this.navigating = false;
    }
  }

  protected prepareApi(commitUrl: string): Scorm12Api {
    this.lms?.destroy();
    const api = createScorm12Api(this.apiSettings(commitUrl));
    (window as unknown as { API: Scorm12Api }).API = api;
    this.lms = createCrossFrameLms(api, this.context.config.contentOrigin);
    const scoId = this.session!.scoId;
    api.on("LMSFinish", () => this.finished(api, scoId));
    api.on("LMSCommit", () => this.showProgress(api, scoId));
    return api;
  }

  protected override launchedSco(scoId: string): void {
    const index = this.order.indexOf(scoId);
    this.context.view.setNavigation({ previous: index > 0, next: index >= 0 && index < this.order.length - 1 });
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
    const core = api.renderCMIToJSONObject().cmi.core as { lesson_status?: string } | undefined;
    return FINISHED.has(core?.lesson_status ?? "");
  }

  private showProgress(api: Scorm12Api, scoId: string): void {
    if (this.scoFinished(api)) this.context.view.markCompleted(scoId);
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
      const next = this.order[this.order.indexOf(scoId) + 1];
      if (this.scoFinished(api) && next !== undefined) void this.launch(next);
      else void this.leave();
    }, 0);
  }
}
