import { AppError } from "../../errors.ts";
import type { Manifest, ManifestItem } from "./parse-manifest.ts";
import { defaultSequencing, type ActivitySequencing } from "./sequencing.ts";

// The shape scorm-again 3.4.3 takes as `settings.sequencing`, mirrored from
// node_modules/scorm-again/dist/types/types/sequencing_types.d.ts (SequencingSettings,
// ActivitySettings, SequencingControlsSettings, ...) and consumed by
// Scorm2004API.configureSequencing -> ActivityTreeBuilder.createActivity. scorm-again declares
// its tokens as TypeScript enums; these are the same strings as literal unions, so plain JSON
// satisfies them. test/scorm/runtime-settings.unit.test.ts checks the two stay in step.
// Only what a manifest can say is mirrored: no run-time state (isActive, isSuspended, ...).

export type RuleConditionType =
  | "satisfied" | "objectiveSatisfied" | "objectiveStatusKnown" | "objectiveMeasureKnown"
  | "objectiveMeasureGreaterThan" | "objectiveMeasureLessThan" | "completed" | "activityCompleted"
  | "progressKnown" | "activityProgressKnown" | "attempted" | "attemptLimitExceeded"
  | "timeLimitExceeded" | "outsideAvailableTimeRange" | "always" | "never";
export type RuleActionType =
  | "skip" | "disabled" | "hiddenFromChoice" | "stopForwardTraversal" | "exitParent" | "exitAll"
  | "retry" | "retryAll" | "continue" | "previous" | "exit";
export type RollupConditionType =
  | "satisfied" | "objectiveStatusKnown" | "objectiveMeasureKnown" | "objectiveMeasureGreaterThan"
  | "objectiveMeasureLessThan" | "completed" | "progressKnown" | "attempted" | "attemptLimitExceeded"
  | "notAttempted" | "always";
export type RollupActionType = "satisfied" | "notSatisfied" | "completed" | "incomplete";
export type RollupConsiderationType = "all" | "any" | "none" | "atLeastCount" | "atLeastPercent";
export type SelectionTiming = "never" | "once" | "onEachNewAttempt";
export type HideLmsUiItem = "continue" | "previous" | "exit" | "exitAll" | "abandon" | "abandonAll" | "suspendAll";
export type RollupConsiderationRequirement = "always" | "ifAttempted" | "ifNotSkipped" | "ifNotSuspended";

export interface RuleConditionSettings {
  condition: RuleConditionType;
  /** scorm-again RuleConditionOperator; absent means the manifest's `noOp`. */
  operator?: "not";
  referencedObjective?: string;
  /** scorm-again reads `threshold` for objectiveMeasureGreaterThan / LessThan. */
  parameters?: { threshold: number };
}
export interface SequencingRuleSettings { action: RuleActionType; conditionCombination: "all" | "any"; conditions: RuleConditionSettings[] }
export interface SequencingRulesSettings {
  preConditionRules: SequencingRuleSettings[];
  exitConditionRules: SequencingRuleSettings[];
  postConditionRules: SequencingRuleSettings[];
}
/** scorm-again RollupConditionOperator is "noOp" | "not"; absent means noOp. */
export interface RollupConditionSettings { condition: RollupConditionType; operator?: "not" }
export interface RollupRuleSettings {
  action: RollupActionType;
  conditionCombination: "all" | "any";
  consideration: RollupConsiderationType;
  minimumCount: number;
  /** 0-100 in scorm-again (RollupRule.minimumPercent), where the manifest writes 0.0-1.0. */
  minimumPercent: number;
  conditions: RollupConditionSettings[];
}
export interface RollupRulesSettings { rules: RollupRuleSettings[] }
/** scorm-again keeps control modes, constrained choice, rollup and selection controls together. */
export interface SequencingControlsSettings {
  choice: boolean; choiceExit: boolean; flow: boolean; forwardOnly: boolean;
  useCurrentAttemptObjectiveInfo: boolean; useCurrentAttemptProgressInfo: boolean;
  preventActivation: boolean; constrainChoice: boolean;
  rollupObjectiveSatisfied: boolean; rollupProgressCompletion: boolean; objectiveMeasureWeight: number;
  selectionTiming: SelectionTiming; selectCount: number | null; randomizationTiming: SelectionTiming;
  /** The SN's Randomize Children (imsss `reorderChildren`); scorm-again's own `reorderChildren` is run-time state. */
  randomizeChildren: boolean;
}
export interface DeliveryControlsSettings { tracked: boolean; completionSetByContent: boolean; objectiveSetByContent: boolean }
export type RollupConsiderationsSettings = { measureSatisfactionIfActive: boolean } &
  Record<"requiredForSatisfied" | "requiredForNotSatisfied" | "requiredForCompleted" | "requiredForIncomplete", RollupConsiderationRequirement>;
/** imsss:mapInfo shares satisfied status and measure; adlseq:mapInfo the rest (SN 3.10.3). */
export type ObjectiveMapInfoSettings = { targetObjectiveID: string } & Partial<Record<`${"read" | "write"}${
  "SatisfiedStatus" | "NormalizedMeasure" | "CompletionStatus" | "ProgressMeasure" | "RawScore" | "MinScore" | "MaxScore"}`, boolean>>;
export interface ObjectiveSettings {
  objectiveID: string;
  satisfiedByMeasure: boolean;
  minNormalizedMeasure: number | null;
  mapInfo: ObjectiveMapInfoSettings[];
}
export interface CompletionThresholdSettings { completedByMeasure: boolean; minProgressMeasure: number; progressWeight: number }
export interface ActivitySettings {
  id: string;
  title: string;
  children?: ActivitySettings[];
  isVisible?: boolean;
  attemptLimit?: number | null;
  attemptAbsoluteDurationLimit?: string | null;
  primaryObjective?: ObjectiveSettings;
  objectives?: ObjectiveSettings[];
  sequencingControls?: SequencingControlsSettings;
  deliveryControls?: DeliveryControlsSettings;
  sequencingRules?: SequencingRulesSettings;
  rollupRules?: RollupRulesSettings;
  rollupConsiderations?: RollupConsiderationsSettings;
  completionThreshold?: CompletionThresholdSettings;
  hideLmsUi?: HideLmsUiItem[];
}
export interface SequencingSettings { activityTree: ActivitySettings }

/**
 * The scorm-again `sequencing` settings for a SCORM 2004 package: the organization is the root
 * activity and each item an activity (SN 4th 2.1). Collections are already resolved by the
 * parser, so scorm-again's own `collections` / `sequencingCollectionRefs` are not used.
 * SCORM 1.2 has no sequencing: null (its navigation is the player's).
 */
export function buildSequencingSettings(manifest: Manifest): SequencingSettings | null {
  if (manifest.scormVersion === "1.2") return null;
  const { identifier, title, items } = manifest.organization;
  const root = activity(identifier, title, manifest.organization.sequencing, manifest.scormVersion);
  root.children = items.flatMap((item) => toActivity(item, manifest.scormVersion));
  return { activityTree: root };
}

function toActivity(item: ManifestItem, version: Manifest["scormVersion"]): ActivitySettings[] {
  // CAM: a leaf item must reference a resource; one that does not is no activity at all.
  if (item.identifierref === null && item.children.length === 0) return [];
  const settings = activity(item.identifier, item.title, item.sequencing, version);
  if (!item.isvisible) settings.isVisible = false;
  if (item.children.length > 0) settings.children = item.children.flatMap((child) => toActivity(child, version));
  return settings.children?.length === 0 ? [] : [settings];
}

function activity(id: string, title: string, parsed: ActivitySequencing | null | undefined, version: Manifest["scormVersion"]): ActivitySettings {
  // Manifests stored before sequencing was read have no `sequencing`: spec defaults then.
  const sequencing = parsed ?? defaultSequencing();
  const settings: ActivitySettings = {
    id,
    title,
    sequencingControls: sequencing.sequencingControls,
    deliveryControls: sequencing.deliveryControls,
    sequencingRules: sequencing.sequencingRules,
    rollupRules: sequencing.rollupRules,
    rollupConsiderations: sequencing.rollupConsiderations,
    attemptLimit: sequencing.attemptLimit,
    // Not attemptAbsoluteDurationLimit: scorm-again 3.4.3's Activity.attemptAbsoluteDuration
    // returns the limit itself, so UP.1 finds every such activity over its limit and never
    // delivers it (a canary in the unit test). The SCO still gets it as cmi.max_time_allowed.
    objectives: sequencing.objectives,
  };
  if (sequencing.primaryObjective) {
    // scorm-again drops a primary objective without an ID, yet the SN lets it go unnamed
    // when nothing refers to it: a local name keeps its satisfiedByMeasure / minNormalizedMeasure.
    const objectiveID = sequencing.primaryObjective.objectiveID || UNNAMED_PRIMARY_OBJECTIVE;
    settings.primaryObjective = { ...sequencing.primaryObjective, objectiveID };
  }
  const threshold = sequencing.completionThreshold;
  // The 3rd edition's bare threshold is a run-time value only (cmi.completion_threshold, set
  // against cmi.progress_measure by the RTE): as completedByMeasure it would override the SCO's
  // own completion_status whenever no progress measure was reported (scorm-again RB.1.3.a).
  if (threshold?.form === "attributes" && version === "2004 4th Edition") {
    const { completedByMeasure, minProgressMeasure, progressWeight } = threshold;
    settings.completionThreshold = { completedByMeasure, minProgressMeasure, progressWeight };
  }
  if (sequencing.hideLmsUi.length > 0) settings.hideLmsUi = sequencing.hideLmsUi;
  return settings;
}

/**
 * The local name of a primary objective the manifest leaves unnamed. Blank, because scorm-again
 * puts every named objective of the delivered activity into cmi.objectives, and an unnamed one has
 * no place there (RTE 4.2.17: the objectives the manifest identifies): a name such as
 * "LESSON-1#primary" showed the SCO an objective that is not the course's, and put it at index 0,
 * where the SCO's own saved objectives then failed to load ("The course could not be loaded",
 * ADL's OB-03a manifests). scorm-again skips a blank ID there, and keeps the objective otherwise.
 */
export const UNNAMED_PRIMARY_OBJECTIVE = " ";

/** What SN UP.4 (End Attempt) needs of an activity's definition: whether the LMS may set its statuses. */
export interface EndAttemptRules {
  tracked: boolean;
  completionSetByContent: boolean;
  objectiveSetByContent: boolean;
  /** The completion comes from the progress measure (4th edition adlcp:completionThreshold completedByMeasure). */
  completedByMeasure: boolean;
  /** The primary objective is satisfied by measure (imsss:primaryObjective satisfiedByMeasure). */
  satisfiedByMeasure: boolean;
}

/** What the player hands scorm-again for one SCO before Initialize, from the manifest. */
export interface ScoRuntimeSettings {
  scormVersion: Manifest["scormVersion"];
  itemIdentifier: string;
  launchData: string | null;
  maxTimeAllowed: string | null;
  timeLimitAction: string | null;
  /** 1.2 `adlcp:masteryscore`, 0-100. */
  masteryScore: number | null;
  /** 2004 cmi.completion_threshold, 0-1. */
  completionThreshold: number | null;
  /** 2004 cmi.scaled_passing_score, -1..1. */
  scaledPassingScore: number | null;
  /** 2004 objective IDs the manifest declares for the SCO (cmi.objectives.n.id, RTE 4.2.17). */
  objectiveIds: string[];
  /** 2004: the activity's End Attempt rules; null for 1.2. */
  endAttempt: EndAttemptRules | null;
  /** The same values by data model element, for scorm-again's loadFromFlattenedJSON. */
  cmi: Record<string, string>;
}

const TIME_LIMIT_ACTIONS = new Set(["exit,message", "exit,no message", "continue,message", "continue,no message"]);
// SCORM 1.2 RTE CMITimespan, HHHH:MM:SS.SS; scorm-again refuses anything else before Initialize.
const CMI_TIMESPAN_12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

export function scoRuntimeSettings(manifest: Manifest, itemIdentifier: string): ScoRuntimeSettings {
  const item = findItem(manifest.organization.items, itemIdentifier);
  if (!item) throw new AppError("package.unknown_item", `The manifest has no item ${JSON.stringify(itemIdentifier)}`, 404);
  const action = item.timelimitaction?.trim().toLowerCase().replace(/\s*,\s*/, ",") ?? null;
  const timeLimitAction = action !== null && TIME_LIMIT_ACTIONS.has(action) ? action : null;
  const launchData = item.datafromlms;
  const settings: ScoRuntimeSettings = {
    scormVersion: manifest.scormVersion,
    itemIdentifier,
    launchData,
    maxTimeAllowed: null,
    timeLimitAction,
    masteryScore: null,
    completionThreshold: null,
    scaledPassingScore: null,
    objectiveIds: [],
    endAttempt: null,
    cmi: {},
  };
  if (manifest.scormVersion === "1.2") {
    const mastery = item.masteryscore;
    settings.masteryScore = mastery !== null && mastery >= 0 && mastery <= 100 ? mastery : null;
    settings.maxTimeAllowed = item.maxtimeallowed && CMI_TIMESPAN_12.test(item.maxtimeallowed) ? item.maxtimeallowed : null;
    put(settings.cmi, "cmi.launch_data", launchData);
    put(settings.cmi, "cmi.student_data.mastery_score", settings.masteryScore);
    put(settings.cmi, "cmi.student_data.max_time_allowed", settings.maxTimeAllowed);
    put(settings.cmi, "cmi.student_data.time_limit_action", timeLimitAction);
    return settings;
  }
  const sequencing = item.sequencing ?? defaultSequencing();
  // RTE 4.2.15: cmi.max_time_allowed comes from the attempt absolute duration limit.
  settings.maxTimeAllowed = sequencing.attemptAbsoluteDurationLimit;
  const threshold = sequencing.completionThreshold;
  // 4th: minProgressMeasure counts only when completedByMeasure (SN 3.14); 3rd: the element's value.
  if (threshold?.form === "text") settings.completionThreshold = threshold.value;
  else if (threshold?.completedByMeasure) settings.completionThreshold = threshold.minProgressMeasure;
  // RTE 4.2.19: from the primary objective's minNormalizedMeasure when it is satisfied by measure.
  const primary = sequencing.primaryObjective;
  if (primary?.satisfiedByMeasure) settings.scaledPassingScore = primary.minNormalizedMeasure ?? 1;
  settings.objectiveIds = [primary, ...sequencing.objectives].flatMap((objective) => (objective?.objectiveID ? [objective.objectiveID] : []));
  settings.endAttempt = {
    ...sequencing.deliveryControls,
    completedByMeasure: threshold?.form === "attributes" && threshold.completedByMeasure,
    satisfiedByMeasure: primary?.satisfiedByMeasure ?? false,
  };
  put(settings.cmi, "cmi.launch_data", launchData);
  put(settings.cmi, "cmi.max_time_allowed", settings.maxTimeAllowed);
  put(settings.cmi, "cmi.time_limit_action", timeLimitAction);
  put(settings.cmi, "cmi.completion_threshold", settings.completionThreshold);
  put(settings.cmi, "cmi.scaled_passing_score", settings.scaledPassingScore);
  settings.objectiveIds.forEach((id, index) => put(settings.cmi, `cmi.objectives.${index}.id`, id));
  return settings;
}

function put(cmi: Record<string, string>, element: string, value: string | number | null): void {
  if (value !== null) cmi[element] = String(value);
}

function findItem(items: ManifestItem[], identifier: string): ManifestItem | undefined {
  for (const item of items) {
    const found = item.identifier === identifier ? item : findItem(item.children, identifier);
    if (found) return found;
  }
  return undefined;
}
