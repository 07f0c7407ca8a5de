// Where scorm-again 3.4.3's sequencer departs from the SCORM 2004 4th Edition SN book on a choice,
// the player corrects it at run time: the npm package is the latest, and is used as it is. Each
// correction is small and names its SN section; test/player/sequencer-corrections.unit.test.ts
// runs scorm-again in Node and fails without each one (and when scorm-again changes shape so that
// one no longer applies, which is also reported here with a console error).
//
// 1. constrainChoice and preventActivation (adlseq, SN 3.3) are not given to scorm-again. It
//    applies them only to a choice, and there in the wrong place: constrainChoice among the
//    constrained activity's own children (no skipping forward, no going back to an unfinished
//    one) and at the root, where SB.2.9 (case 5) applies it to leaving the constrained activity;
//    preventActivation to any target not yet attempted, where SB.2.9 refuses only the activation
//    of an activity not active. The SN's SB.2.9 applies both (correction 3).
// 2. NB.2.1 (choice) takes a Stop Forward Traversal rule for a disabled activity and refuses the
//    choice of the very activity that carries it; the rule only stops a choice traversing forward
//    past it (SB.2.4). An activity is disabled by a Disabled rule (UP.5).
// 3. SB.2.9 (the Choice Sequencing Request Process) runs the SN's own checks first
//    (choice-sequencing.ts): constrainChoice, preventActivation, Stop Forward Traversal (SB.2.4),
//    choiceExit; and, for a leaf, DB.1.1's Check Activity, so that a used-up or disabled activity
//    is refused with the SN's DB.1.1-3. scorm-again's own checks then find nothing left to refuse
//    wrongly, and do the rest (the flow into a chosen cluster, the delivery).
// 4. RB.1.1 (the Measure Rollup Process) divides by the weights of every child that counts, measured
//    or not (measure-rollup-correction.ts).
import { correctMeasureRollup } from "./measure-rollup-correction.ts";
import { sequencingRefusal, type ChoiceContext, type ConstrainedChoice, type SequencedActivity } from "./choice-sequencing.ts";
import type { ActivitySettings, SequencingSettings } from "../server/scorm/manifest/runtime-settings.ts";
import type { Scorm2004Api } from "./scorm-again.ts";

/** Correction 1: the settings without constrainChoice and preventActivation, for scorm-again. */
export function withoutConstrainedChoice(settings: SequencingSettings): SequencingSettings {
  const strip = (activity: ActivitySettings): ActivitySettings => ({
    ...activity,
    ...(activity.sequencingControls ? { sequencingControls: { ...activity.sequencingControls, constrainChoice: false, preventActivation: false } } : {}),
    ...(activity.children ? { children: activity.children.map(strip) } : {}),
  });
  return { ...settings, activityTree: strip(settings.activityTree) };
}

/** The sequencer's activity tree as choice-sequencing.ts reads it; null before it has one. */
export function choiceContext(api: Scorm2004Api, constrained: ReadonlyMap<string, ConstrainedChoice>): ChoiceContext | null {
  const { rootActivity, currentActivity } = api.getSequencingState();
  return rootActivity ? { root: rootActivity as SequencedActivity, current: (currentActivity as SequencedActivity | null) ?? null, constrained } : null;
}

interface SequencingResult {
  deliveryRequest: string;
  targetActivity: unknown;
  exception: string | null;
  endSequencingSession: boolean;
}

type ChoiceActivity = SequencedActivity & { readonly isAvailable: boolean; readonly isHiddenFromChoice: boolean };

/** The scorm-again objects corrected here, as far as they are used. */
interface Internals {
  rollupProcess?: { measureProcessor?: Parameters<typeof correctMeasureRollup>[0] };
  navigationValidityService?: { isActivityDisabled?: (activity: ChoiceActivity) => boolean };
  sequencingProcess?: {
    sequencingRequestProcess?: (request: string, targetActivityId?: string | null) => SequencingResult;
    activityTree?: { getActivity?: (id: string) => SequencedActivity | null | undefined };
  };
}

/**
 * Corrections 2, 3 and 4, on the sequencer the API holds. Returns what could not be corrected (and
 * says so on the console): empty when scorm-again still has the shape these were written for.
 */
export function correctSequencer(api: Scorm2004Api, constrained: ReadonlyMap<string, ConstrainedChoice>): string[] {
  const overall = api.getSequencingService()?.getOverallSequencingProcess() as Internals | null | undefined;
  const problems: string[] = [];
  const validity = overall?.navigationValidityService;
  if (typeof validity?.isActivityDisabled === "function") {
    // NB.2.1 / UP.5: disabled means a Disabled rule applies; scorm-again's own test of
    // availability and Hidden from Choice stays (SB.2.9 refuses both too).
    validity.isActivityDisabled = (activity) =>
      !activity.isAvailable || activity.isHiddenFromChoice || activity.sequencingRules.preConditionRules.some((rule) => (rule.action === "disabled" || rule.action === "hiddenFromChoice") && rule.evaluate(activity));
  } else {
    problems.push("NavigationValidityService.isActivityDisabled");
  }
  const sequencingProcess = overall?.sequencingProcess;
  const sequencingRequest = sequencingProcess?.sequencingRequestProcess?.bind(sequencingProcess);
  const getActivity = sequencingProcess?.activityTree?.getActivity?.bind(sequencingProcess.activityTree);
  if (sequencingProcess && sequencingRequest && getActivity) {
    sequencingProcess.sequencingRequestProcess = (request, targetActivityId = null) => {
      const target = request === "choice" && targetActivityId ? getActivity(targetActivityId) : null;
      const refusal = target ? choiceRefusalNow(api, constrained, target) : null;
      return refusal ? { deliveryRequest: "doNotDeliver", targetActivity: null, exception: refusal, endSequencingSession: false } : sequencingRequest(request, targetActivityId);
    };
  } else {
    problems.push("SequencingProcess.sequencingRequestProcess");
  }
  if (!correctMeasureRollup(overall?.rollupProcess?.measureProcessor)) problems.push("MeasureRollupProcessor.measureRollupProcess");
  if (problems.length > 0) console.error(`scorm-again's sequencer has changed: the SN corrections of player/sequencer-corrections.ts do not apply to ${problems.join(", ")}`);
  return problems;
}

/** SB.2.9 and, for a leaf, DB.1.1, on the tree as the termination left it (SN OP.1). */
function choiceRefusalNow(api: Scorm2004Api, constrained: ReadonlyMap<string, ConstrainedChoice>, target: SequencedActivity): string | null {
  try {
    const context = choiceContext(api, constrained);
    if (!context) return null;
    return sequencingRefusal(context, target);
  } catch (error) {
    // Never leave a learner stuck on a fault of ours: scorm-again decides alone.
    console.error("the SN's choice checks failed; scorm-again decides alone", error);
    return null;
  }
}
