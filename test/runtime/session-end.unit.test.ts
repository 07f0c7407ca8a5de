import { describe, expect, it } from "vitest";
import { assetDelivered, endedSuspended, judgedAtSessionEnd, type SessionEnding } from "../../server/runtime/session-end.ts";
import { judgedPerformanceStatus } from "../../server/scorm/status.ts";
import type { EndAttemptRules } from "../../server/scorm/manifest/runtime-settings.ts";
import type { FlatCmi } from "../../server/scorm/cmi-json.ts";

const DEFAULTS: EndAttemptRules = { tracked: true, completionSetByContent: false, objectiveSetByContent: false, completedByMeasure: false, satisfiedByMeasure: false };
const ending = (version: "1.2" | "2004", exit = "", navRequest: string | null = null): SessionEnding => ({ version, exit, navRequest });

describe("the Performance Status of a session that ends, when the content was silent", () => {
  const cases: Array<[what: string, cmi: FlatCmi, end: SessionEnding, rules: EndAttemptRules | null, status: string]> = [
    // SCORM 1.2: LMSFinish with lesson_status still "not attempted" is completed (Moodle, SCORM Cloud).
    ["1.2, nothing said", {}, ending("1.2"), null, "Completed"],
    ["1.2, 'not attempted'", { "cmi.core.lesson_status": "not attempted" }, ending("1.2"), null, "Completed"],
    ["1.2, nothing said but a score over the mastery score", { "cmi.core.score.raw": "85", "cmi.student_data.mastery_score": "80" }, ending("1.2"), null, "Passed"],
    ["1.2, nothing said but a score under the mastery score", { "cmi.core.score.raw": "40", "cmi.student_data.mastery_score": "80" }, ending("1.2"), null, "Failed"],
    ["1.2, incomplete as the SCO said", { "cmi.core.lesson_status": "incomplete" }, ending("1.2"), null, "Incomplete"],
    ["1.2, suspended with nothing said", {}, ending("1.2", "suspend"), null, "Completed"],
    ["1.2, in browse mode", { "cmi.core.lesson_mode": "browse" }, ending("1.2"), null, "Not Attempted"],
    // SCORM 2004, SN UP.4 with the defaults: completed and satisfied; a satisfaction only the LMS
    // supplied assesses nothing, so it is Completed, not Passed (DESIGN rule 2).
    ["2004, Initialize and Terminate only", {}, ending("2004"), DEFAULTS, "Completed"],
    ["2004, exit normal, completed only", { "cmi.completion_status": "completed" }, ending("2004", "normal"), DEFAULTS, "Completed"],
    ["2004, exitAll from the SCO", {}, ending("2004", "", "exitAll"), DEFAULTS, "Completed"],
    ["2004, passed as the SCO said", { "cmi.success_status": "passed" }, ending("2004"), DEFAULTS, "Passed"],
    ["2004, a scaled score at the pass mark", { "cmi.scaled_passing_score": "0.8", "cmi.score.scaled": "0.9" }, ending("2004"), DEFAULTS, "Passed"],
    ["2004, failed as the SCO said", { "cmi.completion_status": "completed", "cmi.success_status": "failed" }, ending("2004"), DEFAULTS, "Failed"],
    ["2004, incomplete as the SCO said: satisfied by default, but not finished (content left part-way)", { "cmi.completion_status": "incomplete" }, ending("2004"), DEFAULTS, "Incomplete"],
    ["2004, suspended", {}, ending("2004", "suspend"), DEFAULTS, "Not Attempted"],
    ["2004, suspendAll", {}, ending("2004", "", "suspendAll"), DEFAULTS, "Not Attempted"],
    ["2004, abandoned", {}, ending("2004", "", "abandon"), DEFAULTS, "Not Attempted"],
    ["2004, completion set by content, and none reported", {}, ending("2004"), { ...DEFAULTS, completionSetByContent: true }, "Not Attempted"],
    ["2004, both set by content", {}, ending("2004"), { ...DEFAULTS, completionSetByContent: true, objectiveSetByContent: true }, "Not Attempted"],
    ["2004, not tracked", {}, ending("2004"), { ...DEFAULTS, tracked: false }, "Not Attempted"],
    ["2004, a pass mark by measure and no score", { "cmi.scaled_passing_score": "0.8" }, ending("2004"), { ...DEFAULTS, satisfiedByMeasure: true }, "Completed"],
    ["2004, completed by measure and no measure", { "cmi.completion_threshold": "0.7" }, ending("2004"), { ...DEFAULTS, completedByMeasure: true, objectiveSetByContent: true }, "Not Attempted"],
    ["2004, progress measure over the threshold", { "cmi.completion_threshold": "0.7", "cmi.progress_measure": "0.9" }, ending("2004"), { ...DEFAULTS, completedByMeasure: true }, "Completed"],
  ];
  it.each(cases)("%s -> %s", (_what, cmi, end, rules, status) => {
    expect(judgedPerformanceStatus(end.version, cmi, judgedAtSessionEnd(cmi, end, rules))).toBe(status);
  });
});

describe("endedSuspended", () => {
  it.each([
    ["1.2", "suspend", null, true],
    ["1.2", "logout", null, false],
    ["1.2", "", "suspendAll", false],
    ["2004", "suspend", null, true],
    ["2004", "normal", "suspendAll", true],
    ["2004", "", "exitAll", false],
  ] as const)("%s, exit %j with %j -> %s", (version, exit, navRequest, suspended) => {
    expect(endedSuspended({ version, exit, navRequest })).toBe(suspended);
  });
});

describe("assetDelivered", () => {
  it("is completed in 1.2 and completed and satisfied in 2004, and Completed in both: a satisfaction the LMS supplied passes nothing", () => {
    expect(assetDelivered("2004")).toEqual({ "cmi.completion_status": "completed", "cmi.success_status": "passed" });
    expect(judgedPerformanceStatus("1.2", {}, assetDelivered("1.2"))).toBe("Completed");
    expect(judgedPerformanceStatus("2004", {}, assetDelivered("2004"))).toBe("Completed");
  });
});
