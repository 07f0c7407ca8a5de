// The player window's side of the launcher protocol (player/protocol.ts): points the content
// frame at the content origin's launcher for a SCO, answers its one request for the SCO's CMI,
// and unloads the SCO politely (so its own exit handlers run) before anything replaces it.
import { PROTOCOL, isLauncherMessage, type PlayerMessage, type Unstamped } from "./protocol.ts";

// The SCO's unload handlers run in the launcher's process; this bounds a launcher that never answers.
const UNLOAD_WAIT_MS = 3_000;

// Write-only elements: content must never read them back (SCORM 1.2 RTE 3.4.4, 2004 RTE 4.2).
const WRITE_ONLY = new Set(["cmi.core.exit", "cmi.core.session_time", "cmi.exit", "cmi.session_time"]);

export class ContentFrame {
  private current: { scoId: string; snapshot: () => Record<string, string> } | null = null;
  private unloaded: (() => void) | null = null;
  private unloading: Promise<void> | null = null;

  constructor(
    private readonly frame: HTMLIFrameElement,
    private readonly contentOrigin: string,
    private readonly launcherUrl: (scoId: string) => string,
  ) {
    window.addEventListener("message", (event) => this.onMessage(event));
  }

  /** Loads the SCO's launcher; it will ask for snapshot() once, before the SCO itself loads. */
  load(scoId: string, snapshot: () => Record<string, string>): void {
    this.current = { scoId, snapshot };
    this.frame.src = this.launcherUrl(scoId);
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
    if (launcher) {
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
    this.frame.src = "about:blank";
  }

  private onMessage(event: MessageEvent): void {
    if (event.origin !== this.contentOrigin || event.source !== this.frame.contentWindow || !this.current) return;
    if (!isLauncherMessage(event.data) || event.data.scoId !== this.current.scoId) return;
    if (event.data.type === "cmi-request") {
      this.post(event.source as Window, { type: "cmi", scoId: this.current.scoId, values: this.current.snapshot() });
    } else {
      this.unloaded?.();
    }
  }

  private post(target: Window, message: Unstamped<PlayerMessage>): void {
    target.postMessage({ protocol: PROTOCOL, ...message }, this.contentOrigin);
  }
}

/**
 * Elements the API answers but leaves out of its JSON rendering (getFlattenedCMI): the keywords,
 * and SCORM 1.2's cmi.core.total_time. The cache must hold them too, or content reading them
 * straight after Initialize gets "" until CrossFrameAPI's first refresh, a second later.
 */
export const UNRENDERED_12 = [
  "cmi._version",
  "cmi._children",
  "cmi.core._children",
  "cmi.core.score._children",
  "cmi.core.total_time",
  "cmi.student_data._children",
  "cmi.student_preference._children",
  "cmi.objectives._children",
  "cmi.interactions._children",
];
export const UNRENDERED_2004 = [
  "cmi._version",
  "cmi.score._children",
  "cmi.objectives._children",
  "cmi.interactions._children",
  "cmi.comments_from_learner._children",
  "cmi.comments_from_lms._children",
  "cmi.learner_preference._children",
];

/** The values of `elements` as the API answers them (it does so before Initialize too). */
export function unrenderedValues(api: { getCMIValue(element: string): unknown }, elements: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const element of elements) {
    const value = api.getCMIValue(element);
    if (typeof value === "string" || typeof value === "number") values[element] = String(value);
  }
  return values;
}

/**
 * The CMI as CrossFrameAPI's cache holds it: element -> string, plus `_count` for each
 * collection (content appends interactions at cmi.interactions._count), without write-only elements.
 */
export function cacheSnapshot(flattened: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  const counts = new Map<string, number>();
  for (const [element, value] of Object.entries(flattened)) {
    // Every collection an element is indexed in: cmi.interactions.0.objectives.1.id means
    // cmi.interactions holds at least 1 and cmi.interactions.0.objectives at least 2.
    for (const match of element.matchAll(/\.(\d+)(?=\.)/g)) {
      const prefix = element.slice(0, match.index);
      counts.set(prefix, Math.max(counts.get(prefix) ?? 0, Number(match[1]) + 1));
    }
    if (typeof value === "string") {
      if (!WRITE_ONLY.has(element)) values[element] = value;
    } else if (typeof value === "number" || typeof value === "boolean") {
      values[element] = String(value);
    } else if (typeof value === "object" && value !== null && Object.keys(value).length === 0) {
      counts.set(element, counts.get(element) ?? 0); // an empty collection, e.g. "cmi.objectives": {}
    }
  }
  for (const [prefix, count] of counts) values[`${prefix}._count`] = String(count);
  return values;
}
