// What the sequencing families (cases/sequencing-*.ts) share: `<imsss:sequencing>` written from a
// small description, in the imsss schema's element order (SN 3: controlMode, sequencingRules,
// limitConditions, rollupRules, objectives, deliveryControls, then adlseq's constrained choice
// and rollup considerations), the SCO scripts those cases repeat, and the stored statuses they
// assert, waited for (the player saves after it acts). Only what the cases use; everything absent
// is the SN default.
import type { LearnerSession } from "./runner.ts";
import { v2004, type Script, type Step } from "./script.ts";

type Flags = Record<string, boolean | number | string | undefined>;

/** A rule condition (SN 3.4.2): `"satisfied"`, `"not attempted"`, or with its objective and threshold. */
export type Condition = string | { condition: string; not?: boolean; objective?: string; threshold?: number };

export interface Rule {
  action: string;
  conditions: Condition[];
  /** SN 3.4.1: "all" (the default) or "any". */
  combination?: "all" | "any";
}

export interface RollupRule {
  action: "satisfied" | "notSatisfied" | "completed" | "incomplete";
  /** SN 3.7.4 Rollup Child Activity Set: all (default), any, none, atLeastCount, atLeastPercent. */
  childActivitySet?: "all" | "any" | "none" | "atLeastCount" | "atLeastPercent";
  minimumCount?: number;
  minimumPercent?: number;
  conditions: string[];
  combination?: "all" | "any";
}

export interface MapInfo {
  target: string;
  readSatisfied?: boolean;
  readMeasure?: boolean;
  writeSatisfied?: boolean;
  writeMeasure?: boolean;
}

export interface Objective {
  id?: string;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number;
  maps?: MapInfo[];
}

export interface Sequencing {
  controlMode?: { choice?: boolean; choiceExit?: boolean; flow?: boolean; forwardOnly?: boolean };
  preConditionRules?: Rule[];
  exitConditionRules?: Rule[];
  postConditionRules?: Rule[];
  attemptLimit?: number;
  rollup?: { objectiveSatisfied?: boolean; progressCompletion?: boolean; objectiveMeasureWeight?: number; rules?: RollupRule[] };
  primaryObjective?: Objective;
  objectives?: Objective[];
  deliveryControls?: { tracked?: boolean; completionSetByContent?: boolean; objectiveSetByContent?: boolean };
  constrainedChoice?: { constrainChoice?: boolean; preventActivation?: boolean };
  rollupConsiderations?: { requiredForSatisfied?: string; requiredForNotSatisfied?: string; requiredForCompleted?: string; requiredForIncomplete?: string; measureSatisfactionIfActive?: boolean };
}

function attributes(flags: Flags): string {
  return Object.entries(flags)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${String(value)}"`)
    .join("");
}

function conditionXml(condition: Condition): string {
  const spec = typeof condition === "string" ? { condition: condition.replace(/^not /, ""), not: condition.startsWith("not ") } : condition;
  return `<imsss:ruleCondition${attributes({ referencedObjective: spec.objective, measureThreshold: spec.threshold, operator: spec.not ? "not" : undefined, condition: spec.condition })}/>`;
}

function rulesXml(kind: "pre" | "exit" | "post", rules: Rule[] = []): string {
  return rules
    .map(
      (rule) =>
        `<imsss:${kind}ConditionRule><imsss:ruleConditions${attributes({ conditionCombination: rule.combination })}>${rule.conditions.map(conditionXml).join("")}</imsss:ruleConditions>` +
        `<imsss:ruleAction action="${rule.action}"/></imsss:${kind}ConditionRule>`,
    )
    .join("");
}

function rollupRuleXml(rule: RollupRule): string {
  const conditions = rule.conditions
    .map((condition) => `<imsss:rollupCondition${attributes({ operator: condition.startsWith("not ") ? "not" : undefined, condition: condition.replace(/^not /, "") })}/>`)
    .join("");
  return (
    `<imsss:rollupRule${attributes({ childActivitySet: rule.childActivitySet, minimumCount: rule.minimumCount, minimumPercent: rule.minimumPercent })}>` +
    `<imsss:rollupConditions${attributes({ conditionCombination: rule.combination })}>${conditions}</imsss:rollupConditions><imsss:rollupAction action="${rule.action}"/></imsss:rollupRule>`
  );
}

function objectiveXml(element: "primaryObjective" | "objective", objective: Objective): string {
  const measure = objective.minNormalizedMeasure === undefined ? "" : `<imsss:minNormalizedMeasure>${objective.minNormalizedMeasure}</imsss:minNormalizedMeasure>`;
  const maps = (objective.maps ?? [])
    .map((map) => `<imsss:mapInfo${attributes({ targetObjectiveID: map.target, readSatisfiedStatus: map.readSatisfied, readNormalizedMeasure: map.readMeasure, writeSatisfiedStatus: map.writeSatisfied, writeNormalizedMeasure: map.writeMeasure })}/>`)
    .join("");
  return `<imsss:${element}${attributes({ objectiveID: objective.id, satisfiedByMeasure: objective.satisfiedByMeasure })}>${measure}${maps}</imsss:${element}>`;
}

/** The `<imsss:sequencing>` of an item or organization. */
export function sequencing(spec: Sequencing): string {
  const parts: string[] = [];
  if (spec.controlMode) parts.push(`<imsss:controlMode${attributes(spec.controlMode)}/>`);
  const rules = rulesXml("pre", spec.preConditionRules) + rulesXml("exit", spec.exitConditionRules) + rulesXml("post", spec.postConditionRules);
  if (rules) parts.push(`<imsss:sequencingRules>${rules}</imsss:sequencingRules>`);
  if (spec.attemptLimit !== undefined) parts.push(`<imsss:limitConditions attemptLimit="${spec.attemptLimit}"/>`);
  if (spec.rollup) {
    const { objectiveSatisfied, progressCompletion, objectiveMeasureWeight, rules: rollupRules = [] } = spec.rollup;
    parts.push(`<imsss:rollupRules${attributes({ rollupObjectiveSatisfied: objectiveSatisfied, rollupProgressCompletion: progressCompletion, objectiveMeasureWeight })}>${rollupRules.map(rollupRuleXml).join("")}</imsss:rollupRules>`);
  }
  if (spec.primaryObjective || spec.objectives?.length) {
    // imsss:objectives holds exactly one primaryObjective, first (SN 3.10; the imsss schema).
    const primary = objectiveXml("primaryObjective", spec.primaryObjective ?? {});
    parts.push(`<imsss:objectives>${primary}${(spec.objectives ?? []).map((objective) => objectiveXml("objective", objective)).join("")}</imsss:objectives>`);
  }
  if (spec.deliveryControls) parts.push(`<imsss:deliveryControls${attributes(spec.deliveryControls)}/>`);
  if (spec.constrainedChoice) parts.push(`<adlseq:constrainedChoiceConsiderations${attributes(spec.constrainedChoice)}/>`);
  if (spec.rollupConsiderations) parts.push(`<adlseq:rollupConsiderations${attributes(spec.rollupConsiderations)}/>`);
  return `<imsss:sequencing>${parts.join("")}</imsss:sequencing>`;
}

/** Flow only (choice off), the organization of most of ADL's sequencing test packages. */
export const FLOW_ONLY = sequencing({ controlMode: { choice: false, flow: true } });
/** Choice and flow. */
export const CHOICE_AND_FLOW = sequencing({ controlMode: { choice: true, flow: true } });

/** A SCO session that reports these values, then ends normally. */
export function reports(values: Record<string, string>): Script {
  return [v2004.initialize(), ...v2004.setAll(values), v2004.terminate()];
}

/** A SCO session that says nothing, then ends with this navigation request (SN 4.4: continue, previous, exitAll, {target=ID}choice ...). */
export function navigates(request: string, ...before: Step[]): Script {
  return [v2004.initialize(), ...before, v2004.set("adl.nav.request", request), v2004.terminate()];
}

/** A SCO that asks whether these navigation requests are valid now (RTE 4.4.2 adl.nav.request_valid), then leaves its session open. */
export function asksValid(valid: Record<string, "true" | "false">): Script {
  return [v2004.initialize(), ...Object.entries(valid).map(([request, answer]) => v2004.get(`adl.nav.request_valid.${request}`, answer))];
}

/** Each SCO's stored completion and success status (attempt_scos), by item identifier. */
export async function storedStatuses(h: LearnerSession): Promise<Record<string, { completion: string | null; success: string | null }>> {
  const rows = await h.servers.db("attempt_scos").where({ attempt_id: h.attemptId }).select("sco_identifier", "completion_status", "success_status");
  return Object.fromEntries(rows.map((row) => [String(row.sco_identifier), { completion: row.completion_status ?? null, success: row.success_status ?? null }]));
}

/** Waits for the attempt's Performance Status to become this (commits and the sequencer's state arrive after the window acts). */
export async function performanceStatus(h: LearnerSession, expected: string): Promise<void> {
  await until(
    async () => (await h.attempt()).performance_status,
    (stored) => stored === expected,
    async (stored) => `the attempt's Performance Status is ${stored}, not ${expected}; each SCO: ${JSON.stringify(await storedStatuses(h))}; the root activity as the sequencer saved it: ${JSON.stringify(await rootStatus(h))}`,
  );
}

/** Waits until the SCO's terminate commits (sessions ended) are stored. */
export async function terminated(h: LearnerSession, sco: string, sessions = 1): Promise<void> {
  await until(
    async () => (await h.commits(sco)).filter((commit) => commit.isTerminateCommit).length,
    (ended) => ended >= sessions,
    (ended) => `${sco}: ${ended} session(s) ended in the commit log, not ${sessions}`,
  );
}

/** The root activity's rolled-up status as the player last saved the sequencer's state (the organization is "ORG"). */
export async function rootStatus(h: LearnerSession): Promise<{ completionStatus?: string; successStatus?: string } | undefined> {
  const state = (await h.sequencingState()) as { sequencing: { activityStates: Record<string, { completionStatus?: string; successStatus?: string }> } } | null;
  const root = state?.sequencing.activityStates.ORG;
  return root && { completionStatus: root.completionStatus, successStatus: root.successStatus };
}

/** Waits until the root activity, as the sequencer's saved state holds it, has these statuses (the state is saved after the window acts). */
export async function rolledUp(h: LearnerSession, expected: { completionStatus?: string; successStatus?: string }): Promise<void> {
  await until(
    () => rootStatus(h),
    (root) => root !== undefined && Object.entries(expected).every(([key, value]) => root[key as keyof typeof root] === value),
    (root) => `the root activity, as the sequencer saved it, is ${JSON.stringify(root)}, not ${JSON.stringify(expected)}`,
  );
}

/** The alert the player shows the learner, or null when none is shown. */
export async function alertText(h: LearnerSession): Promise<string | null> {
  const player = h.player;
  if (!player || player.isClosed()) return null;
  const alert = player.locator("[data-player-alert]");
  return (await alert.isVisible()) ? ((await alert.textContent()) ?? "").trim() : null;
}

/** Waits until the player tells the learner that a navigation request was refused, naming the SN exception; returns what it says. */
export async function toldRefused(h: LearnerSession): Promise<string> {
  const text = await until(
    () => alertText(h),
    (shown) => shown !== null && REFUSAL.test(shown),
    async () => `the learner was not told of a refused request; the player shows ${JSON.stringify(await h.playerShows())}`,
    10_000,
  );
  return text!;
}

// player/sequencer-refusals.ts names the SN exception: "(sequencing rule SB.2.9-6)".
const REFUSAL = /\(sequencing rule [A-Z]{2}\.\d+\.\d+-\d+\)/;

/** Polls until `done` holds for what `probe` reads, or fails with `explain` of the last reading. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, explain: (value: T) => string | Promise<string>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(await explain(value));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
