// Correction 4 of sequencer-corrections.ts: SN RB.1.1, the Measure Rollup Process.
//
// The SN divides the children's weighted measures by the weights of every child that counts for
// the rollup, measured or not: a child not yet scored weighs in at nothing, so a course's measure
// grows as its SCOs are scored. scorm-again 3.4.3 divides by the weights of the measured children
// only, so a course of two SCOs weighted 0.25 and 0.75 whose first scored 0.9 has a measure of 0.9
// and, with a minNormalizedMeasure of 0.7, is satisfied before its second SCO is ever opened (SN:
// 0.225, not satisfied). The server takes the course's outcome from the root activity, and a
// Passed is never taken back, so that premature pass would stand whatever the second SCO scored
// (conformance case SEQ-RU-09). A child counts when it is tracked and contributes to the rollup of
// objectives (RB.1.1 asks for its rolled-up objective); its measure counts only where scorm-again
// would take it (its own check, which also leaves out a measure from an earlier attempt of the
// parent, under 4th Edition's useCurrentAttemptObjectiveInfo).

/** The parts of a scorm-again Activity the correction reads and writes. */
export interface MeasuredActivity {
  readonly isActive: boolean;
  readonly activityAttemptActive?: boolean;
  readonly sequencingControls: { readonly objectiveMeasureWeight: number; readonly tracked: boolean; readonly rollupObjectiveSatisfied: boolean };
  readonly rollupConsiderations: { readonly measureSatisfactionIfActive: boolean };
  readonly objectiveMeasureStatus: boolean;
  readonly objectiveNormalizedMeasure: number | null;
  getAvailableChildren(): readonly MeasuredActivity[];
}

interface MeasureProcessor {
  measureRollupProcess?: (activity: MeasuredActivity) => unknown;
  childFilter?: { checkChildForRollupSubprocess?: (child: MeasuredActivity, rollupType: string) => boolean };
}

/** Corrects the processor in place; false when scorm-again no longer has the shape it was written for. */
export function correctMeasureRollup(processor: MeasureProcessor | undefined): boolean {
  const original = processor?.measureRollupProcess?.bind(processor);
  const filter = processor?.childFilter;
  const takesMeasure = filter?.checkChildForRollupSubprocess?.bind(filter);
  if (!processor || !original || !takesMeasure) return false;
  processor.measureRollupProcess = (activity) => {
    const clusters = original(activity);
    // scorm-again found no measured child: the measure stays unknown, as the SN has it too.
    if (!activity.objectiveMeasureStatus) return clusters;
    const counted = activity.getAvailableChildren().filter((child) => child.sequencingControls.tracked && child.sequencingControls.rollupObjectiveSatisfied && !excludedWhileActive(activity, child));
    const measure = weightedMeasure(counted, (child) => takesMeasure(child, "measure"));
    if (measure !== null) (activity as { objectiveNormalizedMeasure: number | null }).objectiveNormalizedMeasure = measure;
    return clusters;
  };
  return true;
}

/** RB.1.1: the weighted sum of the measured children over the weights of all of them; null without weight. */
export function weightedMeasure(children: readonly MeasuredActivity[], takesMeasure: (child: MeasuredActivity) => boolean = () => true): number | null {
  let total = 0;
  let weights = 0;
  for (const child of children) {
    const weight = child.sequencingControls.objectiveMeasureWeight;
    weights += weight;
    if (takesMeasure(child) && child.objectiveMeasureStatus && child.objectiveNormalizedMeasure !== null) total += child.objectiveNormalizedMeasure * weight;
  }
  return weights > 0 ? total / weights : null;
}

/** scorm-again leaves out a child still active when the parent's measureSatisfactionIfActive is false. */
function excludedWhileActive(parent: MeasuredActivity, child: MeasuredActivity): boolean {
  return !parent.rollupConsiderations.measureSatisfactionIfActive && (child.activityAttemptActive === true || child.isActive);
}
