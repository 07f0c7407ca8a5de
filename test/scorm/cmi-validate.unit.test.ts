import { describe, expect, it } from "vitest";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { validateCmi } from "../../server/scorm/cmi-validate.ts";
import { flattenCmi } from "../../server/scorm/cmi-json.ts";

const one = (version: "1.2" | "2004", element: string, value: string, stored: Record<string, string> = {}) => validateCmi(version, { [element]: value }, stored);
const x = (n: number) => "x".repeat(n);

describe("validateCmi, SCORM 1.2 (405 type, 201 unknown, 403 read-only)", () => {
  const accepted: Array<[element: string, value: string]> = [
    ["cmi.core.lesson_status", "passed"],
    ["cmi.core.lesson_status", "completed"],
    ["cmi.core.lesson_status", "failed"],
    ["cmi.core.lesson_status", "incomplete"],
    ["cmi.core.lesson_status", "browsed"],
    ["cmi.core.lesson_status", "not attempted"],
    ["cmi.core.lesson_status", ""],
    ["cmi.core.exit", "suspend"],
    ["cmi.core.exit", "logout"],
    ["cmi.core.exit", "time-out"],
    ["cmi.core.exit", ""],
    ["cmi.core.score.raw", "0"],
    ["cmi.core.score.raw", "100"],
    ["cmi.core.score.raw", "85.5"],
    ["cmi.core.score.min", "0"],
    ["cmi.core.session_time", "0000:01:30.50"],
    ["cmi.core.session_time", "0:01:30"], // one digit of hours: scorm-again takes it, real content writes it
    ["cmi.core.session_time", "9999:59:59.99"],
    ["cmi.core.lesson_location", x(255)],
    ["cmi.suspend_data", x(4096)],
    // scorm-again 3.4.3 takes 64,000 characters of 1.2 suspend_data; the server keeps what it took.
    ["cmi.suspend_data", x(64_000)],
    ["cmi.comments", x(4096)],
    ["cmi.objectives.0.id", "obj-1"],
    ["cmi.objectives.0.status", "not attempted"],
    ["cmi.objectives.3.score.raw", "50"],
    ["cmi.student_preference.audio", "-1"],
    ["cmi.student_preference.text", "1"],
    ["cmi.interactions.0.id", "q1"],
    ["cmi.interactions.0.type", "true-false"],
    ["cmi.interactions.0.time", "23:59:59.99"],
    ["cmi.interactions.0.student_response", "t"],
    ["cmi.interactions.0.result", "wrong"],
    ["cmi.interactions.0.result", "0.5"],
    ["cmi.interactions.0.weighting", "-100"],
    ["cmi.interactions.0.latency", "00:00:12"],
    ["cmi.interactions.0.latency", "0:00:12"],
    ["cmi.interactions.0.objectives.0.id", "obj-1"],
    ["cmi.interactions.0.correct_responses.0.pattern", "a,b"],
  ];
  it.each(accepted)("accepts %s = %j", (element, value) => {
    expect(one("1.2", element, value)).toEqual({ accepted: { [element]: value }, ignored: [], errors: [] });
  });

  const refused: Array<[element: string, value: string, code: number]> = [
    ["cmi.core.lesson_status", "done", 405],
    ["cmi.core.lesson_status", "Passed", 405],
    ["cmi.core.exit", "normal", 405], // 2004's word, not 1.2's
    ["cmi.core.score.raw", "abc", 405],
    ["cmi.core.score.raw", "101", 405],
    ["cmi.core.score.raw", "-1", 405],
    ["cmi.core.score.max", "1e2", 405],
    ["cmi.core.session_time", "PT1M", 405],
    // CMITimespan hours have at most four digits (scorm-again takes more: see time.ts).
    ["cmi.core.session_time", "10000:00:00", 405],
    ["cmi.interactions.0.latency", "12345:00:00", 405],
    ["cmi.core.lesson_location", x(256), 405],
    ["cmi.suspend_data", x(64_001), 405],
    ["cmi.comments", x(4097), 405],
    ["cmi.objectives.0.id", x(256), 405],
    ["cmi.objectives.0.status", "unknown", 405],
    ["cmi.student_preference.audio", "101", 405],
    ["cmi.student_preference.speed", "1.5", 405],
    ["cmi.interactions.0.type", "long-fill-in", 405],
    ["cmi.interactions.0.time", "24:00:00", 405],
    ["cmi.interactions.0.result", "incorrect", 405],
    ["cmi.interactions.0.student_response", x(4097), 405],
    ["cmi.interactions.0.id", "é", 405],
    ["cmi.core.lesson_statuses", "passed", 201],
    ["cmi.completion_status", "completed", 201],
    ["cmi.objectives.01.id", "x", 201],
    ["cmi.objectives.x.id", "x", 201],
    ["cmi.__proto__", "x", 201],
  ];
  it.each(refused)("refuses %s = %j with %d", (element, value, code) => {
    const result = one("1.2", element, value);
    expect(result.accepted).toEqual({});
    expect(result.errors).toEqual([expect.objectContaining({ element, errorCode: code })]);
  });

  const readOnly = ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action"];
  it.each(readOnly)("keeps the LMS's %s: ignored with 403, not stored, not an error", (element) => {
    const result = one("1.2", element, "forged");
    expect(result).toEqual({ accepted: {}, ignored: [expect.objectContaining({ element, errorCode: 403 })], errors: [] });
  });

  it("ignores keywords (_children, _count) with 402", () => {
    expect(one("1.2", "cmi.interactions._count", "3").ignored).toEqual([expect.objectContaining({ errorCode: 402 })]);
  });
});

describe("validateCmi, SCORM 2004 (406 type, 407 range, 351 too long, 401 unknown, 404 read-only)", () => {
  const accepted: Array<[element: string, value: string, stored?: Record<string, string>]> = [
    ["cmi.completion_status", "completed"],
    ["cmi.completion_status", "unknown"],
    ["cmi.success_status", "passed"],
    ["cmi.exit", "normal"],
    ["cmi.exit", "suspend"],
    ["cmi.score.scaled", "-1"],
    ["cmi.score.scaled", "1"],
    ["cmi.score.scaled", "0.123456789"],
    ["cmi.score.raw", "-250.5"],
    ["cmi.progress_measure", "0"],
    ["cmi.progress_measure", "1"],
    ["cmi.session_time", "PT1H2M3.45S"],
    ["cmi.session_time", "PT9999H59M59.99S"],
    ["cmi.session_time", "P1Y"],
    ["cmi.location", x(1000)],
    ["cmi.suspend_data", x(64_000)],
    ["cmi.learner_preference.audio_captioning", "-1"],
    ["cmi.learner_preference.language", "en-GB"],
    ["cmi.learner_preference.audio_level", "2.5"],
    ["cmi.comments_from_learner.0.comment", `{lang=en}${x(4000)}`],
    ["cmi.comments_from_learner.0.timestamp", "2026-03-01T09:00:00Z"],
    ["cmi.comments_from_learner.0.timestamp", "2026"],
    ["cmi.comments_from_learner.0.timestamp", "2026-03-01T09:00:00.123456-05:30"],
    ["cmi.objectives.0.id", `urn:lms:${x(3000)}`],
    ["cmi.objectives.0.score.scaled", "0.5"],
    ["cmi.objectives.0.progress_measure", "0.5"],
    ["cmi.objectives.0.description", `{lang=en-GB}${x(250)}`],
    ["cmi.interactions.0.id", x(4000)],
    ["cmi.interactions.0.type", "long-fill-in"],
    ["cmi.interactions.0.timestamp", "2026-03-01T09:00:00.5+01:00"],
    ["cmi.interactions.0.result", "incorrect"],
    ["cmi.interactions.0.result", "0.75"],
    ["cmi.interactions.0.latency", "PT12S"],
    ["cmi.interactions.0.description", x(250)],
    ["cmi.interactions.0.learner_response", "true", { "cmi.interactions.0.type": "true-false" }],
    ["cmi.interactions.0.learner_response", Array.from({ length: 36 }, (_, i) => `c${i}`).join("[,]"), { "cmi.interactions.0.type": "choice" }],
    ["cmi.interactions.0.learner_response", Array.from({ length: 10 }, () => x(250)).join("[,]"), { "cmi.interactions.0.type": "fill-in" }],
    ["cmi.interactions.0.learner_response", `{lang=en}${x(4000)}`, { "cmi.interactions.0.type": "long-fill-in" }],
    ["cmi.interactions.0.learner_response", "a[.]1[,]b[.]2", { "cmi.interactions.0.type": "matching" }],
    ["cmi.interactions.0.learner_response", "step1[.]answer one[,]step2[.]2", { "cmi.interactions.0.type": "performance" }],
    ["cmi.interactions.0.learner_response", "c[,]a[,]b", { "cmi.interactions.0.type": "sequencing" }],
    ["cmi.interactions.0.learner_response", "agree", { "cmi.interactions.0.type": "likert" }],
    ["cmi.interactions.0.learner_response", "-3.25", { "cmi.interactions.0.type": "numeric" }],
    ["cmi.interactions.0.learner_response", x(4000), { "cmi.interactions.0.type": "other" }],
    ["cmi.interactions.0.correct_responses.0.pattern", "{case_matters=true}{order_matters=false}Paris[,]London", { "cmi.interactions.0.type": "fill-in" }],
    ["cmi.interactions.0.correct_responses.0.pattern", "1.5[:]2.5", { "cmi.interactions.0.type": "numeric" }],
    ["cmi.interactions.0.correct_responses.0.pattern", "[:]10", { "cmi.interactions.0.type": "numeric" }],
  ];
  it.each(accepted)("accepts %s = %j", (element, value, stored) => {
    expect(one("2004", element, value, stored)).toEqual({ accepted: { [element]: value }, ignored: [], errors: [] });
  });

  const refused: Array<[element: string, value: string, code: number, stored?: Record<string, string>]> = [
    ["cmi.completion_status", "passed", 406],
    ["cmi.success_status", "completed", 406],
    ["cmi.exit", "finished", 406],
    ["cmi.score.scaled", "1.01", 407],
    ["cmi.score.scaled", "-1.5", 407],
    ["cmi.score.scaled", "high", 406],
    ["cmi.score.raw", "1e3", 406],
    ["cmi.progress_measure", "1.2", 407],
    ["cmi.progress_measure", "-0.1", 407],
    ["cmi.objectives.0.score.scaled", "2", 407],
    ["cmi.learner_preference.audio_level", "-1", 407],
    ["cmi.learner_preference.audio_captioning", "2", 406],
    ["cmi.session_time", "00:01:00", 406],
    ["cmi.interactions.0.latency", "12 seconds", 406],
    // No longer than 1.2's longest span, 9999:59:59.99 (time.ts says why).
    ["cmi.session_time", "PT10000H", 407],
    ["cmi.session_time", "PT9999H60M", 407],
    ["cmi.session_time", `PT${"9".repeat(25)}S`, 407],
    ["cmi.interactions.0.latency", "P2Y", 407],
    ["cmi.interactions.0.timestamp", "yesterday", 406],
    ["cmi.interactions.0.timestamp", "1969-12-31T23:59:59", 406],
    ["cmi.interactions.0.timestamp", "2026-13-01", 406],
    ["cmi.interactions.0.type", "essay", 406],
    ["cmi.interactions.0.result", "wrong", 406], // 1.2's word, not 2004's
    ["cmi.location", x(1001), 351],
    ["cmi.suspend_data", x(64_001), 351],
    ["cmi.interactions.0.id", x(4001), 351],
    ["cmi.interactions.0.description", x(251), 351],
    ["cmi.comments_from_learner.0.location", x(251), 351],
    ["cmi.interactions.0.learner_response", "yes", 406, { "cmi.interactions.0.type": "true-false" }],
    ["cmi.interactions.0.learner_response", Array.from({ length: 37 }, (_, i) => `c${i}`).join("[,]"), 351, { "cmi.interactions.0.type": "choice" }],
    ["cmi.interactions.0.learner_response", Array.from({ length: 11 }, () => "a").join("[,]"), 351, { "cmi.interactions.0.type": "fill-in" }],
    ["cmi.interactions.0.learner_response", x(251), 351, { "cmi.interactions.0.type": "fill-in" }],
    ["cmi.interactions.0.learner_response", x(4001), 351, { "cmi.interactions.0.type": "long-fill-in" }],
    ["cmi.interactions.0.learner_response", `a[.]${x(251)}`, 351, { "cmi.interactions.0.type": "matching" }],
    ["cmi.interactions.0.learner_response", "ten", 406, { "cmi.interactions.0.type": "numeric" }],
    ["cmi.interactions.0.learner_response", x(251), 351, { "cmi.interactions.0.type": "likert" }],
    ["cmi.interactions.0.correct_responses.0.pattern", "1[:]2[:]3", 406, { "cmi.interactions.0.type": "numeric" }],
    ["cmi.core.lesson_status", "passed", 401],
    ["cmi.interactions.0.student_response", "a", 401],
  ];
  it.each(refused)("refuses %s = %j with %d", (element, value, code, stored) => {
    const result = one("2004", element, value, stored);
    expect(result.accepted).toEqual({});
    expect(result.errors).toEqual([expect.objectContaining({ element, errorCode: code })]);
  });

  it("reads an interaction's type from the same commit before the stored CMI", () => {
    const result = validateCmi("2004", { "cmi.interactions.0.type": "true-false", "cmi.interactions.0.learner_response": "a,b" }, { "cmi.interactions.0.type": "other" });
    expect(result.errors).toEqual([expect.objectContaining({ element: "cmi.interactions.0.learner_response", errorCode: 406 })]);
  });

  const readOnly = ["cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.entry", "cmi.mode", "cmi.total_time", "cmi.launch_data", "cmi.max_time_allowed", "cmi.time_limit_action", "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.comments_from_lms.0.comment"];
  it.each(readOnly)("keeps the LMS's %s: ignored with 404", (element) => {
    expect(one("2004", element, "forged")).toEqual({ accepted: {}, ignored: [expect.objectContaining({ element, errorCode: 404 })], errors: [] });
  });
});

describe("what scorm-again itself commits", () => {
  const quiet = { logLevel: 5 as const };

  it("is refused only where a value cannot be stored: a time span longer than four digits of hours", () => {
    const api12 = new Scorm12API(quiet);
    api12.lmsInitialize();
    const long12 = `${"9".repeat(400)}:00:00`;
    expect(api12.lmsSetValue("cmi.core.session_time", long12)).toBe("true");
    expect(one("1.2", "cmi.core.session_time", long12).errors).toEqual([expect.objectContaining({ errorCode: 405 })]);
    const api2004 = new Scorm2004API(quiet);
    api2004.lmsInitialize();
    const long2004 = `P${"9".repeat(400)}Y`;
    expect(api2004.lmsSetValue("cmi.session_time", long2004)).toBe("true");
    expect(one("2004", "cmi.session_time", long2004).errors).toEqual([expect.objectContaining({ errorCode: 407 })]);
  });

  it("passes validation whole for SCORM 1.2, values at the player's own limits included", () => {
    const api = new Scorm12API(quiet);
    api.cmi.core.student_id = "297JSMITH01";
    api.cmi.core.student_name = "Smith, Jane";
    api.cmi.core.credit = "credit";
    api.cmi.student_data.mastery_score = "80";
    api.lmsInitialize();
    const set = (element: string, value: string) => expect([element, api.lmsSetValue(element, value)]).toEqual([element, "true"]);
    set("cmi.core.lesson_status", "incomplete");
    set("cmi.core.lesson_location", x(255));
    set("cmi.core.score.raw", "85");
    set("cmi.core.score.min", "0");
    set("cmi.suspend_data", x(64_000));
    set("cmi.comments", x(4096));
    set("cmi.core.exit", "suspend");
    set("cmi.core.session_time", "0001:02:03.45");
    set("cmi.student_preference.audio", "-1");
    set("cmi.objectives.0.id", "obj.1 with spaces");
    set("cmi.objectives.0.status", "passed");
    set("cmi.interactions.0.id", "q1");
    set("cmi.interactions.0.type", "fill-in");
    set("cmi.interactions.0.time", "09:30:00");
    set("cmi.interactions.0.student_response", x(1000));
    set("cmi.interactions.0.result", "correct");
    set("cmi.interactions.0.weighting", "1");
    set("cmi.interactions.0.latency", "00:00:05");
    set("cmi.interactions.0.objectives.0.id", "obj.1 with spaces");
    set("cmi.interactions.0.correct_responses.0.pattern", "answer");
    const body = api.renderCommitCMI(true) as { cmi: unknown };
    const flat = flattenCmi(body.cmi);
    expect(flat.problems).toEqual([]);
    const result = validateCmi("1.2", flat.values);
    expect(result.errors).toEqual([]);
    expect(result.accepted).toMatchObject({ "cmi.suspend_data": x(64_000), "cmi.interactions.0.student_response": x(1000), "cmi.core.exit": "suspend" });
    expect(result.ignored.map((problem) => problem.element)).toEqual(expect.arrayContaining(["cmi.core.student_id", "cmi.core.credit", "cmi.student_data.mastery_score", "cmi.core.total_time"]));
  });

  it("passes validation whole for SCORM 2004", () => {
    const api = new Scorm2004API(quiet);
    api.cmi.learner_id = "297JSMITH01";
    api.cmi.completion_threshold = "0.8";
    api.lmsInitialize();
    const set = (element: string, value: string) => expect([element, api.lmsSetValue(element, value)]).toEqual([element, "true"]);
    set("cmi.completion_status", "incomplete");
    set("cmi.success_status", "failed");
    set("cmi.progress_measure", "0.5");
    set("cmi.score.scaled", "-0.25");
    set("cmi.score.raw", "12");
    set("cmi.location", x(1000));
    set("cmi.suspend_data", x(64_000));
    set("cmi.exit", "suspend");
    set("cmi.session_time", "PT1H2M3.45S");
    set("cmi.learner_preference.language", "en-GB");
    set("cmi.comments_from_learner.0.comment", "{lang=en}Fine");
    set("cmi.comments_from_learner.0.location", "page 3");
    set("cmi.comments_from_learner.0.timestamp", "2026-03-01T09:00:00");
    set("cmi.objectives.0.id", "urn:lms:objective-1");
    set("cmi.objectives.0.score.scaled", "0.5");
    set("cmi.objectives.0.success_status", "passed");
    set("cmi.objectives.0.completion_status", "completed");
    set("cmi.objectives.0.progress_measure", "1");
    set("cmi.objectives.0.description", "First");
    const interactions: Array<[type: string, response: string, pattern: string]> = [
      ["true-false", "true", "false"],
      ["choice", "a[,]b", "a[,]c"],
      ["fill-in", "{lang=en}Paris", "{case_matters=true}Paris"],
      ["long-fill-in", x(3000), "essay"],
      ["matching", "1[.]a[,]2[.]b", "1[.]a[,]2[.]b"],
      ["performance", "step1[.]answer", "step1[.]answer"],
      ["sequencing", "c[,]a[,]b", "a[,]b[,]c"],
      ["likert", "agree", "agree"],
      ["numeric", "3.5", "3[:]4"],
      ["other", "anything at all", "anything"],
    ];
    interactions.forEach(([type, response, pattern], n) => {
      set(`cmi.interactions.${n}.id`, `urn:lms:q${n}`);
      set(`cmi.interactions.${n}.type`, type);
      set(`cmi.interactions.${n}.learner_response`, response);
      set(`cmi.interactions.${n}.correct_responses.0.pattern`, pattern);
      set(`cmi.interactions.${n}.result`, n % 2 ? "incorrect" : "0.5");
      set(`cmi.interactions.${n}.weighting`, "1");
      set(`cmi.interactions.${n}.latency`, "PT5S");
      set(`cmi.interactions.${n}.timestamp`, "2026-03-01T09:00:00");
      set(`cmi.interactions.${n}.description`, "{lang=en}Question");
      set(`cmi.interactions.${n}.objectives.0.id`, "urn:lms:objective-1");
    });
    const body = api.renderCommitCMI(true) as { cmi: unknown };
    const flat = flattenCmi(body.cmi);
    expect(flat.problems).toEqual([]);
    const result = validateCmi("2004", flat.values);
    expect(result.errors).toEqual([]);
    expect(result.accepted).toMatchObject({ "cmi.suspend_data": x(64_000), "cmi.interactions.3.learner_response": x(3000), "cmi.exit": "suspend" });
    expect(result.ignored.map((problem) => problem.element)).toEqual(expect.arrayContaining(["cmi.learner_id", "cmi.completion_threshold", "cmi.total_time"]));
  });
});
