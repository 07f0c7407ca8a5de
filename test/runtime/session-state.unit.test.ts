import { describe, expect, it } from "vitest";
import { entryFor, serverOwnedCmi, sessionCmi } from "../../server/runtime/session-state.ts";
import { endedSuspended } from "../../server/runtime/session-end.ts";
import type { ScoRuntimeSettings } from "../../server/scorm/manifest/runtime-settings.ts";
import { flattenCmi, nestCmi } from "../../server/scorm/cmi-json.ts";

const learner = { username: "297JSMITH01", lastName: "Smith", firstName: "Jane" };
const settings = (overrides: Partial<ScoRuntimeSettings>): ScoRuntimeSettings => ({
  scormVersion: "1.2",
  itemIdentifier: "I1",
  launchData: null,
  maxTimeAllowed: null,
  timeLimitAction: null,
  masteryScore: null,
  completionThreshold: null,
  scaledPassingScore: null,
  objectiveIds: [],
  endAttempt: null,
  cmi: {},
  ...overrides,
});

describe("entryFor, after the session endedSuspended says", () => {
  // 1.2 RTE 3.4.4 cmi.core.entry; 2004 RTE 4.2.8 cmi.entry and SN TB.2.3 (suspendAll suspends).
  const cases: Array<[version: "1.2" | "2004", launchedBefore: boolean, exit: string, navRequest: string | null, endedAbnormally: boolean, entry: string]> = [
    ["1.2", false, "", null, false, "ab-initio"],
    ["2004", false, "", null, false, "ab-initio"],
    ["2004", false, "suspend", null, false, "ab-initio"],
    ["1.2", true, "suspend", null, false, "resume"],
    ["2004", true, "suspend", null, false, "resume"],
    ["2004", true, "", "suspendAll", false, "resume"],
    ["2004", true, "normal", "suspendAll", false, "resume"],
    ["1.2", true, "logout", null, false, ""],
    ["1.2", true, "time-out", null, false, ""],
    ["1.2", true, "", null, false, ""],
    ["2004", true, "logout", null, false, "ab-initio"],
    ["2004", true, "normal", null, false, "ab-initio"],
    ["2004", true, "time-out", null, false, "ab-initio"],
    ["2004", true, "", "exitAll", false, "ab-initio"],
    ["2004", true, "", null, false, "ab-initio"],
    ["1.2", true, "", null, true, "resume"],
    ["2004", true, "", null, true, "resume"],
    ["2004", false, "", null, true, "ab-initio"],
  ];
  it.each(cases)("%s, launched before %s, last exit %j with %j, ended abnormally %s -> %j", (version, launchedBefore, exit, navRequest, endedAbnormally, entry) => {
    const suspended = endedSuspended({ version, exit, navRequest });
    expect(entryFor(version, { launchedBefore, suspended, endedAbnormally })).toBe(entry);
  });
});

describe("serverOwnedCmi", () => {
  it("seeds a 1.2 learner, credit and mode, and the manifest's values", () => {
    const cmi = serverOwnedCmi("1.2", settings({ cmi: { "cmi.student_data.mastery_score": "80", "cmi.launch_data": "start=2" } }), learner, false);
    expect(cmi).toEqual({
      "cmi.core.student_id": "297JSMITH01",
      "cmi.core.student_name": "Smith, Jane",
      "cmi.core.credit": "credit",
      "cmi.core.lesson_mode": "normal",
      "cmi.student_data.mastery_score": "80",
      "cmi.launch_data": "start=2",
    });
  });

  it("gives an author's preview no credit, in browse mode", () => {
    expect(serverOwnedCmi("2004", settings({ scormVersion: "2004 4th Edition" }), learner, true)).toMatchObject({ "cmi.credit": "no-credit", "cmi.mode": "browse", "cmi.learner_id": "297JSMITH01", "cmi.learner_name": "Smith, Jane" });
  });

  it("leaves objective IDs to sessionCmi, since the SCO may write them", () => {
    const cmi = serverOwnedCmi("2004", settings({ cmi: { "cmi.scaled_passing_score": "0.8", "cmi.objectives.0.id": "pass" } }), learner, false);
    expect(cmi["cmi.scaled_passing_score"]).toBe("0.8");
    expect(cmi["cmi.objectives.0.id"]).toBeUndefined();
  });
});

describe("sessionCmi", () => {
  const stored = {
    "cmi.location": "page-5",
    "cmi.suspend_data": "state",
    "cmi.exit": "suspend",
    "cmi.session_time": "PT5M",
    "cmi.completion_status": "incomplete",
    "cmi.objectives.0.id": "own",
    "cmi.interactions.0.id": "q1",
    "cmi.learner_id": "forged",
  };

  it("keeps what the SCO saved, drops the last session's exit and session_time, and lays the LMS's values over it", () => {
    const cmi = sessionCmi({ version: "2004", stored, serverOwned: { "cmi.learner_id": "297JSMITH01", "cmi.credit": "credit" }, objectiveIds: [], entry: "resume", totalMs: 90_000 });
    expect(cmi).toEqual({
      "cmi.location": "page-5",
      "cmi.suspend_data": "state",
      "cmi.completion_status": "incomplete",
      "cmi.objectives.0.id": "own",
      "cmi.interactions.0.id": "q1",
      "cmi.learner_id": "297JSMITH01",
      "cmi.credit": "credit",
      "cmi.entry": "resume",
      "cmi.total_time": "PT1M30S",
    });
  });

  it("adds the manifest's objectives after the SCO's own, once", () => {
    const cmi = sessionCmi({ version: "2004", stored, serverOwned: {}, objectiveIds: ["own", "pass", "extra"], entry: "", totalMs: 0 });
    expect(Object.entries(cmi).filter(([element]) => element.startsWith("cmi.objectives."))).toEqual([
      ["cmi.objectives.0.id", "own"],
      ["cmi.objectives.1.id", "pass"],
      ["cmi.objectives.2.id", "extra"],
    ]);
  });

  it("does not hand 1.2's initial \"not attempted\" back as if the SCO had said it", () => {
    const cmi = sessionCmi({ version: "1.2", stored: { "cmi.core.lesson_status": "not attempted", "cmi.core.lesson_location": "p1" }, serverOwned: {}, objectiveIds: [], entry: "", totalMs: 0 });
    expect(cmi).not.toHaveProperty("cmi.core.lesson_status");
    expect(sessionCmi({ version: "1.2", stored: { "cmi.core.lesson_status": "incomplete" }, serverOwned: {}, objectiveIds: [], entry: "", totalMs: 0 })["cmi.core.lesson_status"]).toBe("incomplete");
  });

  it("writes 1.2's entry and total time in 1.2's form", () => {
    const cmi = sessionCmi({ version: "1.2", stored: { "cmi.core.exit": "suspend", "cmi.core.lesson_location": "p2" }, serverOwned: {}, objectiveIds: [], entry: "resume", totalMs: 3_723_450 });
    expect(cmi).toEqual({ "cmi.core.lesson_location": "p2", "cmi.core.entry": "resume", "cmi.core.total_time": "01:02:03.45" });
  });
});

describe("flattenCmi and nestCmi", () => {
  it("round-trip scorm-again's nested JSON, collections as objects keyed by index", () => {
    const nested = { core: { lesson_status: "passed", score: { raw: "85" } }, interactions: { "0": { id: "q1", objectives: { "0": { id: "o" } } }, "1": { id: "q2" } } };
    const flat = flattenCmi(nested);
    expect(flat).toEqual({
      values: { "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.interactions.0.id": "q1", "cmi.interactions.0.objectives.0.id": "o", "cmi.interactions.1.id": "q2" },
      problems: [],
    });
    expect(nestCmi(flat.values)).toEqual(nested);
  });

  it("reads arrays and numbers, skips nulls, and names what is no CMI value", () => {
    expect(flattenCmi({ objectives: [{ id: "a" }, null], score: { raw: 85, min: null }, flag: true })).toEqual({
      values: { "cmi.objectives.0.id": "a", "cmi.score.raw": "85" },
      problems: [{ element: "cmi.flag", message: "a boolean is not a CMI value" }],
    });
    expect(flattenCmi("x").problems).toHaveLength(1);
    expect(flattenCmi({ a: { b: { c: { d: { e: { f: { g: { h: { i: "deep" } } } } } } } } }).problems).toEqual([expect.objectContaining({ message: "nested too deeply" })]);
  });
});
