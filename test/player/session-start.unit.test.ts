// player/session-start.ts on scorm-again 3.4.3's real sequencer, in Node: the state a window left
// (saved as the player saves it), restored into a new sequencer, and the start steps run in turn as
// the 2004 player runs them. Each row: how the last window left the course, and where the next
// Play starts, by which step.
import { describe, expect, it } from "vitest";
import { scoWasRunning, startSteps } from "../../player/session-start.ts";
import { cases as issue17 } from "../conformance/cases/issue-17.ts";
import { cases as controlModes } from "../conformance/cases/sequencing-control-modes.ts";
import type { PackageSpec } from "../conformance/support/build-package.ts";
import { packageOf, sequencerFor, type Sequencer } from "./sequencer-fixture.ts";

/** One module of eight SCOs, choice off, flow on (issue 17 item 4). */
const FLOW_ONLY = packageOf(issue17, "I17-4a");
/** Three SCOs and no sequencing: choice on, flow off (the SN defaults). */
const CHOICE_ONLY = packageOf(controlModes, "SEQ-CM-02");

type Api = { Initialize(parameter: ""): string; Terminate(parameter: ""): string; reset(settings: object, options: object): void };

/** The window's last acts before its state was saved: navigation requests, or "end" (the SCO on screen terminates, requesting nothing). */
function savedAfter(spec: PackageSpec, acts: string[]): string {
  const sequencer = sequencerFor(spec, { corrected: true });
  for (const act of acts) {
    if (act !== "end") {
      sequencer.request(act);
      continue;
    }
    const api = sequencer.api as unknown as Api;
    api.Initialize("");
    api.Terminate("");
    api.reset({}, { preserveListeners: true });
  }
  return sequencer.api.serializeSequencingState();
}

/** The next Play: the state restored, then each step in turn until one delivers (as Scorm2004Player.start). */
function nextPlay(spec: PackageSpec, state: string | null, resumeScoId: string | null): { sequencer: Sequencer; outcome: string } {
  const sequencer = sequencerFor(spec, { corrected: true });
  const restored = state !== null && sequencer.api.deserializeSequencingState(state);
  for (const step of startSteps({ restoredState: restored ? state : null, resumeScoId, firstScoId: "S1" })) {
    const prepared = step.slice(0, -1);
    if (prepared.length) sequencer.request(...prepared);
    const outcome = sequencer.request(step.at(-1)!);
    if (outcome.startsWith("delivered")) return { sequencer, outcome: `${outcome} by ${step.join(" then ")}` };
  }
  return { sequencer, outcome: "nothing" };
}

describe("where the next Play starts a SCORM 2004 course", () => {
  it.each([
    ["first Play, flow on: Start", FLOW_ONLY, null, null, "delivered S1 by start"],
    ["first Play, flow off: a choice of the first SCO", CHOICE_ONLY, null, null, "delivered S1 by choice S1"],
    ["suspended by Home while S3 ran: Resume All", FLOW_ONLY, ["start", "continue", "continue", "suspendAll"], "S3", "delivered S3 by resumeAll"],
    ["the window died while S3 ran (flow only): suspended where it stood and resumed", FLOW_ONLY, ["start", "continue", "continue"], "S3", "delivered S3 by suspendAll then resumeAll"],
    ["the window died while S2 ran (choice): the same, not a new attempt by choice", CHOICE_ONLY, ["choice S1", "choice S2"], "S2", "delivered S2 by suspendAll then resumeAll"],
    ["S3 had ended, nothing chosen next (flow only): Continue from it", FLOW_ONLY, ["start", "continue", "continue", "end"], "S4", "delivered S4 by continue"],
    ["S2 had ended, nothing chosen next (choice): the server's next unfinished SCO", CHOICE_ONLY, ["choice S1", "choice S2", "end"], "S3", "delivered S3 by choice S3"],
    ["the course was exited (Exit All): Start again", FLOW_ONLY, ["start", "end", "exitAll"], null, "delivered S1 by start"],
  ])("%s", (_title, spec, acts, resumeScoId, outcome) => {
    expect(nextPlay(spec, acts ? savedAfter(spec, acts) : null, resumeScoId).outcome).toBe(outcome);
  });

  it("carries on the interrupted SCO's attempt rather than starting another", () => {
    const { sequencer } = nextPlay(FLOW_ONLY, savedAfter(FLOW_ONLY, ["start", "continue", "continue"]), "S3");
    expect(sequencer.activity("S3").attemptCount).toBe(1);
  });

  it.each([
    ["a SCO running, nothing suspended", savedAfter(FLOW_ONLY, ["start", "continue"]), true],
    ["suspended", savedAfter(FLOW_ONLY, ["start", "continue", "suspendAll"]), false],
    ["the SCO on screen had ended", savedAfter(FLOW_ONLY, ["start", "end"]), false],
    ["not JSON", "{", false],
    ["JSON of another shape", '{"sequencing":{"currentActivity":"S1","activityStates":{"S1":{"isActive":"yes"}}}}', false],
  ])("reads a saved state as left with a SCO running: %s", (_title, state, running) => {
    expect(scoWasRunning(state)).toBe(running);
  });
});
