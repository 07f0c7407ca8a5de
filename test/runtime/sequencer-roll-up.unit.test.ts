// The course's outcome from the sequencer's saved state (server/runtime/sequencer-roll-up.ts): the
// root activity's statuses as the player saved them, and the Performance Status they give.
import { describe, expect, it } from "vitest";
import { courseStatus, sequencerRollUp } from "../../server/runtime/sequencer-roll-up.ts";

const state = (root: Record<string, unknown>) => JSON.stringify({ version: "1.0", sequencing: { activityStates: { ORG: { id: "ORG", ...root } } } });

describe("the root activity as the saved state holds it", () => {
  it.each([
    ["completed and satisfied", state({ completionStatus: "completed", successStatus: "passed" }), { completion: "completed", success: "passed" }],
    ["a status outside the vocabulary", state({ completionStatus: "done", successStatus: "passed" }), null],
    ["no root", JSON.stringify({ sequencing: { activityStates: {} } }), null],
    ["not JSON", "{", null],
  ])("%s", (_title, saved, expected) => {
    expect(sequencerRollUp(saved, "ORG")).toEqual(expected);
  });
});

describe("the course's Performance Status from its root", () => {
  it.each([
    ["completed and satisfied", "completed", "passed", "Passed"],
    ["completed, nothing to satisfy", "completed", "unknown", "Completed"],
    ["completed and not satisfied", "completed", "failed", "Failed"],
    ["not satisfied part-way: the learner may still satisfy it", "incomplete", "failed", "Incomplete"],
    ["not satisfied with completion unknown: still open", "unknown", "failed", "Incomplete"],
    ["satisfied part-way (the LMS satisfies SCOs left part-way by default, SN UP.4): not finished", "incomplete", "passed", "Incomplete"],
    ["satisfied, completion not tracked", "unknown", "passed", "Passed"],
    ["nothing yet", "unknown", "unknown", "Not Attempted"],
  ])("%s", (_title, completion, success, status) => {
    expect(courseStatus({ completion, success })).toBe(status);
  });
});
