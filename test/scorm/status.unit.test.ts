import { describe, expect, it } from "vitest";
import { isAssessed, mergeCompletionAndSuccess, mergeStatus, rollUpStatus, scoPerformanceStatus, scoScoreScaled, type PerformanceStatus } from "../../server/scorm/status.ts";

describe("scoPerformanceStatus, SCORM 1.2", () => {
  const cases: Array<[why: string, cmi: Record<string, string>, expected: PerformanceStatus]> = [
    ["nothing said yet", {}, "Not Attempted"],
    ["not attempted", { "cmi.core.lesson_status": "not attempted" }, "Not Attempted"],
    ["incomplete", { "cmi.core.lesson_status": "incomplete" }, "Incomplete"],
    ["browsed (browse mode completes nothing)", { "cmi.core.lesson_status": "browsed" }, "Incomplete"],
    ["completed", { "cmi.core.lesson_status": "completed" }, "Completed"],
    ["passed", { "cmi.core.lesson_status": "passed" }, "Passed"],
    ["failed", { "cmi.core.lesson_status": "failed" }, "Failed"],
    ["completed with a score but no mastery score", { "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "95" }, "Completed"],
    ["a score at the mastery score passes a completed SCO", { "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "80", "cmi.student_data.mastery_score": "80" }, "Passed"],
    ["a score below the mastery score fails a completed SCO", { "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "79.5", "cmi.student_data.mastery_score": "80" }, "Failed"],
    ["the score overrides a SCO that says passed", { "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "40", "cmi.student_data.mastery_score": "80" }, "Failed"],
    ["the score overrides a SCO that says failed", { "cmi.core.lesson_status": "failed", "cmi.core.score.raw": "90", "cmi.student_data.mastery_score": "80" }, "Passed"],
    ["a passing score part-way through is not yet a pass", { "cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "85", "cmi.student_data.mastery_score": "80" }, "Incomplete"],
    ["a low score part-way through is not yet a fail", { "cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "10", "cmi.student_data.mastery_score": "80" }, "Incomplete"],
    ["a low score with no status yet is not yet a fail", { "cmi.core.lesson_status": "not attempted", "cmi.core.score.raw": "0", "cmi.student_data.mastery_score": "80" }, "Incomplete"],
    ["a mastery score without a raw score leaves the status", { "cmi.core.lesson_status": "completed", "cmi.student_data.mastery_score": "80" }, "Completed"],
    ["an empty raw score is no score", { "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "", "cmi.student_data.mastery_score": "80" }, "Completed"],
  ];
  it.each(cases)("%s", (_why, cmi, expected) => {
    expect(scoPerformanceStatus("1.2", cmi)).toBe(expected);
  });
});

describe("scoPerformanceStatus, SCORM 2004", () => {
  const cases: Array<[why: string, cmi: Record<string, string>, expected: PerformanceStatus]> = [
    ["nothing said yet", {}, "Not Attempted"],
    ["unknown / unknown", { "cmi.completion_status": "unknown", "cmi.success_status": "unknown" }, "Not Attempted"],
    ["not attempted", { "cmi.completion_status": "not attempted" }, "Not Attempted"],
    ["incomplete", { "cmi.completion_status": "incomplete" }, "Incomplete"],
    ["completed alone never passes", { "cmi.completion_status": "completed", "cmi.success_status": "unknown" }, "Completed"],
    ["passed", { "cmi.completion_status": "completed", "cmi.success_status": "passed" }, "Passed"],
    ["passed while still incomplete is not yet a pass: the learner has not finished", { "cmi.completion_status": "incomplete", "cmi.success_status": "passed" }, "Incomplete"],
    ["passed while not attempted is not yet a pass", { "cmi.completion_status": "not attempted", "cmi.success_status": "passed" }, "Incomplete"],
    ["passed with no completion tracked", { "cmi.success_status": "passed" }, "Passed"],
    ["failed", { "cmi.completion_status": "completed", "cmi.success_status": "failed" }, "Failed"],
    ["failed with no completion tracked", { "cmi.success_status": "failed" }, "Failed"],
    ["failed while still incomplete is not yet a fail", { "cmi.completion_status": "incomplete", "cmi.success_status": "failed" }, "Incomplete"],
    // RTE 4.2.4.1: with a completion threshold, the progress measure decides.
    ["progress at the threshold completes", { "cmi.completion_threshold": "0.75", "cmi.progress_measure": "0.75", "cmi.completion_status": "incomplete" }, "Completed"],
    ["progress below the threshold is incomplete whatever the SCO says", { "cmi.completion_threshold": "0.75", "cmi.progress_measure": "0.5", "cmi.completion_status": "completed" }, "Incomplete"],
    ["a threshold without a progress measure leaves the SCO's word", { "cmi.completion_threshold": "0.75", "cmi.completion_status": "completed" }, "Completed"],
    // RTE 4.2.22: with a scaled passing score, the scaled score decides.
    ["a scaled score at the passing score passes", { "cmi.scaled_passing_score": "0.8", "cmi.score.scaled": "0.8", "cmi.completion_status": "completed" }, "Passed"],
    ["a scaled score below the passing score fails whatever the SCO says", { "cmi.scaled_passing_score": "0.8", "cmi.score.scaled": "0.7", "cmi.success_status": "passed", "cmi.completion_status": "completed" }, "Failed"],
    ["a passing score without a scaled score leaves the SCO's word", { "cmi.scaled_passing_score": "0.8", "cmi.success_status": "passed" }, "Passed"],
    ["a negative passing score", { "cmi.scaled_passing_score": "-0.5", "cmi.score.scaled": "-0.2", "cmi.completion_status": "completed" }, "Passed"],
  ];
  it.each(cases)("%s", (_why, cmi, expected) => {
    expect(scoPerformanceStatus("2004", cmi)).toBe(expected);
  });
});

describe("mergeStatus: the summary never goes backwards", () => {
  const cases: Array<[previous: PerformanceStatus, next: PerformanceStatus, expected: PerformanceStatus]> = [
    ["Not Attempted", "Incomplete", "Incomplete"],
    ["Incomplete", "Not Attempted", "Incomplete"],
    ["Incomplete", "Completed", "Completed"],
    ["Completed", "Incomplete", "Completed"],
    ["Completed", "Not Attempted", "Completed"],
    ["Completed", "Passed", "Passed"],
    ["Passed", "Incomplete", "Passed"],
    ["Passed", "Completed", "Passed"],
    ["Passed", "Failed", "Passed"],
    ["Passed", "Not Attempted", "Passed"],
    ["Failed", "Passed", "Passed"],
    ["Failed", "Incomplete", "Failed"],
    ["Failed", "Completed", "Failed"],
    ["Completed", "Failed", "Completed"],
    ["Incomplete", "Failed", "Failed"],
    ["Not Attempted", "Not Attempted", "Not Attempted"],
  ];
  it.each(cases)("%s then %s gives %s", (previous, next, expected) => {
    expect(mergeStatus(previous, next)).toBe(expected);
  });
});

describe("rollUpStatus across the SCOs of an attempt", () => {
  const sco = (status: PerformanceStatus, assessed = false) => ({ status, assessed });
  const cases: Array<[why: string, scos: ReturnType<typeof sco>[], expected: PerformanceStatus]> = [
    ["no SCOs", [], "Not Attempted"],
    ["one SCO gives its own status: Passed", [sco("Passed", true)], "Passed"],
    ["one SCO: Completed", [sco("Completed")], "Completed"],
    ["one assessed SCO that only completed passes nothing", [sco("Completed", true)], "Completed"],
    ["one SCO: Failed", [sco("Failed", true)], "Failed"],
    ["one SCO: Incomplete", [sco("Incomplete")], "Incomplete"],
    ["none launched", [sco("Not Attempted"), sco("Not Attempted")], "Not Attempted"],
    ["one still to play", [sco("Completed"), sco("Not Attempted")], "Incomplete"],
    ["one under way", [sco("Passed", true), sco("Incomplete")], "Incomplete"],
    ["all completed, nothing assessed", [sco("Completed"), sco("Completed")], "Completed"],
    ["all done, the assessment passed", [sco("Completed"), sco("Passed", true)], "Passed"],
    ["all done, the assessment failed", [sco("Completed"), sco("Failed", true)], "Failed"],
    ["two assessments, one failed", [sco("Passed", true), sco("Failed", true)], "Failed"],
    ["an assessed SCO only completed beside a passed one", [sco("Completed", true), sco("Passed", true)], "Completed"],
  ];
  it.each(cases)("%s", (_why, scos, expected) => {
    expect(rollUpStatus(scos)).toBe(expected);
  });
});

describe("scoScoreScaled", () => {
  const cases: Array<[version: "1.2" | "2004", cmi: Record<string, string>, expected: number | null]> = [
    ["1.2", {}, null],
    ["1.2", { "cmi.core.score.raw": "85" }, 0.85],
    ["1.2", { "cmi.core.score.raw": "8", "cmi.core.score.min": "0", "cmi.core.score.max": "10" }, 0.8],
    ["1.2", { "cmi.core.score.raw": "85", "cmi.core.score.max": "" }, 0.85],
    ["2004", { "cmi.score.scaled": "0.9", "cmi.score.raw": "10" }, 0.9],
    ["2004", { "cmi.score.raw": "15", "cmi.score.min": "10", "cmi.score.max": "20" }, 0.5],
    ["2004", { "cmi.score.raw": "15" }, null],
    ["2004", { "cmi.score.scaled": "-1" }, -1],
  ];
  it.each(cases)("%s %j -> %s", (version, cmi, expected) => {
    expect(scoScoreScaled(version, cmi)).toBe(expected);
  });
});

describe("isAssessed", () => {
  it("knows an assessment by its outcome or by the LMS's pass mark", () => {
    expect(isAssessed("1.2", {}, "Passed")).toBe(true);
    expect(isAssessed("1.2", { "cmi.student_data.mastery_score": "80" }, "Completed")).toBe(true);
    expect(isAssessed("2004", { "cmi.scaled_passing_score": "0.8" }, "Incomplete")).toBe(true);
    expect(isAssessed("2004", {}, "Completed")).toBe(false);
  });
});

describe("mergeCompletionAndSuccess: the SCO's completion and success columns never go backwards either", () => {
  const cases: Array<[previous: [string | null, string | null], next: [string, string], expected: [string, string]]> = [
    [[null, null], ["incomplete", "unknown"], ["incomplete", "unknown"]],
    [["completed", "unknown"], ["incomplete", "unknown"], ["completed", "unknown"]],
    [["incomplete", "unknown"], ["unknown", "unknown"], ["incomplete", "unknown"]],
    [["incomplete", "unknown"], ["completed", "failed"], ["completed", "failed"]],
    [["completed", "passed"], ["incomplete", "failed"], ["completed", "passed"]],
    [["completed", "failed"], ["completed", "unknown"], ["completed", "failed"]],
    [["completed", "failed"], ["completed", "passed"], ["completed", "passed"]],
  ];
  it.each(cases)("%j then %j gives %j", (previous, next, expected) => {
    expect(mergeCompletionAndSuccess({ completion: previous[0], success: previous[1] }, { completion: next[0], success: next[1] })).toEqual({ completion: expected[0], success: expected[1] });
  });
});
