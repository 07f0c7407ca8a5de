// The SCORM API the SCO finds in its parent (the launcher, content origin). A real scorm-again
// API answers every call synchronously, so `_count`, error codes, GetLastError, GetErrorString and
// GetDiagnostic are exactly scorm-again's, which follows the RTE books. Content that appends an
// interaction at cmi.interactions._count, or checks a SetValue's result, sees what the spec says.
//
// Why not scorm-again's CrossFrameAPI: it answers from a cache filled asynchronously by the player
// window, so it answered "true" and "0" to SetValues the API refused and never counted what the SCO
// appended: a 14-question quiz wrote every question to cmi.interactions.0. No cache can be faithful
// without being the data model itself, so the data model runs here, beside the SCO.
//
// Added to scorm-again's answers:
// - a SetValue the LMS would refuse at commit (its validation is stricter in places, e.g. a 1.2
//   session_time of more than 4 digits of hours) is refused here, with scorm-again's code when it
//   would refuse the value too and the LMS's otherwise: the SCO learns of it, and no commit that
//   the server must refuse (losing everything in it) is ever sent;
// - SCORM 2004's adl.nav.request_valid.* are answered from the player window's sequencer, and
//   adl.nav.request reads back what was set (RTE 4.4.1; scorm-again took it as write-only);
// - where scorm-again 3.4.3 falls short of the RTE books (sco-api-rules.ts): record dependencies and
//   unique objective ids in 2004, calls after 1.2's LMSFinish, and a successful GetValue always
//   setting the error code to 0.
// Each successful call that changes the data model is then relayed, in order, to the player
// window, whose own API (the same calls from the same start: the same state) commits to the LMS.
import { validateAgainst } from "../server/scorm/cmi-check.ts";
import type { CmiModel } from "../server/scorm/cmi-types.ts";
import { API_NAMES, type ApiCall, type NavValidity } from "./protocol.ts";
import { FINISHED_12, recordRefusal2004, type Refusal } from "./sco-api-rules.ts";

export type ScormVersion = keyof typeof API_NAMES;

/** What the launcher needs of a scorm-again API instance (called by method name, per edition). */
export interface LocalApi {
  loadFromJSON(json: Record<string, unknown>, element?: string): void;
  renderCMIToJSONObject(): { cmi: Record<string, unknown> };
  getFlattenedCMI(): Record<string, unknown>;
  isInitialized(): boolean;
  isTerminated(): boolean;
  /** scorm-again's error state, which GetLastError reads. */
  lastErrorCode: string;
}

type ApiFunction = (...args: string[]) => string;

const METHODS = {
  "1.2": {
    initialize: "LMSInitialize", terminate: "LMSFinish", getValue: "LMSGetValue", setValue: "LMSSetValue", commit: "LMSCommit",
    getLastError: "LMSGetLastError", getErrorString: "LMSGetErrorString", getDiagnostic: "LMSGetDiagnostic",
  },
  "2004": {
    initialize: "Initialize", terminate: "Terminate", getValue: "GetValue", setValue: "SetValue", commit: "Commit",
    getLastError: "GetLastError", getErrorString: "GetErrorString", getDiagnostic: "GetDiagnostic",
  },
} as const;

// SCORM 2004 4th RTE 4.4.2 (adl.nav.request_valid): continue, previous, choice.{target=ID}.
const NAV_VALID = /^adl\.nav\.request_valid\.(continue|previous|choice\.\{target=([^}]+)\})$/;
// Interaction responses are checked against the interaction's type (set earlier, perhaps in an earlier session).
const INTERACTION_ELEMENT = /^cmi\.interactions\.\d+\./;

export interface ScoApiOptions {
  /** The edition's data model as the LMS checks it (server/scorm/cmi-model-12.ts, cmi-model-2004.ts). */
  model: CmiModel;
  api: LocalApi;
  /** A fresh API of the same edition and settings: asks scorm-again what it would answer to a SetValue, without changing `api`. */
  newApi(): LocalApi;
  relay(call: ApiCall): void;
  /** The sequencer's valid navigation requests, 2004; null answers from scorm-again itself. */
  navValidity(): NavValidity | null;
}

/** The object put on the launcher's window as API / API_1484_11. */
export function createScoApi({ model, api, newApi, relay, navValidity }: ScoApiOptions): Record<string, ApiFunction> {
  const version = model.version;
  const names = METHODS[version];
  const call = (target: LocalApi, method: string, ...args: string[]): string => String((target as unknown as Record<string, ApiFunction>)[method]!(...args));
  // Set when this object, not scorm-again, answered the last call; cleared by every other call.
  let answered: Refusal | null = null;
  const running = () => api.isInitialized() && !api.isTerminated();
  const finished12 = () => version === "1.2" && api.isTerminated();
  let navRequest = "_none_";

  const relayed = (method: string, args: string[]) => {
    const result = call(api, method, ...args);
    if (result === "true") relay({ method, args });
    return result;
  };

  /** Answers the SCO itself (by default "false", a refusal), with this error code and diagnostic. */
  const answerWith = (refusal: Refusal, answer = "false"): string => {
    answered = refusal;
    return answer;
  };

  const setValue = (element: string, value: string): string => {
    if (finished12()) return answerWith(FINISHED_12);
    if (running() && version === "2004") {
      const refusal = element.startsWith("cmi.") ? recordRefusal2004(element, value, () => api.renderCMIToJSONObject().cmi) : null;
      if (refusal) return answerWith(refusal);
    }
    // Only what a commit carries (cmi.*) is the LMS's to judge; adl.nav.request is the sequencer's.
    const refusal = running() && element.startsWith("cmi.") ? lmsRefusal(element, value) : null;
    if (refusal) return answerWith(scormAgainsVerdict(element, value) ?? { code: refusal.errorCode, diagnostic: refusal.message });
    const result = relayed(names.setValue, [element, value]);
    if (result === "true" && element === "adl.nav.request") navRequest = value;
    return result;
  };

  /** The LMS's own validation of one value (server/scorm/cmi-validate.ts, this edition's model alone): a problem, or null. */
  const lmsRefusal = (element: string, value: string) => {
    const stored = INTERACTION_ELEMENT.test(element) ? flatStrings(api.getFlattenedCMI()) : {};
    return validateAgainst(model, { [element]: value }, stored).errors[0] ?? null;
  };

  /** scorm-again's own refusal of the value, on a copy of the data model; null when it would take it. */
  const scormAgainsVerdict = (element: string, value: string): { code: number; diagnostic: string } | null => {
    const probe = newApi();
    probe.loadFromJSON(api.renderCMIToJSONObject().cmi);
    call(probe, names.initialize, "");
    if (call(probe, names.setValue, element, value) === "true") return null;
    const code = call(probe, names.getLastError);
    return { code: Number(code), diagnostic: call(probe, names.getDiagnostic, code) };
  };

  const getValue = (element: string): string => {
    if (finished12()) return answerWith(FINISHED_12, "");
    if (version === "2004" && running() && element === "adl.nav.request") return answerWith({ code: 0, diagnostic: "" }, navRequest);
    const nav = version === "2004" && running() ? navValidity() : null;
    const match = nav ? NAV_VALID.exec(element) : null;
    if (nav && match) {
      answered = { code: 0, diagnostic: "" };
      if (match[1] === "continue") return String(nav.continue);
      if (match[1] === "previous") return String(nav.previous);
      return String(nav.choice[match[2]!] === true);
    }
    // A successful GetValue sets the error code to 0 (RTE 3.1.7); scorm-again 3.4.3 leaves the last
    // one standing after some reads (cmi.completion_status after a 403, say).
    api.lastErrorCode = "0";
    return call(api, names.getValue, element);
  };

  const facade: Record<string, ApiFunction> = {
    [names.initialize]: (parameter = "") => relayed(names.initialize, [parameter]),
    [names.terminate]: (parameter = "") => (finished12() ? answerWith(FINISHED_12) : relayed(names.terminate, [parameter])),
    [names.commit]: (parameter = "") => (finished12() ? answerWith(FINISHED_12) : relayed(names.commit, [parameter])),
    [names.getValue]: (element = "") => getValue(String(element)),
    [names.setValue]: (element = "", value = "") => setValue(String(element), String(value)),
    [names.getLastError]: () => (answered ? String(answered.code) : call(api, names.getLastError)),
    [names.getErrorString]: (code = "") => call(api, names.getErrorString, String(code)),
    [names.getDiagnostic]: (code = "") =>
      answered && (code === "" || String(code) === String(answered.code)) ? answered.diagnostic.slice(0, 255) : call(api, names.getDiagnostic, String(code)),
  };
  // Every call but the three error functions sets the error state anew (RTE 3.1.7 / 1.2 RTE 3.3).
  for (const method of [names.initialize, names.terminate, names.commit, names.getValue, names.setValue]) {
    const inner = facade[method]!;
    facade[method] = (...args: string[]) => {
      answered = null;
      return inner(...args);
    };
  }
  return facade;
}

function flatStrings(flattened: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [element, value] of Object.entries(flattened)) if (typeof value === "string") values[element] = value;
  return values;
}
