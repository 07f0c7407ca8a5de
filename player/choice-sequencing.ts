// A choice, as the SCORM 2004 4th Edition SN book decides it: the Navigation Request Process for a
// choice (NB.2.1), the Choice Sequencing Request Process (SB.2.9) with its Choice Activity
// Traversal (SB.2.4) and Choice Flow (SB.2.9.1, SB.2.9.2) subprocesses, and the Delivery Request
// Process (DB.1.1, Check Activity UP.5, Limit Conditions Check UP.1) for a leaf. Written from the
// SN's pseudocode, with ADL's reference sequencer (ADLSequencer.java, Sample RTE) as its reading.
//
// scorm-again 3.4.3 gets constrainChoice, preventActivation and stopForwardTraversal wrong
// (sequencer-corrections.ts says how): the player decides what it offers from this module, and
// the corrected sequencer refuses by it. It reads the sequencer's own activity tree (the tracking
// state: Activity is Active, attempt counts, available children, the pre-condition rules, which
// scorm-again evaluates), and the constrained choice controls from the manifest, because the
// sequencer is not given them.

/** The parts of a scorm-again Activity read here. */
export interface SequencedActivity {
  readonly id: string;
  readonly parent: SequencedActivity | null;
  readonly children: readonly SequencedActivity[];
  readonly isActive: boolean;
  readonly isSuspended: boolean;
  readonly attemptCount: number;
  readonly attemptLimit: number | null;
  getAvailableChildren(): readonly SequencedActivity[];
  readonly sequencingControls: { readonly choice: boolean; readonly choiceExit: boolean; readonly forwardOnly: boolean; readonly tracked: boolean };
  readonly sequencingRules: { readonly preConditionRules: ReadonlyArray<{ readonly action: string; evaluate(activity: SequencedActivity): boolean }> };
}

/** adlseq:constrainedChoiceConsiderations of one activity (SN 3.3). */
export interface ConstrainedChoice {
  constrainChoice: boolean;
  preventActivation: boolean;
}

export interface ChoiceContext {
  root: SequencedActivity;
  /** The Current Activity (SN AM.1.2), null before the sequencing session begins. */
  current: SequencedActivity | null;
  /** By activity id, from the manifest; absent means neither. */
  constrained: ReadonlyMap<string, ConstrainedChoice>;
}

/** An SN exception code (e.g. "SB.2.9-8"), or null when the request goes ahead. */
export type Refusal = string | null;

/**
 * Whether a choice of the target, asked for now, would deliver it: NB.2.1, SB.2.9 and, for a leaf,
 * DB.1.1, on the tree as it stands (the look-ahead of RTE 4.4.2 adl.nav.request_valid.choice).
 * A cluster is offered when the choice reaches it; the flow into it is the sequencer's.
 */
export function choiceRefusal(context: ChoiceContext, target: SequencedActivity): Refusal {
  return navigationRefusal(context, target) ?? sequencingRefusal(context, target);
}

/** SB.2.9 and, for a leaf, DB.1.1: what the sequencing and delivery processes say of a choice NB.2.1 let through. */
export function sequencingRefusal(context: ChoiceContext, target: SequencedActivity): Refusal {
  return choiceSequencingRefusal(context, target) ?? (target.children.length === 0 ? deliveryRefusal(target) : null);
}

/** choiceRefusal for every activity of the tree, by id. */
export function choiceValidity(context: ChoiceContext): Record<string, boolean> {
  const valid: Record<string, boolean> = {};
  for (const activity of preorder(context.root)) valid[activity.id] = choiceRefusal(context, activity) === null;
  return valid;
}

/**
 * NB.2.1, a choice: the target's parent allows choice (NB.2.1-10), and no active activity the
 * choice would leave forbids it by choiceExit false (NB.2.1-11).
 */
function navigationRefusal({ current }: ChoiceContext, target: SequencedActivity): Refusal {
  if (target.parent && !target.parent.sequencingControls.choice) return "NB.2.1-10";
  if (!current) return null;
  const common = commonAncestor(current, target);
  for (let activity: SequencedActivity | null = current; activity && activity !== common; activity = activity.parent) {
    if (activity.isActive && !activity.sequencingControls.choiceExit) return "NB.2.1-11";
  }
  return null;
}

/** SB.2.9, the Choice Sequencing Request Process, up to the delivery request (steps 1-11). */
function choiceSequencingRefusal({ root, current, constrained }: ChoiceContext, target: SequencedActivity): Refusal {
  // Steps 2-3: every activity from the root to the target is available, and none hidden from choice.
  for (const activity of pathFromRoot(target)) {
    if (activity.parent && !activity.parent.getAvailableChildren().includes(activity)) return "SB.2.9-2";
    if (fires(activity, "hiddenFromChoice")) return "SB.2.9-3";
  }
  // Step 4: the target's parent allows choice.
  if (target.parent && !target.parent.sequencingControls.choice) return "SB.2.9-4";
  const common = current ? commonAncestor(current, target) : root;
  const order = preorder(root);
  const forwardOf = (activity: SequencedActivity, from: SequencedActivity) => order.indexOf(activity) > order.indexOf(from);
  const preventsActivation = (activity: SequencedActivity) => !activity.isActive && activity !== common && constrained.get(activity.id)?.preventActivation === true;

  // Case 1: the current activity itself.
  if (current === target) return null;
  // Case 2: a sibling; each activity passed on the way is traversed (SB.2.4).
  if (current && current.parent && current.parent === target.parent) {
    const siblings = current.parent.getAvailableChildren();
    const from = siblings.indexOf(current);
    const to = siblings.indexOf(target);
    const passed = from < to ? siblings.slice(from, to) : siblings.slice(to + 1, from + 1).reverse();
    for (const activity of passed) {
      const refusal = choiceTraversal(activity, from < to ? "forward" : "backward");
      if (refusal) return refusal;
    }
    return null;
  }
  // Case 3: forward, down from the current activity (or the root) to the target.
  if (!current || current === common) {
    for (const activity of pathBetween(common, target)) {
      const refusal = choiceTraversal(activity, "forward");
      if (refusal) return refusal;
      if (preventsActivation(activity)) return "SB.2.9-6";
    }
    return null;
  }
  // Case 4: backward, up to an ancestor of the current activity; each activity left allows it.
  if (target === common) {
    for (let activity: SequencedActivity | null = current; activity && activity !== target; activity = activity.parent) {
      if (!activity.sequencingControls.choiceExit) return "SB.2.9-7";
    }
    return null;
  }
  // Case 5: up from the current activity to the common ancestor, then down to the target.
  let constrainedActivity: SequencedActivity | null = null;
  for (let activity: SequencedActivity | null = current; activity && activity !== common; activity = activity.parent) {
    if (!activity.sequencingControls.choiceExit) return "SB.2.9-7";
    if (!constrainedActivity && constrained.get(activity.id)?.constrainChoice) constrainedActivity = activity;
  }
  if (constrainedActivity) {
    // From inside a constrained activity, only the activities logically just before and after it.
    const consider = choiceFlow(order, constrainedActivity, forwardOf(target, constrainedActivity) ? "forward" : "backward");
    if (target !== consider && target !== constrainedActivity && !isAvailableDescendant(consider, target)) return "SB.2.9-8";
  }
  const path = pathBetween(common, target);
  if (forwardOf(target, current)) {
    for (const activity of path) {
      const refusal = choiceTraversal(activity, "forward");
      if (refusal) return refusal;
      if (preventsActivation(activity)) return "SB.2.9-6";
    }
  } else {
    for (const activity of [...path, target]) if (preventsActivation(activity)) return "SB.2.9-6";
  }
  return null;
}

/** DB.1.1: a leaf is delivered only when Check Activity (UP.5) passes on every activity from the root to it. */
function deliveryRefusal(target: SequencedActivity): Refusal {
  if (target.children.length > 0) return "DB.1.1-1";
  return pathFromRoot(target).some(checkActivityFails) ? "DB.1.1-3" : null;
}

/** UP.5 Check Activity: a Disabled rule applies, or a limit condition (UP.1) is violated. */
function checkActivityFails(activity: SequencedActivity): boolean {
  return fires(activity, "disabled") || attemptLimitExceeded(activity);
}

/** UP.1, the attempt limit (the only limit condition the sequencer is given: runtime-settings.ts). */
function attemptLimitExceeded(activity: SequencedActivity): boolean {
  if (!activity.sequencingControls.tracked || activity.isActive || activity.isSuspended) return false;
  return activity.attemptLimit !== null && activity.attemptCount >= activity.attemptLimit;
}

/** SB.2.4 Choice Activity Traversal: forward stops at a Stop Forward Traversal rule; backward needs the parent not forwardOnly. */
function choiceTraversal(activity: SequencedActivity, direction: "forward" | "backward"): Refusal {
  if (direction === "forward") return fires(activity, "stopForwardTraversal") ? "SB.2.4-1" : null;
  if (!activity.parent) return "SB.2.4-3";
  return activity.parent.sequencingControls.forwardOnly ? "SB.2.4-2" : null;
}

/** SB.2.9.1 Choice Flow: the activity next to this one in the direction (SB.2.9.2), or this one where there is none. */
function choiceFlow(order: SequencedActivity[], activity: SequencedActivity, direction: "forward" | "backward"): SequencedActivity {
  return choiceFlowTreeTraversal(order, activity, direction) ?? activity;
}

/** SB.2.9.2 Choice Flow Tree Traversal: the next (or previous) sibling, going up where the activity is the last (or first). */
function choiceFlowTreeTraversal(order: SequencedActivity[], activity: SequencedActivity, direction: "forward" | "backward"): SequencedActivity | null {
  const parent = activity.parent;
  if (!parent || (direction === "forward" && activity === order.at(-1))) return null;
  const siblings = parent.getAvailableChildren();
  const index = siblings.indexOf(activity);
  const next = direction === "forward" ? siblings[index + 1] : index > 0 ? siblings[index - 1] : undefined;
  return next ?? choiceFlowTreeTraversal(order, parent, direction);
}

/** Whether any pre-condition rule with this action applies now (UP.2, the Sequencing Rules Check Process). */
function fires(activity: SequencedActivity, action: string): boolean {
  return activity.sequencingRules.preConditionRules.some((rule) => rule.action === action && rule.evaluate(activity));
}

function isAvailableDescendant(ancestor: SequencedActivity, activity: SequencedActivity): boolean {
  for (let child = activity; child.parent; child = child.parent) {
    if (!child.parent.getAvailableChildren().includes(child)) return false;
    if (child.parent === ancestor) return true;
  }
  return false;
}

function commonAncestor(a: SequencedActivity, b: SequencedActivity): SequencedActivity | null {
  const ancestors = new Set(pathFromRoot(a));
  for (let activity: SequencedActivity | null = b; activity; activity = activity.parent) if (ancestors.has(activity)) return activity;
  return null;
}

function pathFromRoot(activity: SequencedActivity): SequencedActivity[] {
  const path: SequencedActivity[] = [];
  for (let node: SequencedActivity | null = activity; node; node = node.parent) path.unshift(node);
  return path;
}

/** From the ancestor down to the target, the ancestor included, the target not. */
function pathBetween(ancestor: SequencedActivity | null, target: SequencedActivity): SequencedActivity[] {
  const path = pathFromRoot(target);
  return path.slice(ancestor ? path.indexOf(ancestor) : 0, -1);
}

export function findActivity(root: SequencedActivity, id: string): SequencedActivity | null {
  return preorder(root).find((activity) => activity.id === id) ?? null;
}

function preorder(activity: SequencedActivity): SequencedActivity[] {
  return [activity, ...activity.children.flatMap((child) => preorder(child))];
}

/** The constrained choice controls of every activity of the sequencing settings, by id. */
export function constrainedChoices(tree: { id: string; sequencingControls?: ConstrainedChoice; children?: readonly unknown[] }): Map<string, ConstrainedChoice> {
  const found = new Map<string, ConstrainedChoice>();
  const visit = (activity: typeof tree) => {
    const controls = activity.sequencingControls;
    if (controls && (controls.constrainChoice || controls.preventActivation)) found.set(activity.id, { constrainChoice: controls.constrainChoice, preventActivation: controls.preventActivation });
    for (const child of activity.children ?? []) visit(child as typeof tree);
  };
  visit(tree);
  return found;
}
