// player/sequencer-corrections.ts on scorm-again 3.4.3's real sequencer, in Node, with the packages
// of the conformance cases that found each fault. Each row says what the corrected sequencer does
// (the SN's answer) and what scorm-again does alone: the first fails without the correction, the
// second fails once scorm-again changes what it does, so that the correction is looked at again.
import { afterEach, describe, expect, it, vi } from "vitest";
import { correctSequencer, withoutConstrainedChoice } from "../../player/sequencer-corrections.ts";
import type { Scorm2004Api } from "../../player/scorm-again.ts";
import { cases as constrainedChoice } from "../conformance/cases/sequencing-constrained-choice.ts";
import { cases as limitConditions } from "../conformance/cases/sequencing-limit-conditions.ts";
import { cases as rules } from "../conformance/cases/sequencing-rules.ts";
import { cases as rollUp } from "../conformance/cases/sequencing-roll-up.ts";
import { packageOf, sequencerFor } from "./sequencer-fixture.ts";

const CONSTRAINED_ORGANIZATION = packageOf(constrainedChoice, "SEQ-CC-01");
const CONSTRAINED_MODULE = packageOf(constrainedChoice, "SEQ-CC-02");
const PREVENTING_MODULE = packageOf(constrainedChoice, "SEQ-CC-05");
const STOPPING_S2 = packageOf(rules, "SEQ-SR-05");
const S1_ONCE = packageOf(limitConditions, "SEQ-LC-01");
/** Two SCOs weighted 0.25 and 0.75; the organization is satisfied by a measure of 0.7. */
const WEIGHTED = packageOf(rollUp, "SEQ-RU-09");

describe("scorm-again 3.4.3's sequencer, corrected by the player", () => {
  it("takes every correction", () => {
    expect(sequencerFor(CONSTRAINED_MODULE, { corrected: true }).problems).toEqual([]);
  });

  it.each([
    ["constrainChoice on the organization constrains nothing (SB.2.9: the root is never left)", CONSTRAINED_ORGANIZATION, ["choice S1"], "choice S3", "delivered S3", "refused NB.2.1-11"],
    ["constrainChoice: from inside the module, its other SCO (SB.2.9 case 2)", CONSTRAINED_MODULE, ["start", "continue"], "choice S3", "delivered S3", "refused NB.2.1-11"],
    ["constrainChoice: from inside the module, the activity just after it (SB.2.9 case 5)", CONSTRAINED_MODULE, ["start", "continue"], "choice S4", "delivered S4", "delivered S4"],
    ["constrainChoice: from inside the module, beyond the activity just after it (SB.2.9-8)", CONSTRAINED_MODULE, ["start", "continue"], "choice S5", "refused SB.2.9-8", "delivered S5"],
    ["preventActivation: a SCO of the module not yet active (SB.2.9-6)", PREVENTING_MODULE, ["start"], "choice S3", "refused SB.2.9-6", "refused SB.2.9-6"],
    ["preventActivation: the module itself, which flows into its first SCO", PREVENTING_MODULE, ["start"], "choice M2", "delivered S2", "delivered S2"],
    ["preventActivation: the other SCO of the module once it is active (nothing new activated)", PREVENTING_MODULE, ["start", "continue"], "choice S3", "delivered S3", "refused NB.2.1-11"],
    ["stopForwardTraversal: a choice past the SCO carrying it (SB.2.4-1)", STOPPING_S2, ["start"], "choice S3", "refused SB.2.4-1", "delivered S3"],
    ["stopForwardTraversal: the SCO carrying it may itself be chosen", STOPPING_S2, ["start"], "choice S2", "delivered S2", "refused NB.2.1-11"],
    ["stopForwardTraversal: flow is not choice, Next goes on past it", STOPPING_S2, ["start", "continue"], "continue", "delivered S3", "delivered S3"],
    ["a SCO whose attempts are used up is refused by DB.1.1's Check Activity (DB.1.1-3)", S1_ONCE, ["start", "continue"], "choice S1", "refused DB.1.1-3", "refused SB.2.9-5"],
  ])("%s", (_title, spec, before, request, corrected, alone) => {
    const sequencer = sequencerFor(spec, { corrected: true });
    sequencer.request(...before);
    expect(sequencer.request(request), "corrected").toBe(corrected);
    const scormAgain = sequencerFor(spec, { corrected: false });
    scormAgain.request(...before);
    expect(scormAgain.request(request), "scorm-again alone").toBe(alone);
  });

  it("rolls up a measure over every SCO's weight, scored or not (RB.1.1): the first SCO's 0.9 alone does not satisfy the course", () => {
    const rootAfter = (corrected: boolean, ...scores: string[]) => {
      const sequencer = sequencerFor(WEIGHTED, { corrected });
      sequencer.request("start");
      const api = sequencer.api as unknown as { Initialize(e: string): string; SetValue(k: string, v: string): string; Terminate(e: string): string; reset(settings: object, options: object): void };
      for (const score of scores) {
        api.Initialize("");
        api.SetValue("cmi.score.scaled", score);
        api.SetValue("adl.nav.request", "continue");
        api.Terminate("");
        api.reset({}, { preserveListeners: true });
      }
      const root = sequencer.context().root as unknown as { objectiveNormalizedMeasure: number; successStatus: string };
      return [root.objectiveNormalizedMeasure, root.successStatus];
    };
    expect(rootAfter(true, "0.9"), "corrected").toEqual([0.225, "failed"]);
    expect(rootAfter(true, "0.9", "0.5"), "corrected, both scored").toEqual([0.6, "failed"]);
    expect(rootAfter(true, "0.9", "0.7")[1], "corrected, enough").toBe("passed");
    expect(rootAfter(false, "0.9"), "scorm-again alone").toEqual([0.9, "passed"]);
  });

  it("does not give scorm-again constrainChoice or preventActivation, and changes nothing else", () => {
    const settings = {
      activityTree: {
        id: "ORG",
        title: "Course",
        sequencingControls: { choice: true, flow: true, constrainChoice: true, preventActivation: true } as never,
        children: [{ id: "S1", title: "One", attemptLimit: 2, sequencingControls: { choice: true, choiceExit: false, constrainChoice: true, preventActivation: false } as never }],
      },
    };
    expect(withoutConstrainedChoice(settings)).toEqual({
      activityTree: {
        id: "ORG",
        title: "Course",
        sequencingControls: { choice: true, flow: true, constrainChoice: false, preventActivation: false },
        children: [{ id: "S1", title: "One", attemptLimit: 2, sequencingControls: { choice: true, choiceExit: false, constrainChoice: false, preventActivation: false } }],
      },
    });
  });
});

describe("a scorm-again whose sequencer no longer has the shape the corrections were written for", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is reported on the console, naming what is not corrected", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const changed = { getSequencingService: () => ({ getOverallSequencingProcess: () => ({ navigationValidityService: {}, sequencingProcess: {} }) }) } as unknown as Scorm2004Api;
    expect(correctSequencer(changed, new Map())).toEqual(["NavigationValidityService.isActivityDisabled", "SequencingProcess.sequencingRequestProcess", "MeasureRollupProcessor.measureRollupProcess"]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("do not apply to NavigationValidityService.isActivityDisabled, SequencingProcess.sequencingRequestProcess, MeasureRollupProcessor.measureRollupProcess"));
  });
});
