// The player window's side of the launcher protocol (player/protocol.ts): points the content
// frame at the content origin's launcher for a SCO, answers its one request for the SCO's data
// model, hands the SCO's relayed calls to the player's API, and unloads the SCO politely (so its
// own exit handlers run) before anything replaces it.
//
// The launcher loads while the player reads the SCO's state (load, then connect once it is
// read): its page and script come from the content origin, the state from the LMS, and neither
// needs the other until the launcher asks for the data model. One after the other, a launch
// waited for both in turn.
import { PROTOCOL, isLauncherMessage, type ApiCall, type NavValidity, type PlayerMessage, type Unstamped } from "./protocol.ts";

// The SCO's unload handlers run in the launcher's process; this bounds a launcher that never answers.
const UNLOAD_WAIT_MS = 3_000;

/** What the frame needs of the SCO session the player runs. */
export interface ScoSessionLink {
  /** The data model the SCO starts with (scorm-again's nested JSON, without `cmi`). */
  dataModel(): Record<string, unknown>;
  /** SCORM 2004: valid navigation requests now; null for 1.2. */
  navValidity(): NavValidity | null;
  /** The SCO's successful calls, in order. */
  apply(calls: ApiCall[]): void;
}

export class ContentFrame {
  /** The SCO whose launcher is in the frame; its link once the SCO's state is read; the launcher once it has asked for the data model; whether it was answered. */
  private current: { scoId: string; link: ScoSessionLink | null; asking: Window | null; answered: boolean } | null = null;
  private unloaded: (() => void) | null = null;
  private unloading: Promise<void> | null = null;

  constructor(
    private frame: HTMLIFrameElement,
    private readonly contentOrigin: string,
    private readonly launcherUrl: (scoId: string) => string,
  ) {
    window.addEventListener("message", (event) => this.onMessage(event));
  }

  /** Loads the SCO's launcher; it asks for the data model once, before the SCO itself loads, and is answered once connect() gives it. */
  load(scoId: string): void {
    this.current = { scoId, link: null, asking: null, answered: false };
    this.replaceFrame(this.launcherUrl(scoId));
  }

  /** The SCO's session, its state read: the launcher's request for the data model is answered (now, if it has asked). */
  connect(scoId: string, link: ScoSessionLink): void {
    const current = this.current;
    if (current?.scoId !== scoId || current.link) return;
    current.link = link;
    if (current.asking) this.answer(current.asking);
  }

  /** SCORM 2004: the sequencer's answer changed; the launcher answers adl.nav.request_valid.* from it. */
  navigationChanged(): void {
    const nav = this.current?.link?.navValidity();
    const launcher = this.frame.contentWindow;
    if (this.current && nav && launcher) this.post(launcher, { type: "nav-validity", scoId: this.current.scoId, nav });
  }

  /**
   * Unloads the SCO and waits until the launcher confirms it, which is after every call the
   * SCO's pagehide / unload handlers made has reached the API. Then empties the frame.
   */
  unload(): Promise<void> {
    this.unloading ??= this.unloadNow().finally(() => (this.unloading = null));
    return this.unloading;
  }

  private async unloadNow(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const launcher = this.frame.contentWindow;
    // Not answered, the launcher has not loaded the SCO: there is nothing to unload but the frame.
    if (launcher && current.answered) {
      await new Promise<void>((resolve) => {
        const timer = window.setTimeout(resolve, UNLOAD_WAIT_MS);
        this.unloaded = () => {
          window.clearTimeout(timer);
          resolve();
        };
        this.post(launcher, { type: "unload-sco", scoId: current.scoId });
      });
      this.unloaded = null;
    }
    this.current = null;
    this.replaceFrame(null);
  }

  /**
   * Each SCO gets a frame of its own, and an unloaded one leaves an empty frame. Pointing one frame
   * at SCO after SCO would add an entry to the player window's history for each (so the browser's
   * Back, or a phone's swipe, would take the learner to a SCO already left, outside the sequencer),
   * and would swap the frame between the content origin's process and this one twice per SCO.
   */
  private replaceFrame(src: string | null): void {
    const fresh = this.frame.cloneNode(false) as HTMLIFrameElement;
    fresh.removeAttribute("src");
    if (src !== null) fresh.src = src;
    this.frame.replaceWith(fresh);
    this.frame = fresh;
  }

  private onMessage(event: MessageEvent): void {
    if (event.origin !== this.contentOrigin || event.source !== this.frame.contentWindow || !this.current) return;
    if (!isLauncherMessage(event.data) || event.data.scoId !== this.current.scoId) return;
    const message = event.data;
    const current = this.current;
    if (message.type === "cmi-request") {
      current.asking = event.source as Window;
      if (current.link) this.answer(current.asking);
    } else if (message.type === "api-calls") current.link?.apply(message.calls);
    else this.unloaded?.();
  }

  private answer(launcher: Window): void {
    const current = this.current!;
    if (current.answered || !current.link) return;
    current.answered = true;
    this.post(launcher, { type: "cmi", scoId: current.scoId, cmi: current.link.dataModel(), nav: current.link.navValidity() });
  }

  private post(target: Window, message: Unstamped<PlayerMessage>): void {
    target.postMessage({ protocol: PROTOCOL, ...message }, this.contentOrigin);
  }
}

// Write-only elements: the SCO must never read them back (SCORM 1.2 RTE 3.4.4, 2004 RTE 4.2), and
// a new session starts without them.
const WRITE_ONLY = { "1.2": ["core.exit", "core.session_time"], "2004": ["exit", "session_time"] } as const;

/**
 * The data model a SCO session starts with, from the player's API once the saved CMI is loaded
 * (and, 2004, once the sequencer has put the activity's objectives in): scorm-again's JSON, less
 * write-only elements, plus what the JSON leaves out (1.2's cmi.core.total_time).
 */
export function dataModelSnapshot(version: "1.2" | "2004", api: { renderCMIToJSONObject(): { cmi: Record<string, unknown> }; getCMIValue(element: string): unknown }): Record<string, unknown> {
  const cmi = structuredClone(api.renderCMIToJSONObject().cmi);
  for (const path of WRITE_ONLY[version]) removePath(cmi, path);
  if (version === "1.2") {
    const core = (cmi.core ??= {}) as Record<string, unknown>;
    // "not attempted" is the API's initial value, never the SCO's word: loaded, scorm-again would
    // take it as set by the SCO (and then never complete a silent SCO at LMSFinish).
    if (core.lesson_status === "not attempted") delete core.lesson_status;
    const totalTime = api.getCMIValue("cmi.core.total_time");
    if (typeof totalTime === "string" && totalTime !== "") core.total_time = totalTime;
  }
  return cmi;
}

function removePath(node: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  const last = keys.pop()!;
  let parent: unknown = node;
  for (const key of keys) parent = typeof parent === "object" && parent !== null ? (parent as Record<string, unknown>)[key] : undefined;
  if (typeof parent === "object" && parent !== null) delete (parent as Record<string, unknown>)[last];
}
