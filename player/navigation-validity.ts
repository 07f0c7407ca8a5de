// What the SCORM 2004 player offers (Previous, Next, the contents' choices), and what the launcher
// answers adl.nav.request_valid.* from (RTE 4.4.2): the navigation requests that would succeed now.
//
// scorm-again 3.4.3's own look-ahead (its onNavigationValidityUpdate) offers Next wherever the
// parent allows flow, even into a SCO a Disabled rule closes (SB.2.2-2); Previous into a SCO whose
// attempts are used up (DB.1.1-3, ADL's CM-07c); and a choice by its NB.2.1 checks alone, where
// SB.2.9 and DB.1.1 then refuse it. The learner was offered what the sequencer then refused.
// Instead, Next and Previous come from scorm-again's preview, which runs the sequencing process
// itself (the SCO's termination included: its post-condition rules may retry it) on a copy of the
// tree; it answers only while a SCO is running, and at other times scorm-again's look-ahead
// stands. The choices come from the SN's own processes (choice-sequencing.ts), always.
import { choiceValidity, type ConstrainedChoice } from "./choice-sequencing.ts";
import type { ApiCall, NavValidity } from "./protocol.ts";
import type { Scorm2004Api } from "./scorm-again.ts";
import { choiceContext } from "./sequencer-corrections.ts";

export type Flow = Pick<NavValidity, "continue" | "previous">;

/** `lookAhead`: scorm-again's own latest answer on Continue and Previous. */
export function navigationValidity(api: Scorm2004Api, constrained: ReadonlyMap<string, ConstrainedChoice>, lookAhead: Flow): NavValidity {
  const context = choiceContext(api, constrained);
  const { continue: next, previous } = previewFlow(api) ?? lookAhead;
  return { continue: next, previous, choice: context ? choiceValidity(context) : {} };
}

function previewFlow(api: Scorm2004Api): Flow | null {
  const next = api.previewNavigationRequest("continue");
  const previous = api.previewNavigationRequest("previous");
  if (next.outcome === "unknown" || previous.outcome === "unknown") return null;
  return { continue: next.outcome === "allowed", previous: previous.outcome === "allowed" };
}

// What no sequencing rule or End Attempt reads: the preview's outcome cannot depend on them.
const UNREAD_BY_SEQUENCING = /^cmi\.(interactions|suspend_data|location|session_time|comments_from_learner|learner_preference)(\.|$)/;

/**
 * Whether a batch of the SCO's relayed calls (course-player.ts) may change what would succeed:
 * anything but a Commit, or a SetValue of what sequencing never reads. The preview runs the whole
 * sequencing process on a copy of the tree, about 4 ms a request for a course of 30 SCOs, and a
 * quiz relays a batch for every answer; its interactions, suspend data and bookmark leave the
 * outcome as it was.
 */
export function mayChangeNavigation(calls: readonly ApiCall[]): boolean {
  return calls.some(({ method, args }) => (method === "SetValue" ? !UNREAD_BY_SEQUENCING.test(args[0] ?? "") : method !== "Commit"));
}
