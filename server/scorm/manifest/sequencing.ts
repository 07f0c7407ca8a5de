import type {
  DeliveryControlsSettings, HideLmsUiItem, ObjectiveMapInfoSettings, ObjectiveSettings, RollupConditionSettings,
  RollupConsiderationRequirement, RollupConsiderationsSettings, RollupRuleSettings, RollupRulesSettings, RuleActionType,
  RuleConditionSettings, RuleConditionType, SelectionTiming, SequencingControlsSettings, SequencingRuleSettings, SequencingRulesSettings,
} from "./runtime-settings.ts";
import { childNamed, childrenNamed, malformed, type XmlNode } from "./xml-tree.ts";

/** `adlcp:completionThreshold` as written: 4th edition attributes, or the 3rd edition's bare decimal. */
export type CompletionThreshold =
  | { form: "attributes"; completedByMeasure: boolean; minProgressMeasure: number; progressWeight: number }
  | { form: "text"; value: number };

/**
 * One activity's sequencing definition (SCORM 2004 4th SN section 3), read from an `<item>` or
 * `<organization>` with its `IDRef` resolved and every absent value at its spec default,
 * already in scorm-again's terms. Plain JSON: it is stored with the manifest.
 */
export interface ActivitySequencing {
  sequencingControls: SequencingControlsSettings;
  deliveryControls: DeliveryControlsSettings;
  sequencingRules: SequencingRulesSettings;
  rollupRules: RollupRulesSettings;
  rollupConsiderations: RollupConsiderationsSettings;
  /** SN 3.10: objectiveID may be "" when nothing refers to the primary objective. */
  primaryObjective: ObjectiveSettings | null;
  objectives: ObjectiveSettings[];
  attemptLimit: number | null;
  attemptAbsoluteDurationLimit: string | null;
  completionThreshold: CompletionThreshold | null;
  /** `adlnav:presentation/navigationInterface/hideLMSUI`. */
  hideLmsUi: HideLmsUiItem[];
}

/** `imsss:sequencingCollection`: each `imsss:sequencing` by its ID, for items' `IDRef`. */
export type SequencingCollection = ReadonlyMap<string, XmlNode>;

export function readSequencingCollection(manifestRoot: XmlNode): SequencingCollection {
  const byId = new Map<string, XmlNode>();
  for (const collection of childrenNamed(manifestRoot, "sequencingcollection")) {
    for (const sequencing of childrenNamed(collection, "sequencing")) {
      const id = sequencing.attributes.id?.trim();
      if (id && !byId.has(id)) byId.set(id, sequencing);
    }
  }
  return byId;
}

export const defaultSequencing = (): ActivitySequencing => readSequencing(undefined, undefined);

/** Pure: an `<item>` or `<organization>` node -> its sequencing definition. */
export function readActivitySequencing(node: XmlNode, collection: SequencingCollection): ActivitySequencing {
  const local = childNamed(node, "sequencing");
  const ref = local?.attributes.idref?.trim();
  let sequencing = local;
  if (ref) {
    const referenced = collection.get(ref);
    if (!referenced) {
      throw malformed(`<${node.name} identifier="${node.attributes.identifier ?? ""}"> refers to sequencing "${ref}", which no sequencingCollection defines`);
    }
    sequencing = overlay(referenced, local!);
  }
  return readSequencing(sequencing, node);
}

// Elements made only of attributes (plus rollupRules' own attributes) merge attribute by
// attribute; anything else the item declares replaces the collection's. This is how
// scorm-again applies its own collections (ActivityTreeBuilder.createActivity).
const MERGED_BY_ATTRIBUTE = new Set([
  "controlmode", "limitconditions", "randomizationcontrols", "deliverycontrols",
  "constrainedchoiceconsiderations", "rollupconsiderations", "rolluprules",
]);

function overlay(referenced: XmlNode, local: XmlNode): XmlNode {
  // Namespace-blind, imsss:objectives and adlseq:objectives share a name; only the former has a primaryObjective.
  const keyOf = (child: XmlNode) => (child.name === "objectives" && !childNamed(child, "primaryobjective") ? "adlseq:objectives" : child.name);
  const merged = new Map<string, XmlNode>();
  for (const child of referenced.children) if (!merged.has(keyOf(child))) merged.set(keyOf(child), child);
  for (const child of local.children) {
    const under = merged.get(keyOf(child));
    if (!under || !MERGED_BY_ATTRIBUTE.has(child.name)) {
      merged.set(keyOf(child), child);
      continue;
    }
    const ownRules = childrenNamed(child, "rolluprule").length > 0;
    merged.set(keyOf(child), { ...child, attributes: { ...under.attributes, ...child.attributes }, children: ownRules ? child.children : under.children });
  }
  return { ...local, children: [...merged.values()] };
}

function readSequencing(seq: XmlNode | undefined, item: XmlNode | undefined): ActivitySequencing {
  const mode = childNamed(seq, "controlmode");
  const rollup = childNamed(seq, "rolluprules");
  const random = childNamed(seq, "randomizationcontrols");
  const constrained = childNamed(seq, "constrainedchoiceconsiderations");
  const delivery = childNamed(seq, "deliverycontrols");
  const considerations = childNamed(seq, "rollupconsiderations");
  const limits = childNamed(seq, "limitconditions");
  const rules = childNamed(seq, "sequencingrules");
  const attemptLimit = count(limits?.attributes.attemptlimit);
  const duration = limits?.attributes.attemptabsolutedurationlimit?.trim() ?? "";
  const requirement = (name: string) => oneOf(considerations?.attributes[name], REQUIREMENTS) ?? "always";
  return {
    sequencingControls: {
      // SN 3.2, Table 3.2a: Sequencing Control Modes
      choice: flag(mode, "choice", true), choiceExit: flag(mode, "choiceexit", true),
      flow: flag(mode, "flow", false), forwardOnly: flag(mode, "forwardonly", false),
      useCurrentAttemptObjectiveInfo: flag(mode, "usecurrentattemptobjectiveinfo", true),
      useCurrentAttemptProgressInfo: flag(mode, "usecurrentattemptprogressinfo", true),
      // SN 3.3, Table 3.3a: Constrain Choice Controls (adlseq)
      preventActivation: flag(constrained, "preventactivation", false), constrainChoice: flag(constrained, "constrainchoice", false),
      // SN 3.8, Table 3.8a: Rollup Controls (attributes of imsss:rollupRules)
      rollupObjectiveSatisfied: flag(rollup, "rollupobjectivesatisfied", true),
      rollupProgressCompletion: flag(rollup, "rollupprogresscompletion", true),
      objectiveMeasureWeight: decimal(rollup?.attributes.objectivemeasureweight, 1, 0, 1),
      // SN 3.11 / 3.12: Selection and Randomization Controls
      selectionTiming: oneOf(random?.attributes.selectiontiming, TIMINGS) ?? "never", selectCount: count(random?.attributes.selectcount),
      randomizationTiming: oneOf(random?.attributes.randomizationtiming, TIMINGS) ?? "never",
      randomizeChildren: flag(random, "reorderchildren", false),
    },
    // SN 3.13, Table 3.13a: Delivery Controls
    deliveryControls: {
      tracked: flag(delivery, "tracked", true),
      completionSetByContent: flag(delivery, "completionsetbycontent", false), objectiveSetByContent: flag(delivery, "objectivesetbycontent", false),
    },
    sequencingRules: {
      // SN 3.4.6: which actions each kind of rule may take
      preConditionRules: readRules(rules, "preconditionrule", ["skip", "disabled", "hiddenFromChoice", "stopForwardTraversal"]),
      exitConditionRules: readRules(rules, "exitconditionrule", ["exit"]),
      postConditionRules: readRules(rules, "postconditionrule", ["exitParent", "exitAll", "retry", "retryAll", "continue", "previous"]),
    },
    rollupRules: { rules: childrenNamed(rollup, "rolluprule").flatMap(readRollupRule) },
    // SN 3.9, Table 3.9a: Rollup Consideration Controls (adlseq)
    rollupConsiderations: {
      requiredForSatisfied: requirement("requiredforsatisfied"), requiredForNotSatisfied: requirement("requiredfornotsatisfied"),
      requiredForCompleted: requirement("requiredforcompleted"), requiredForIncomplete: requirement("requiredforincomplete"),
      measureSatisfactionIfActive: flag(considerations, "measuresatisfactionifactive", true),
    },
    ...readObjectives(seq),
    // SN 3.5.1: a limit of 0 would forbid every attempt; it is read as no limit.
    attemptLimit: attemptLimit === 0 ? null : attemptLimit,
    // SN 3.5.2; scorm-again refuses a duration that is not ISO 8601, so a bad one is dropped.
    attemptAbsoluteDurationLimit: ISO_DURATION.test(duration) && duration !== "P" ? duration : null,
    completionThreshold: readCompletionThreshold(childNamed(item, "completionthreshold")),
    hideLmsUi: childrenNamed(childNamed(childNamed(item, "presentation"), "navigationinterface"), "hidelmsui")
      .flatMap((node) => oneOf(node.text, HIDE_LMS_UI) ?? []),
  };
}

const TIMINGS: readonly SelectionTiming[] = ["never", "once", "onEachNewAttempt"];
const REQUIREMENTS: readonly RollupConsiderationRequirement[] = ["always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"];
const HIDE_LMS_UI: readonly HideLmsUiItem[] = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll"];
// SN 3.4.2, Table 3.4.2a: sequencing rule conditions (the same tokens in scorm-again)
const RULE_CONDITIONS: readonly RuleConditionType[] = [
  "satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "objectiveMeasureGreaterThan", "objectiveMeasureLessThan",
  "completed", "activityProgressKnown", "attempted", "attemptLimitExceeded", "timeLimitExceeded", "outsideAvailableTimeRange", "always",
];
// scorm-again's ISO 8601 duration pattern (scorm2004_regex.CMITimespan)
const ISO_DURATION = /^P(?:([.,\d]+)Y)?(?:([.,\d]+)M)?(?:([.,\d]+)W)?(?:([.,\d]+)D)?(?:T?(?:([.,\d]+)H)?(?:([.,\d]+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/;

function readRules(rules: XmlNode | undefined, kind: string, actions: readonly RuleActionType[]): SequencingRuleSettings[] {
  return childrenNamed(rules, kind).flatMap((rule) => {
    const action = oneOf(childNamed(rule, "ruleaction")?.attributes.action, actions);
    const conditionsNode = childNamed(rule, "ruleconditions");
    const conditions = childrenNamed(conditionsNode, "rulecondition").map(readRuleCondition);
    // A rule with an unknown action or condition is dropped whole: it can never be evaluated as written.
    if (!action || conditions.length === 0 || conditions.some((condition) => condition === null)) return [];
    // SN 3.4.1: conditionCombination defaults to "all"
    const conditionCombination = conditionsNode?.attributes.conditioncombination?.trim() === "any" ? "any" : "all";
    return [{ action, conditionCombination, conditions: conditions as RuleConditionSettings[] }];
  });
}

function readRuleCondition(node: XmlNode): RuleConditionSettings | null {
  const condition = oneOf(node.attributes.condition, RULE_CONDITIONS);
  if (!condition) return null;
  const settings: RuleConditionSettings = { condition };
  if (node.attributes.operator?.trim() === "not") settings.operator = "not"; // SN 3.4.5: default noOp
  const referenced = node.attributes.referencedobjective?.trim();
  if (referenced) settings.referencedObjective = referenced; // SN 3.4.3: absent -> the primary objective
  if (condition === "objectiveMeasureGreaterThan" || condition === "objectiveMeasureLessThan") {
    settings.parameters = { threshold: decimal(node.attributes.measurethreshold, 0, -1, 1) }; // SN 3.4.4
  }
  return settings;
}

function readRollupRule(rule: XmlNode): RollupRuleSettings[] {
  const action = oneOf(childNamed(rule, "rollupaction")?.attributes.action, ["satisfied", "notSatisfied", "completed", "incomplete"] as const);
  const conditionsNode = childNamed(rule, "rollupconditions");
  const conditions = childrenNamed(conditionsNode, "rollupcondition").map(readRollupCondition);
  if (!action || conditions.length === 0) return [];
  return [{
    action,
    // SN 3.7.1: rollup conditions combine with "any" by default
    conditionCombination: conditionsNode?.attributes.conditioncombination?.trim() === "all" ? "all" : "any",
    // SN 3.7.4, Table 3.7.4a: Rollup Child Activity Set
    consideration: oneOf(rule.attributes.childactivityset, ["all", "any", "none", "atLeastCount", "atLeastPercent"] as const) ?? "all",
    minimumCount: count(rule.attributes.minimumcount) ?? 0,
    minimumPercent: Math.round(decimal(rule.attributes.minimumpercent, 0, 0, 1) * 10000) / 100,
    conditions,
  }];
}

function readRollupCondition(node: XmlNode): RollupConditionSettings {
  const not = node.attributes.operator?.trim() === "not"; // SN 3.7.3: default noOp
  const token = node.attributes.condition?.trim();
  // SN 3.7.2 says activityProgressKnown; scorm-again's rollup calls it progressKnown.
  const condition = token === "activityProgressKnown" ? "progressKnown" : oneOf(token, ROLLUP_CONDITIONS);
  // scorm-again's rollup cannot evaluate timeLimitExceeded / outsideAvailableTimeRange (nor an
  // unknown token) and takes them as false; said so explicitly with the constant "not always".
  if (!condition) return not ? { condition: "always" } : { condition: "always", operator: "not" };
  return not ? { condition, operator: "not" } : { condition };
}

const ROLLUP_CONDITIONS = ["satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "completed", "attempted", "attemptLimitExceeded"] as const;

function readObjectives(seq: XmlNode | undefined): Pick<ActivitySequencing, "primaryObjective" | "objectives"> {
  let primaryObjective: ObjectiveSettings | null = null;
  const objectives: ObjectiveSettings[] = [];
  const extensions: XmlNode[] = [];
  for (const group of childrenNamed(seq, "objectives")) {
    if (!childNamed(group, "primaryobjective")) {
      extensions.push(...childrenNamed(group, "objective")); // adlseq:objectives (SN Table 3.10.3b)
      continue;
    }
    for (const node of group.children) {
      if (node.name === "primaryobjective") primaryObjective = readObjective(node);
      else if (node.name === "objective" && node.attributes.objectiveid?.trim()) objectives.push(readObjective(node));
    }
  }
  for (const extension of extensions) {
    const id = extension.attributes.objectiveid?.trim();
    const target = [primaryObjective, ...objectives].find((objective) => objective && id && objective.objectiveID === id);
    for (const map of childrenNamed(extension, "mapinfo")) addExtendedMap(target ?? undefined, map);
  }
  return { primaryObjective, objectives };
}

function readObjective(node: XmlNode): ObjectiveSettings {
  return {
    objectiveID: node.attributes.objectiveid?.trim() ?? "",
    satisfiedByMeasure: flag(node, "satisfiedbymeasure", false),
    // SN 3.10, Table 3.10a: Objective Minimum Satisfied Normalized Measure, default 1.0
    minNormalizedMeasure: decimal(childNamed(node, "minnormalizedmeasure")?.text, 1, -1, 1),
    // SN 3.10.3, Table 3.10.3a: Objective Map defaults
    mapInfo: childrenNamed(node, "mapinfo").flatMap((map) => {
      const targetObjectiveID = map.attributes.targetobjectiveid?.trim();
      if (!targetObjectiveID) return [];
      return [{
        targetObjectiveID,
        readSatisfiedStatus: flag(map, "readsatisfiedstatus", true),
        readNormalizedMeasure: flag(map, "readnormalizedmeasure", true),
        writeSatisfiedStatus: flag(map, "writesatisfiedstatus", false),
        writeNormalizedMeasure: flag(map, "writenormalizedmeasure", false),
      }];
    }),
  };
}

const EXTENDED_MAP = ["RawScore", "MinScore", "MaxScore", "CompletionStatus", "ProgressMeasure"] as const;

/** SN 3.10.3, Table 3.10.3b: adlseq:mapInfo extends the objective's map to the same target (reads true, writes false). */
function addExtendedMap(objective: ObjectiveSettings | undefined, map: XmlNode): void {
  const targetObjectiveID = map.attributes.targetobjectiveid?.trim();
  if (!objective || !targetObjectiveID) return;
  let entry = objective.mapInfo.find((info) => info.targetObjectiveID === targetObjectiveID);
  if (!entry) {
    // Only the extended values are mapped to a target the imsss objective did not name.
    entry = { targetObjectiveID, readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false };
    objective.mapInfo.push(entry);
  }
  const flags = EXTENDED_MAP.flatMap((part) => [
    [`read${part}`, flag(map, `read${part}`.toLowerCase(), true)],
    [`write${part}`, flag(map, `write${part}`.toLowerCase(), false)],
  ]);
  Object.assign(entry, Object.fromEntries(flags) as Partial<ObjectiveMapInfoSettings>);
}

/** SN 3.14, Table 3.14a (4th: attributes, defaults false / 1.0 / 1.0); the 3rd edition wrote a bare decimal. */
function readCompletionThreshold(node: XmlNode | undefined): CompletionThreshold | null {
  if (!node) return null;
  const { completedbymeasure, minprogressmeasure, progressweight } = node.attributes;
  if (node.text && completedbymeasure === undefined && minprogressmeasure === undefined && progressweight === undefined) {
    const value = Number(node.text);
    return Number.isFinite(value) && value >= 0 && value <= 1 ? { form: "text", value } : null;
  }
  return {
    form: "attributes",
    completedByMeasure: flag(node, "completedbymeasure", false),
    minProgressMeasure: decimal(minprogressmeasure, 1, 0, 1),
    progressWeight: decimal(progressweight, 1, 0, 1),
  };
}

/** xs:boolean ("true", "false", "1", "0"); anything else is the default. */
function flag(node: XmlNode | undefined, attribute: string, fallback: boolean): boolean {
  const value = node?.attributes[attribute]?.trim();
  return value === "true" || value === "1" ? true : value === "false" || value === "0" ? false : fallback;
}

function decimal(text: string | undefined, fallback: number, min: number, max: number): number {
  const value = text === undefined || text.trim() === "" ? NaN : Number(text);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** xs:nonNegativeInteger, or null. */
function count(text: string | undefined): number | null {
  const value = text?.trim() ?? "";
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

function oneOf<T extends string>(text: string | undefined, tokens: readonly T[]): T | undefined {
  const value = text?.trim();
  return tokens.find((token) => token === value);
}
