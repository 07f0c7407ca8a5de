import { addCalendarMonths, addDays, localDate } from "../clock.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import { guideDate } from "../format.ts";

/**
 * DESIGN.md rules 1-4 and 6: which learning counts toward a subscription, when a component is
 * done, when a certification completes and what it awards. Pure: facts in, outcomes out, with
 * "now" passed in. Each outcome that credits nothing says why, in words a learner understands.
 */

export type SubscriptionStatus = "Subscribed" | "Completed" | "Expired" | "Unsubscribed";

export interface SubscriptionFacts {
  status: SubscriptionStatus;
  /** ISO instant. Learning counts only if its attempt started after this. */
  subscribedAt: string;
  /** YYYY-MM-DD: the last day to complete it (complete-within days after subscribing). */
  completeBy: string;
  /** ISO instant it was unsubscribed (or expired); learning started after this counts for nothing. */
  endedAt: string | null;
}

export interface ComponentFacts {
  courseCode: string;
  /** A module needs completion; an assessment a pass ("completed" alone never passes). */
  requires: "completion" | "pass";
  /** The guide's "complete the eAssessment alone; if you pass, you do not need this session". */
  satisfiedByCourseCode: string | null;
}

export interface AttemptFacts {
  id: number;
  courseCode: string;
  preview: boolean;
  /** ISO instant. */
  startedAt: string;
  performanceStatus: PerformanceStatus;
  /** ISO instant it became Completed or Passed; null while it is neither. */
  completedAt: string | null;
  /** -1..1, as stored; null when the package reported no score. */
  scoreScaled: number | null;
  /** The pass mark as a scaled score (0..1), from the package; null when it has none. */
  passMark: number | null;
}

export type ComponentOutcome =
  | { state: "done"; attemptId: number; doneAt: string }
  | { state: "satisfied"; attemptId: number; doneAt: string; byCourseCode: string }
  | { state: "not done"; attemptId: number | null; reason: string };

/** Every course a certification's components need: their own, and those that can satisfy them. */
export function componentCourseCodes(components: ComponentFacts[]): string[] {
  return [...new Set(components.flatMap((component) => (component.satisfiedByCourseCode ? [component.courseCode, component.satisfiedByCourseCode] : [component.courseCode])))];
}

/**
 * Whether Play warns first: learning played now would count toward no subscription (rule 1), and
 * subscribing first would let it count. After completing a certification that can be renewed,
 * too: replaying then renews nothing. Not after completing one that cannot: nothing is lost.
 */
export function warnBeforePlay(status: SubscriptionStatus | null, renewable: boolean): boolean {
  if (status === "Subscribed") return false;
  if (status === "Completed") return renewable;
  return true;
}

/** Rule 6: a subscription not completed by its complete-by date has expired, whatever is stored. */
export function effectiveStatus(subscription: Pick<SubscriptionFacts, "status" | "completeBy">, today: string): SubscriptionStatus {
  return subscription.status === "Subscribed" && today > subscription.completeBy ? "Expired" : subscription.status;
}

/**
 * Rule 1: an attempt counts toward a subscription only if the subscription existed before the
 * attempt started, and had not ended by then. A preview counts toward nothing.
 */
export function countsToward(subscription: SubscriptionFacts, attempt: AttemptFacts): boolean {
  if (attempt.preview || attempt.startedAt <= subscription.subscribedAt) return false;
  return subscription.endedAt === null || attempt.startedAt < subscription.endedAt;
}

/** Rule 2: a module is done when completed (or passed); an assessment only when passed. */
export function attemptDoes(requires: ComponentFacts["requires"], status: PerformanceStatus): boolean {
  return requires === "pass" ? status === "Passed" : status === "Completed" || status === "Passed";
}

/**
 * Rules 1-3 and 6 for one component of a subscription: done by one of its own attempts that
 * counts, or satisfied by passing the course its rule names; otherwise why not. Learning done
 * after the complete-by date counts for nothing.
 */
export function componentOutcome(component: ComponentFacts, subscription: SubscriptionFacts, attempts: AttemptFacts[]): ComponentOutcome {
  const inTime = (attempt: AttemptFacts) => attempt.completedAt !== null && localDate(attempt.completedAt) <= subscription.completeBy;
  const counted = (courseCode: string) => attempts.filter((attempt) => attempt.courseCode === courseCode && countsToward(subscription, attempt));
  const own = counted(component.courseCode);

  const done = own.find((attempt) => attemptDoes(component.requires, attempt.performanceStatus) && inTime(attempt));
  if (done) return { state: "done", attemptId: done.id, doneAt: done.completedAt! };
  if (component.satisfiedByCourseCode) {
    const passed = counted(component.satisfiedByCourseCode).find((attempt) => attempt.performanceStatus === "Passed" && inTime(attempt));
    if (passed) return { state: "satisfied", attemptId: passed.id, doneAt: passed.completedAt!, byCourseCode: component.satisfiedByCourseCode };
  }
  return { state: "not done", ...whyNotDone(component, subscription, attempts, own) };
}

function whyNotDone(component: ComponentFacts, subscription: SubscriptionFacts, attempts: AttemptFacts[], counted: AttemptFacts[]): { attemptId: number | null; reason: string } {
  const latest = counted.at(-1);
  if (!latest) {
    const played = attempts.filter((attempt) => attempt.courseCode === component.courseCode && !attempt.preview);
    if (played.some((attempt) => attempt.startedAt <= subscription.subscribedAt)) {
      return { attemptId: played.at(-1)!.id, reason: "played before subscribing - not counted; press Play to start again" };
    }
    if (played.length > 0) return { attemptId: played.at(-1)!.id, reason: "played after the subscription ended - not counted" };
    return { attemptId: null, reason: "not played yet" };
  }
  const done = attemptDoes(component.requires, latest.performanceStatus);
  if (done) return { attemptId: latest.id, reason: `completed after the complete-by date (${guideDate(subscription.completeBy)}) - not counted` };
  const result = scoreAgainstPassMark(latest);
  switch (latest.performanceStatus) {
    case "Completed":
      return { attemptId: latest.id, reason: `completed but not passed${result}` };
    case "Failed":
      return { attemptId: latest.id, reason: `failed${result}; press Play to try again` };
    case "Incomplete":
      return { attemptId: latest.id, reason: "in progress" };
    default:
      return { attemptId: latest.id, reason: "not started" };
  }
}

/** ": 60%, pass mark 80%", or as much of it as the package reported. */
function scoreAgainstPassMark(attempt: AttemptFacts): string {
  const percent = (scaled: number) => `${Math.round(scaled * 1000) / 10}%`;
  const parts = [attempt.scoreScaled === null ? null : percent(attempt.scoreScaled), attempt.passMark === null ? null : `pass mark ${percent(attempt.passMark)}`];
  const known = parts.filter((part) => part !== null);
  return known.length ? `: ${known.join(", ")}` : "";
}

/** Rule 3: complete when every component is done or satisfied; completed on the last one's date. */
export function certificationOutcome(outcomes: ComponentOutcome[]): { complete: true; completedAt: string } | { complete: false; done: number; of: number } {
  const finished = outcomes.filter((outcome) => outcome.state !== "not done") as Array<Extract<ComponentOutcome, { doneAt: string }>>;
  if (outcomes.length > 0 && finished.length === outcomes.length) {
    return { complete: true, completedAt: finished.map((outcome) => outcome.doneAt).sort().at(-1)! };
  }
  return { complete: false, done: finished.length, of: outcomes.length };
}

/**
 * Rule 4: completion awards the competency on the completion date, expiring validity days later.
 * A renewal extends a record already held; it never shortens one.
 */
export function award(completedOn: string, validDays: number, heldUntil: string | null): { achievedOn: string; expiresOn: string } {
  const expiresOn = addDays(completedOn, validDays);
  return { achievedOn: completedOn, expiresOn: heldUntil !== null && heldUntil > expiresOn ? heldUntil : expiresOn };
}

/**
 * The renewal rule: a completed certification that can be renewed is offered for renewal from 3
 * calendar months before the competency it gave expires (the guide's Amber, "due to expire in the
 * next 3 months"), and from then on, expired or not. Earlier, a renewal is a whole course's work
 * for a few days' gain (rule 4 dates the new expiry from the renewal's own completion, and never
 * shortens the one held), so the page says when renewal opens instead of offering it. A competency that never
 * expires has nothing to renew. `expiresOn` is the latest expiry the learner holds for it.
 */
export const RENEWAL_OPENS_MONTHS_BEFORE_EXPIRY = 3;

export type Renewal =
  | { offered: false; why: "not renewable" }
  | { offered: false; why: "never expires" }
  | { offered: false; why: "not yet"; opensOn: string; expiresOn: string }
  | { offered: true; expiresOn: string | null; expired: boolean };

export function renewal(renewable: boolean, expiresOn: string | null | undefined, today: string): Renewal {
  if (!renewable) return { offered: false, why: "not renewable" };
  // No record held (removed by L&D, say): renewing is the only way back to one.
  if (expiresOn === undefined) return { offered: true, expiresOn: null, expired: true };
  if (expiresOn === null) return { offered: false, why: "never expires" };
  const opensOn = addCalendarMonths(expiresOn, -RENEWAL_OPENS_MONTHS_BEFORE_EXPIRY);
  if (today < opensOn) return { offered: false, why: "not yet", opensOn, expiresOn };
  return { offered: true, expiresOn, expired: expiresOn <= today };
}

/** The renewal rule's outcome in the learner's words, for the certification page. */
export function renewalWords(outcome: Renewal): string {
  if (!outcome.offered) {
    if (outcome.why === "not renewable") return "This certification is not renewable.";
    if (outcome.why === "never expires") return "Your competency does not expire, so there is nothing to renew.";
    return `Renewal opens on ${guideDate(outcome.opensOn)}, ${RENEWAL_OPENS_MONTHS_BEFORE_EXPIRY} months before your competency expires on ${guideDate(outcome.expiresOn)}. Learning played before you subscribe again will not count toward it.`;
  }
  if (outcome.expiresOn === null) return "Renewal is open: subscribe again to renew your competency.";
  if (outcome.expired) return `Your competency expired on ${guideDate(outcome.expiresOn)}. Renewal is open: subscribe again to renew it.`;
  return `Renewal is open: subscribe again and complete it before your competency expires on ${guideDate(outcome.expiresOn)}.`;
}
