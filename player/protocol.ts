// The player window (LMS origin) and the launcher (content origin) speak these messages, and only
// these. The SCO talks to a real scorm-again API in the launcher, which answers every call at once
// and exactly as the specification says; the calls that change its state are then relayed, in
// order, to the player window's own API, which alone commits to the LMS (and, in SCORM 2004, holds
// the sequencer):
//
//   launcher -> player   cmi-request   {scoId}              "give me the SCO's data model"; once, on load
//   player -> launcher   cmi           {scoId, cmi, nav}    the data model as the SCO starts with it
//                                                           (scorm-again's nested JSON) and, 2004, which
//                                                           navigation requests are valid; then the SCO loads
//   player -> launcher   nav-validity  {scoId, nav}         the sequencer's latest answer on valid requests
//   launcher -> player   api-calls     {scoId, calls}       successful Initialize / SetValue / Commit /
//                                                           Terminate calls, in the order the SCO made them
//   player -> launcher   unload-sco    {scoId}              "unload the SCO" (Home, Previous/Next, another SCO)
//   launcher -> player   sco-unloaded  {scoId}              sent after the SCO's frame is gone, so after every
//                                                           call its unload handlers made (same sender: in order)
//
// Every message carries `protocol`, so neither side mistakes anything else posted to the window for
// one of these. Each side checks the other's origin and window.

export const PROTOCOL = "lms-player/2";

/** SCORM 2004 adl.nav.request_valid.*, as the player's sequencer last answered them. */
export interface NavValidity {
  continue: boolean;
  previous: boolean;
  /** Activity id -> whether a choice of it is valid now. */
  choice: Record<string, boolean>;
}

/** One API call the SCO made that changed the launcher's data model. */
export interface ApiCall {
  method: string;
  args: string[];
}

export type LauncherMessage =
  | { protocol: typeof PROTOCOL; type: "cmi-request"; scoId: string }
  | { protocol: typeof PROTOCOL; type: "api-calls"; scoId: string; calls: ApiCall[] }
  | { protocol: typeof PROTOCOL; type: "sco-unloaded"; scoId: string };

export type PlayerMessage =
  | { protocol: typeof PROTOCOL; type: "cmi"; scoId: string; cmi: Record<string, unknown>; nav: NavValidity | null }
  | { protocol: typeof PROTOCOL; type: "nav-validity"; scoId: string; nav: NavValidity }
  | { protocol: typeof PROTOCOL; type: "unload-sco"; scoId: string };

/** A message as its sender writes it, before `protocol` is stamped on. */
export type Unstamped<M> = M extends unknown ? Omit<M, "protocol"> : never;

/** The API methods whose successful calls are relayed, per edition. */
export const RELAYED_METHODS = {
  "1.2": ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish"],
  "2004": ["Initialize", "SetValue", "Commit", "Terminate"],
} as const;

function isMessage(data: unknown, types: readonly string[]): data is { protocol: string; type: string; scoId: string } {
  if (typeof data !== "object" || data === null) return false;
  const message = data as Record<string, unknown>;
  return message.protocol === PROTOCOL && typeof message.type === "string" && types.includes(message.type) && typeof message.scoId === "string";
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isNavValidity(value: unknown): value is NavValidity {
  return isRecord(value) && typeof value.continue === "boolean" && typeof value.previous === "boolean" && isRecord(value.choice) && Object.values(value.choice).every((valid) => typeof valid === "boolean");
}

function isApiCall(value: unknown): value is ApiCall {
  return isRecord(value) && typeof value.method === "string" && Array.isArray(value.args) && value.args.length <= 2 && value.args.every((arg) => typeof arg === "string");
}

export function isLauncherMessage(data: unknown): data is LauncherMessage {
  if (!isMessage(data, ["cmi-request", "api-calls", "sco-unloaded"])) return false;
  if (data.type !== "api-calls") return true;
  const calls = (data as { calls?: unknown }).calls;
  return Array.isArray(calls) && calls.every(isApiCall);
}

export function isPlayerMessage(data: unknown): data is PlayerMessage {
  if (!isMessage(data, ["cmi", "nav-validity", "unload-sco"])) return false;
  const message = data as Record<string, unknown>;
  if (data.type === "cmi") return isRecord(message.cmi) && (message.nav === null || isNavValidity(message.nav));
  if (data.type === "nav-validity") return isNavValidity(message.nav);
  return true;
}

/** The SCORM API's window property for each edition. */
export const API_NAMES = { "1.2": "API", "2004": "API_1484_11" } as const;
