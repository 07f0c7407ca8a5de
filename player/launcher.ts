// The launcher: a tiny page on the content origin, framed by the player window. It asks the player
// window for the SCO's data model, puts a real SCORM API over it on this window (sco-api.ts), and
// only then loads the SCO in a nested frame, so content that reads its bookmark straight after
// Initialize finds it. Course content never runs on the LMS origin. Each edition has its own entry
// (launcher-12.ts, launcher-2004.ts), so that a course loads only its own edition's API.
import { API_NAMES, PROTOCOL, isPlayerMessage, type ApiCall, type LauncherMessage, type NavValidity, type Unstamped } from "./protocol.ts";
import { createScoApi, type LocalApi } from "./sco-api.ts";
import type { CmiModel } from "../server/scorm/cmi-types.ts";
import { DATA_MODEL_SETTINGS } from "./data-model-settings.ts";

interface LauncherConfig {
  lmsOrigin: string;
  scoId: string;
  scoUrl: string;
}

// Long enough for a slow player window to fetch the SCO's state; then the learner is told.
const CMI_WAIT_MS = 20_000;

function readConfig(): LauncherConfig {
  const data = document.body.dataset;
  return { lmsOrigin: data.lmsOrigin ?? "", scoId: data.scoId ?? "", scoUrl: data.scoUrl ?? "" };
}

/** Runs the launcher with scorm-again's API of one edition, and the LMS's data model of it. */
export function startLauncher(model: CmiModel, createApi: (settings: Record<string, unknown>) => LocalApi): void {
  const version = model.version;
  const config = readConfig();
  const status = document.querySelector<HTMLElement>("[data-launcher-status]");
  // The launcher's API never commits: the player window's does, from the relayed calls.
  const settings = { ...DATA_MODEL_SETTINGS, lmsCommitUrl: false, autocommit: false };
  const post = (message: Unstamped<LauncherMessage>) => window.parent.postMessage({ protocol: PROTOCOL, ...message }, config.lmsOrigin);

  let frame: HTMLIFrameElement | null = null;
  let delivered = false;
  let nav: NavValidity | null = null;
  // Calls made in one turn of the SCO's script go in one message; always before sco-unloaded.
  let pending: ApiCall[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    post({ type: "api-calls", scoId: config.scoId, calls: pending });
    pending = [];
  };
  const relay = (call: ApiCall) => {
    if (pending.length === 0) queueMicrotask(flush);
    pending.push(call);
  };

  const loadSco = (cmi: Record<string, unknown>) => {
    const api = createApi(settings);
    api.loadFromJSON(cmi);
    (window as unknown as Record<string, unknown>)[API_NAMES[version]] = createScoApi({ model, api, newApi: () => createApi(settings), relay, navValidity: () => nav });
    frame = document.createElement("iframe");
    frame.title = "Course content";
    frame.allow = "fullscreen; autoplay";
    frame.src = config.scoUrl;
    document.body.append(frame);
    if (status) status.hidden = true;
  };

  // Removing a same-origin frame unloads its document synchronously: when remove() returns, the
  // SCO's pagehide / unload handlers have run and their last calls are queued; they are posted
  // ahead of sco-unloaded.
  const unloadSco = () => {
    frame?.remove();
    frame = null;
    flush();
    post({ type: "sco-unloaded", scoId: config.scoId });
  };

  window.addEventListener("message", (event) => {
    if (event.origin !== config.lmsOrigin || event.source !== window.parent) return;
    if (!isPlayerMessage(event.data) || event.data.scoId !== config.scoId) return;
    const message = event.data;
    if (message.type === "cmi") {
      if (delivered) return;
      delivered = true;
      nav = message.nav;
      loadSco(message.cmi);
    } else if (message.type === "nav-validity") {
      nav = message.nav;
    } else {
      unloadSco();
    }
  });

  post({ type: "cmi-request", scoId: config.scoId });
  window.setTimeout(() => {
    if (delivered || !status) return;
    status.textContent = "The course could not be started. Close this window and press Play again.";
    status.setAttribute("role", "alert");
  }, CMI_WAIT_MS);
}
