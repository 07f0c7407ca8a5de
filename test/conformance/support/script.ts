// What a test SCO does in one launch (test-sco.js runs it): API calls, each with the answer the
// case expects, plus waits, loops and handlers. Builders per API generation, so that a case reads
// as the step lists of ADL's test cases: `v12.set("cmi.core.score.raw", "abc", { error: "405" })`.

/** An exact answer, or a pattern for implementation-defined ones (error strings, timestamps). */
export type Expected = string | RegExp;

export interface CallStep {
  call: string;
  args: string[];
  /** The return value; `${name}` in it is filled from the values saved so far. */
  expect?: Expected;
  /** GetLastError right after the call. */
  error?: Expected;
  /** Keeps the answer as `${save}` for later steps' arguments. */
  save?: string;
  /** Also ask GetErrorString and GetDiagnostic for the error code. */
  diagnostics?: boolean;
  errorString?: Expected;
}

export interface WaitStep {
  /** Milliseconds; only at the top level of a script. */
  wait: number;
}

export interface RepeatStep {
  repeat: number;
  /** The loop index's name, `${as}` in the steps. */
  as: string;
  steps: Step[];
}

export interface UnloadStep {
  /** Run synchronously in the SCO page's handler of this event, as real content finishes there. */
  onUnload: Step[];
  event?: "pagehide" | "unload" | "beforeunload";
}

export interface PopupStep {
  /** Run in a window the SCO opens (popup.html), which finds the API through its opener. */
  popup: Step[];
}

export type Step = CallStep | WaitStep | RepeatStep | UnloadStep | PopupStep;
export type Script = Step[];

/** How a call should end: its GetLastError code ("0" by default, when the call succeeds). */
export interface Outcome {
  error?: string;
}

/** What a test SCO reports for one call. */
export interface CallReport {
  path: string;
  call: string;
  args: string[];
  result: string;
  error: string;
  errorString?: string;
  diagnostic?: string;
  vars: Record<string, string | number>;
}

/** The steps as the browser gets them: expectations stay with the test. */
export function forBrowser(steps: Step[]): unknown[] {
  return steps.map((step) => {
    if ("call" in step) return { call: step.call, args: step.args, save: step.save, diagnostics: step.diagnostics };
    if ("repeat" in step) return { ...step, steps: forBrowser(step.steps) };
    if ("onUnload" in step) return { ...step, onUnload: forBrowser(step.onUnload) };
    if ("popup" in step) return { popup: forBrowser(step.popup) };
    return step;
  });
}

/** The step a report's path ("3", "4.2.1" in a loop, "5.0" in a handler) names. */
export function stepAt(steps: Step[], path: string): CallStep | undefined {
  const [head, ...rest] = path.split(".").map(Number);
  const step = steps[head!];
  if (!step) return undefined;
  if ("call" in step) return rest.length === 0 ? step : undefined;
  if ("repeat" in step) return stepAt(step.steps, rest.slice(1).join("."));
  if ("onUnload" in step) return stepAt(step.onUnload, rest.join("."));
  if ("popup" in step) return stepAt(step.popup, rest.join("."));
  return undefined;
}

/** Every way a report differs from its step's expectations, in words; [] when none. */
export function mismatches(step: CallStep, report: CallReport): string[] {
  const fill = (text: string) => text.replace(/\$\{(\w+)\}/g, (whole, name: string) => (name in report.vars ? String(report.vars[name]) : whole));
  const matches = (expected: Expected, actual: string) => (typeof expected === "string" ? fill(expected) === actual : expected.test(actual));
  const show = (expected: Expected) => (typeof expected === "string" ? JSON.stringify(fill(expected)) : String(expected));
  const problems: string[] = [];
  if (step.expect !== undefined && !matches(step.expect, report.result)) problems.push(`answered ${JSON.stringify(clip(report.result))}, expected ${show(step.expect)}`);
  if (step.error !== undefined && !matches(step.error, report.error)) problems.push(`error ${report.error}, expected ${show(step.error)}`);
  if (step.errorString !== undefined && !matches(step.errorString, report.errorString ?? "")) problems.push(`GetErrorString ${JSON.stringify(report.errorString)}, expected ${show(step.errorString)}`);
  return problems.length ? [`step ${report.path} ${report.call}(${report.args.map((arg) => JSON.stringify(clip(arg))).join(", ")}): ${problems.join("; ")}`] : [];
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...(${text.length})` : text;
}

/** A comma-separated list holding exactly these names, in any order (the _children keywords). */
export function listing(...names: string[]): RegExp {
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const each = names.map((name) => `(?=(?:[^,]*,)*${escape(name)}(?:,|$))`).join("");
  return new RegExp(`^${each}[^,]+(?:,[^,]+){${names.length - 1}}$`);
}

/** An implementation-defined text: GetErrorString / GetDiagnostic answer 1 to 255 characters. */
export const TEXT_UP_TO_255 = /^[\s\S]{1,255}$/;

export const wait = (ms: number): WaitStep => ({ wait: ms });
export const repeat = (times: number, as: string, steps: Step[]): RepeatStep => ({ repeat: times, as, steps });
export const onUnload = (steps: Step[], event?: UnloadStep["event"]): UnloadStep => ({ onUnload: steps, ...(event ? { event } : {}) });
export const popup = (steps: Step[]): PopupStep => ({ popup: steps });

type ApiFunction = "initialize" | "terminate" | "getValue" | "setValue" | "commit" | "getLastError" | "getErrorString" | "getDiagnostic";

/** The calls of one API generation, each expecting success unless told the error it must end with. */
export class ApiCalls {
  constructor(private readonly names: Record<ApiFunction, string>) {}

  /** Any call with its arguments and expectations, e.g. Initialize("x") refused with 201. */
  call(name: ApiFunction, args: string[], expectation: Omit<CallStep, "call" | "args"> = {}): CallStep {
    return { call: this.names[name], args, ...expectation };
  }

  private boolean(name: ApiFunction, outcome: Outcome = {}, arg = ""): CallStep {
    const error = outcome.error ?? "0";
    return this.call(name, [arg], { expect: error === "0" ? "true" : "false", error });
  }

  initialize(outcome?: Outcome): CallStep {
    return this.boolean("initialize", outcome);
  }

  terminate(outcome?: Outcome): CallStep {
    return this.boolean("terminate", outcome);
  }

  commit(outcome?: Outcome): CallStep {
    return this.boolean("commit", outcome);
  }

  /** GetValue: the value it must answer (none: any), or the error it must end with (answering ""). */
  get(element: string, expected?: Expected | Outcome, save?: string): CallStep {
    const refused = typeof expected === "object" && !(expected instanceof RegExp) && expected.error !== undefined && expected.error !== "0";
    if (refused) return this.call("getValue", [element], { expect: "", error: (expected as Outcome).error, ...(save ? { save } : {}) });
    const value = typeof expected === "string" || expected instanceof RegExp ? expected : undefined;
    return this.call("getValue", [element], { ...(value !== undefined ? { expect: value } : {}), error: "0", ...(save ? { save } : {}) });
  }

  /** GetValue with no expectation, the answer kept as `${save}`. */
  read(element: string, save?: string): CallStep {
    return this.call("getValue", [element], save ? { save } : {});
  }

  set(element: string, value: string, outcome?: Outcome): CallStep {
    const error = outcome?.error ?? "0";
    return this.call("setValue", [element, value], { expect: error === "0" ? "true" : "false", error });
  }

  /** Several SetValues in order, each expected to succeed. */
  setAll(values: Record<string, string>): CallStep[] {
    return Object.entries(values).map(([element, value]) => this.set(element, value));
  }

  lastError(expected: string): CallStep {
    return this.call("getLastError", [], { expect: expected });
  }

  errorString(code: string, expected: Expected): CallStep {
    return this.call("getErrorString", [code], { expect: expected });
  }

  diagnostic(code: string, expected: Expected): CallStep {
    return this.call("getDiagnostic", [code], { expect: expected });
  }
}

export const v12 = new ApiCalls({
  initialize: "LMSInitialize",
  terminate: "LMSFinish",
  getValue: "LMSGetValue",
  setValue: "LMSSetValue",
  commit: "LMSCommit",
  getLastError: "LMSGetLastError",
  getErrorString: "LMSGetErrorString",
  getDiagnostic: "LMSGetDiagnostic",
});

export const v2004 = new ApiCalls({
  initialize: "Initialize",
  terminate: "Terminate",
  getValue: "GetValue",
  setValue: "SetValue",
  commit: "Commit",
  getLastError: "GetLastError",
  getErrorString: "GetErrorString",
  getDiagnostic: "GetDiagnostic",
});

/** SCORM 2004: a navigation request, then Terminate, as content ends with its own Continue / Exit. */
export function terminateWith(request: string): CallStep[] {
  return [v2004.set("adl.nav.request", request), v2004.terminate()];
}
