import { describe, expect, it } from "vitest";
import { contentRequest, refusalMessage } from "../../player/sequencer-refusals.ts";

describe("what the learner reads when the sequencer refuses a request", () => {
  it.each([
    ["previous", "NB.2.1-5", /does not let you go back from here \(sequencing rule NB\.2\.1-5\)/],
    ["continue", "SB.2.2-1", /does not let you move on with Next from here: choose from the contents/],
    ["choice", "SB.2.9-5", /does not let you choose its parts from the contents here: use Next and Previous/],
    ["continue", "SB.2.7-2", /nothing further in this course to move on to\. Select Home/],
    ["choice", "SB.2.9-4", /cannot be opened yet: finish the parts before it first/],
    ["choice", "DB.1.1-3", /its rules close it/],
    ["continue", "SB.2.2-2", /its rules close it, or its attempts are used up \(sequencing rule SB\.2\.2-2\)/],
    ["choice", "SB.2.9-8", /only the parts just before and just after the section you are in \(sequencing rule SB\.2\.9-8\)/],
    ["choice", "SB.2.9-6", /cannot be opened until the section it belongs to has been started/],
    ["choice", "SB.2.4-1", /cannot be opened yet: finish the parts before it first/],
    ["choice", "SB.2.4-2", /does not let you go back to that part from here/],
    ["choice", "XX.9-9", /the course's rules do not allow it \(sequencing rule XX\.9-9\)/],
    ["continue", null, /^That part of the course cannot be opened now: the course's rules do not allow it\.$/],
  ] as const)("%s refused with %s", (request, exception, message) => {
    expect(refusalMessage(request, exception)).toMatch(message);
  });
});

describe("which of a SCO's own navigation requests the learner is told were refused", () => {
  it.each([
    ["continue", "continue"],
    ["previous", "previous"],
    ["{target=LESSON-2}choice", "choice"],
    ["exit", null],
    ["exitAll", null],
    ["suspendAll", null],
    ["_none_", null],
    [undefined, null],
  ] as const)("%s -> %s", (navRequest, kind) => {
    expect(contentRequest(navRequest)).toBe(kind);
  });
});
