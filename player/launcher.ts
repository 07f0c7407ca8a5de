// The launcher: a tiny page on the content origin, framed by the player window. It gives the SCO
// a SCORM API in its parent window (scorm-again's CrossFrameAPI, which relays every call to the
// real API in the player window), fills that API's cache with the attempt's saved CMI, and only
// then loads the SCO in a nested frame. Course content never runs on the LMS origin.
import * as crossFrameApi from "scorm-again/cross-frame-api";
import { API_NAMES, PROTOCOL, isPlayerMessage, type LauncherMessage, type Unstamped } from "./protocol.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { CrossFrameAPI } = crossFrameApi as unknown as { CrossFrameAPI: new (targetOrigin: string, targetWindow: Window) => object };

interface LauncherConfig {
  lmsOrigin: string;
  scormVersion: "1.2" | "2004";
  scoId: string;
  scoUrl: string;
}

// Long enough for a slow player window to fetch the SCO's state; then the learner is told.
const CMI_WAIT_MS = 20_000;

function readConfig(): LauncherConfig {
  const data = document.body.dataset;
  const scormVersion = data.scormVersion === "2004" ? "2004" : "1.2";
  return { lmsOrigin: data.lmsOrigin ?? "", scormVersion, scoId: data.scoId ?? "", scoUrl: data.scoUrl ?? "" };
}

function start(): void {
  const config = readConfig();
  const status = document.querySelector<HTMLElement>("[data-launcher-status]");
  const api = new CrossFrameAPI(config.lmsOrigin, window.parent);
  (window as unknown as Record<string, unknown>)[API_NAMES[config.scormVersion]] = api;

  let frame: HTMLIFrameElement | null = null;
  let delivered = false;
  const post = (message: Unstamped<LauncherMessage>) => window.parent.postMessage({ protocol: PROTOCOL, ...message }, config.lmsOrigin);

  // CrossFrameAPI answers GetValue synchronously from a private Map that it fills only as answers
  // come back from the player window. Content that reads its bookmark straight after Initialize
  // (most content does) would read "" and start again from page one. The Map is private in
  // scorm-again's types but an ordinary field at run time; its Proxy passes it through.
  const fillCache = (values: Record<string, string>) => {
    const cache = (api as unknown as { _cache?: unknown })._cache;
    if (!(cache instanceof Map)) throw new Error("scorm-again's CrossFrameAPI has no _cache Map: check the launcher against this version");
    for (const [element, value] of Object.entries(values)) cache.set(element, value);
  };

  const loadSco = () => {
    frame = document.createElement("iframe");
    frame.title = "Course content";
    frame.allow = "fullscreen; autoplay";
    frame.src = config.scoUrl;
    document.body.append(frame);
    if (status) status.hidden = true;
  };

  // Removing a same-origin frame unloads its document synchronously: when remove() returns, the
  // SCO's pagehide / unload handlers have run and their last SetValue / Commit / Finish calls
  // are already posted to the player window, ahead of this answer.
  const unloadSco = () => {
    frame?.remove();
    frame = null;
    post({ type: "sco-unloaded", scoId: config.scoId });
  };

  window.addEventListener("message", (event) => {
    if (event.origin !== config.lmsOrigin || event.source !== window.parent) return;
    if (!isPlayerMessage(event.data) || event.data.scoId !== config.scoId) return;
    if (event.data.type === "cmi") {
      if (delivered) return;
      delivered = true;
      fillCache(event.data.values);
      loadSco();
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

start();
