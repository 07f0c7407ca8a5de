// What the 2004 player's resumeInterrupted() relies on, on scorm-again 3.4.3's real sequencer: a
// player window that died while a SCO ran left the state it saved when it delivered that SCO. In
// a flow-only course (issue 17 item 4's) nothing but a suspension and Resume All reaches it again.
import { describe, expect, it } from "vitest";
import { cases } from "../conformance/cases/issue-17.ts";
import { packageOf, sequencerFor, type Sequencer } from "./sequencer-fixture.ts";

const FLOW_ONLY = packageOf(cases, "I17-4a");

/** The state as the window saved it when it delivered S3, restored into a new sequencer. */
function restoredWithS3Running(): Sequencer {
  const before = sequencerFor(FLOW_ONLY, { corrected: true });
  expect(before.request("start", "continue", "continue")).toBe("delivered S3");
  const after = sequencerFor(FLOW_ONLY, { corrected: true });
  expect(after.api.deserializeSequencingState(before.api.serializeSequencingState())).toBe(true);
  return after;
}

describe("a flow-only course whose window died while S3 ran", () => {
  it("restores with S3 current and nothing suspended", () => {
    const context = restoredWithS3Running().context();
    expect(context.current?.id).toBe("S3");
    expect(context.root.isSuspended).toBe(false);
  });

  it.each([
    ["Resume All finds nothing suspended", "resumeAll", "refused NB.2.1-2"],
    ["Start refuses a session that has a current activity", "start", "refused NB.2.1-1"],
    ["the course allows no choice", "choice S3", "refused NB.2.1-11"],
  ])("%s", (_title, request, outcome) => {
    expect(restoredWithS3Running().request(request)).toBe(outcome);
  });

  it("is suspended at S3 and resumed there, as a window that unloaded would have been", () => {
    const sequencer = restoredWithS3Running();
    expect(sequencer.request("suspendAll")).toBe("ended");
    expect(sequencer.request("resumeAll")).toBe("delivered S3");
    expect(sequencer.activity("S3").attemptCount, "the same attempt carries on").toBe(1);
  });
});
