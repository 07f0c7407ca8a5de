import { describe, expect, it } from "vitest";
import { evaluatePrerequisites, lessonStatusOf, parsePrerequisites, prerequisitesMet, PrerequisiteSyntaxError, type LessonStatus } from "../../server/scorm/prerequisites.ts";

const statuses: Record<string, LessonStatus> = { INTRO: "completed", QUIZ: "failed", PART1: "passed", PART2: "incomplete", PART3: "not attempted", "ITEM-4.b": "browsed" };
const statusOf = (id: string) => statuses[id] ?? "not attempted";
const known = new Set(Object.keys(statuses));

describe("SCORM 1.2 prerequisites (aicc_script)", () => {
  const cases: Array<[script: string, met: boolean]> = [
    ["INTRO", true],
    ["PART1", true],
    ["QUIZ", false],
    ["PART2", false],
    ["~PART2", true],
    ["INTRO & PART1", true],
    ["INTRO & PART2", false],
    ["PART2 | PART1", true],
    ["PART2 | PART3", false],
    ["INTRO & (PART2 | PART1)", true],
    ["PART3 | INTRO & PART1", true],
    ["(PART3 | INTRO) & PART2", false],
    ['QUIZ = "failed"', true],
    ["QUIZ=failed", true],
    ["QUIZ = F", true],
    ['QUIZ <> "passed"', true],
    ['PART3 = "not attempted"', true],
    ["PART3 = not attempted", true],
    ['ITEM-4.b = "browsed"', true],
    ["{INTRO, PART1}", true],
    ["{INTRO, PART1, PART2}", false],
    ["2*{INTRO, PART2, PART1}", true],
    ["3*{INTRO, PART2, PART1}", false],
    ["~{PART2, PART3} & INTRO", true],
  ];
  it.each(cases)("%s -> %s", (script, met) => {
    expect(evaluatePrerequisites(parsePrerequisites(script), statusOf)).toBe(met);
  });

  it("names what it cannot read", () => {
    for (const script of ["INTRO &", "(INTRO", "INTRO )", 'QUIZ = "done"', "& INTRO", "2*{INTRO,", "INTRO PART1"]) {
      expect(() => parsePrerequisites(script), script).toThrow(PrerequisiteSyntaxError);
    }
    expect(() => parsePrerequisites('QUIZ = "done"')).toThrow(/"done" is not a lesson status/);
  });

  it("does not enforce a script it cannot read, or one naming an item the course lacks", () => {
    expect(prerequisitesMet("PART2 &", known, statusOf)).toBe(true);
    expect(prerequisitesMet("NOT-IN-COURSE", known, statusOf)).toBe(true);
    expect(prerequisitesMet(null, known, statusOf)).toBe(true);
    expect(prerequisitesMet("PART2", known, statusOf)).toBe(false);
  });

  it("reads a 1.2 SCO's lesson status back from the stored completion and success", () => {
    expect(lessonStatusOf(undefined)).toBe("not attempted");
    expect(lessonStatusOf({ completionStatus: "completed", successStatus: "passed" })).toBe("passed");
    expect(lessonStatusOf({ completionStatus: "completed", successStatus: "failed" })).toBe("failed");
    expect(lessonStatusOf({ completionStatus: "completed", successStatus: "unknown" })).toBe("completed");
    expect(lessonStatusOf({ completionStatus: "incomplete", successStatus: "unknown" })).toBe("incomplete");
    expect(lessonStatusOf({ completionStatus: null, successStatus: null })).toBe("not attempted");
  });
});
