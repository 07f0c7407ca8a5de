import { describe, expect, it } from "vitest";
import {
  warnBeforePlay,
  attemptDoes,
  award,
  certificationOutcome,
  componentOutcome,
  countsToward,
  effectiveStatus,
  renewal,
  renewalWords,
  type AttemptFacts,
  type ComponentFacts,
  type ComponentOutcome,
  type SubscriptionFacts,
  type SubscriptionStatus,
} from "../../server/learning/crediting.ts";
import type { PerformanceStatus } from "../../server/scorm/status.ts";

// A fixed clock: subscribed on 1 March 2026 at 09:00, to complete by 28 Feb 2029.
const subscription: SubscriptionFacts = { status: "Subscribed", subscribedAt: "2026-03-01T09:00:00.000Z", completeBy: "2029-02-28", endedAt: null };
const part1: ComponentFacts = { courseCode: "297 NHS Conflict Resolution - Part 1", requires: "completion", satisfiedByCourseCode: null };
const assessment: ComponentFacts = { courseCode: "297 NHS Conflict Resolution - eAssessment", requires: "pass", satisfiedByCourseCode: null };
const session: ComponentFacts = { courseCode: "000 Safeguarding Adults - Level 1", requires: "completion", satisfiedByCourseCode: "000 Safeguarding Adults eAssessment - Level 1" };

let nextId = 1;
function attempt(courseCode: string, startedAt: string, performanceStatus: PerformanceStatus, more: Partial<AttemptFacts> = {}): AttemptFacts {
  const finished = performanceStatus === "Completed" || performanceStatus === "Passed";
  return { id: nextId++, courseCode, preview: false, startedAt, performanceStatus, completedAt: finished ? "2026-03-02T10:00:00.000Z" : null, scoreScaled: null, passMark: null, ...more };
}

describe("rule 1: learning counts only toward a subscription that existed before the attempt started", () => {
  const cases: Array<[why: string, facts: Partial<AttemptFacts>, subscriptionFacts: Partial<SubscriptionFacts>, counts: boolean]> = [
    ["started after subscribing", { startedAt: "2026-03-01T09:00:00.001Z" }, {}, true],
    ["started the same instant as subscribing", { startedAt: "2026-03-01T09:00:00.000Z" }, {}, false],
    ["started before subscribing", { startedAt: "2026-02-28T23:59:59.999Z" }, {}, false],
    ["a preview, after subscribing", { startedAt: "2026-03-05T00:00:00.000Z", preview: true }, {}, false],
    ["started after unsubscribing", { startedAt: "2026-04-01T00:00:00.000Z" }, { status: "Unsubscribed", endedAt: "2026-03-20T00:00:00.000Z" }, false],
    ["started before unsubscribing", { startedAt: "2026-03-10T00:00:00.000Z" }, { status: "Unsubscribed", endedAt: "2026-03-20T00:00:00.000Z" }, true],
  ];
  it.each(cases)("%s", (_why, facts, subscriptionFacts, counts) => {
    expect(countsToward({ ...subscription, ...subscriptionFacts }, attempt(part1.courseCode, "2026-03-02T00:00:00.000Z", "Completed", facts))).toBe(counts);
  });

  it("keeps an attempt played before subscribing, credits nothing for it, and says why", () => {
    const early = attempt(part1.courseCode, "2026-02-20T10:00:00.000Z", "Completed");
    expect(componentOutcome(part1, subscription, [early])).toEqual({ state: "not done", attemptId: early.id, reason: "played before subscribing - not counted; press Play to start again" });
  });
});

describe("rule 2: a module is done when completed; an assessment only when passed", () => {
  const cases: Array<[status: PerformanceStatus, module: boolean, assessment: boolean]> = [
    ["Not Attempted", false, false],
    ["Incomplete", false, false],
    ["Completed", true, false],
    ["Passed", true, true],
    ["Failed", false, false],
  ];
  it.each(cases)("%s: module done %s, assessment done %s", (status, module, assessed) => {
    expect(attemptDoes("completion", status)).toBe(module);
    expect(attemptDoes("pass", status)).toBe(assessed);
  });

  const after = "2026-03-01T10:00:00.000Z";
  const reasons: Array<[why: string, component: ComponentFacts, attempts: AttemptFacts[], expected: string]> = [
    ["not played", assessment, [], "not played yet"],
    ["in progress", assessment, [attempt(assessment.courseCode, after, "Incomplete")], "in progress"],
    ["completed alone never passes, with the score and pass mark", assessment, [attempt(assessment.courseCode, after, "Completed", { scoreScaled: 0.6, passMark: 0.8 })], "completed but not passed: 60%, pass mark 80%"],
    ["failed, with the score and pass mark", assessment, [attempt(assessment.courseCode, after, "Failed", { scoreScaled: 0.45, passMark: 0.8 })], "failed: 45%, pass mark 80%; press Play to try again"],
    ["failed with no score reported", assessment, [attempt(assessment.courseCode, after, "Failed")], "failed; press Play to try again"],
    ["played only after the subscription ended", part1, [attempt(part1.courseCode, "2026-05-01T00:00:00.000Z", "Completed")], "played after the subscription ended - not counted"],
  ];
  it.each(reasons)("not done, and says why: %s", (_why, component, attempts, expected) => {
    const ended = _why.includes("ended") ? { ...subscription, status: "Unsubscribed" as const, endedAt: "2026-04-01T00:00:00.000Z" } : subscription;
    expect(componentOutcome(component, ended, attempts)).toMatchObject({ state: "not done", reason: expected });
  });

  it("counts a later pass after a failed try", () => {
    const failed = attempt(assessment.courseCode, "2026-03-01T10:00:00.000Z", "Failed");
    const passed = attempt(assessment.courseCode, "2026-03-01T11:00:00.000Z", "Passed", { completedAt: "2026-03-01T11:20:00.000Z" });
    expect(componentOutcome(assessment, subscription, [failed, passed])).toEqual({ state: "done", attemptId: passed.id, doneAt: "2026-03-01T11:20:00.000Z" });
  });

  it("satisfies a session by passing its eAssessment alone, but not by merely completing it", () => {
    const completedOnly = attempt(session.satisfiedByCourseCode!, "2026-03-01T10:00:00.000Z", "Completed");
    expect(componentOutcome(session, subscription, [completedOnly])).toMatchObject({ state: "not done", reason: "not played yet" });
    const passed = attempt(session.satisfiedByCourseCode!, "2026-03-01T12:00:00.000Z", "Passed", { completedAt: "2026-03-01T12:30:00.000Z" });
    expect(componentOutcome(session, subscription, [completedOnly, passed])).toEqual({ state: "satisfied", attemptId: passed.id, doneAt: "2026-03-01T12:30:00.000Z", byCourseCode: session.satisfiedByCourseCode });
  });

  it("does not satisfy a session by an eAssessment passed before subscribing", () => {
    const early = attempt(session.satisfiedByCourseCode!, "2026-02-01T10:00:00.000Z", "Passed");
    expect(componentOutcome(session, subscription, [early]).state).toBe("not done");
  });
});

describe("rule 3: a certification completes when every component is done or satisfied", () => {
  const done = (doneAt: string): ComponentOutcome => ({ state: "done", attemptId: 1, doneAt });
  const satisfied = (doneAt: string): ComponentOutcome => ({ state: "satisfied", attemptId: 2, doneAt, byCourseCode: "X" });
  const notDone: ComponentOutcome = { state: "not done", attemptId: null, reason: "not played yet" };
  const cases: Array<[why: string, outcomes: ComponentOutcome[], expected: ReturnType<typeof certificationOutcome>]> = [
    ["every component done: completed on the last one's date", [done("2026-03-02T10:00:00.000Z"), done("2026-03-04T08:00:00.000Z")], { complete: true, completedAt: "2026-03-04T08:00:00.000Z" }],
    ["one satisfied through its rule", [satisfied("2026-03-03T10:00:00.000Z"), done("2026-03-03T09:00:00.000Z")], { complete: true, completedAt: "2026-03-03T10:00:00.000Z" }],
    ["one not done", [done("2026-03-02T10:00:00.000Z"), notDone, done("2026-03-02T11:00:00.000Z")], { complete: false, done: 2, of: 3 }],
    ["no components at all", [], { complete: false, done: 0, of: 0 }],
  ];
  it.each(cases)("%s", (_why, outcomes, expected) => {
    expect(certificationOutcome(outcomes)).toEqual(expected);
  });
});

describe("rule 4: completion awards the competency; a renewal extends, never shortens", () => {
  const cases: Array<[why: string, completedOn: string, validDays: number, heldUntil: string | null, expected: { achievedOn: string; expiresOn: string }]> = [
    ["first award: validity days after completion", "2026-03-04", 1095, null, { achievedOn: "2026-03-04", expiresOn: "2029-03-03" }],
    ["across a leap day", "2027-03-01", 365, null, { achievedOn: "2027-03-01", expiresOn: "2028-02-29" }],
    ["a renewal extends a record held", "2026-03-04", 365, "2026-05-01", { achievedOn: "2026-03-04", expiresOn: "2027-03-04" }],
    ["a renewal never shortens a longer record", "2026-03-04", 365, "2028-01-01", { achievedOn: "2026-03-04", expiresOn: "2028-01-01" }],
  ];
  it.each(cases)("%s", (_why, completedOn, validDays, heldUntil, expected) => {
    expect(award(completedOn, validDays, heldUntil)).toEqual(expected);
  });
});

describe("rule 6: subscriptions expire; learning after the complete-by date counts for nothing", () => {
  const cases: Array<[why: string, status: SubscriptionFacts["status"], today: string, expected: SubscriptionFacts["status"]]> = [
    ["on its last day", "Subscribed", "2029-02-28", "Subscribed"],
    ["the day after", "Subscribed", "2029-03-01", "Expired"],
    ["completed stays completed", "Completed", "2030-01-01", "Completed"],
    ["unsubscribed stays unsubscribed", "Unsubscribed", "2030-01-01", "Unsubscribed"],
  ];
  it.each(cases)("%s", (_why, status, today, expected) => {
    expect(effectiveStatus({ status, completeBy: subscription.completeBy }, today)).toBe(expected);
  });

  it("does not count a completion after the complete-by date", () => {
    const late = attempt(part1.courseCode, "2029-02-27T10:00:00.000Z", "Completed", { completedAt: "2029-03-01T08:00:00.000Z" });
    expect(componentOutcome(part1, subscription, [late])).toMatchObject({ state: "not done", reason: "completed after the complete-by date (28-Feb-2029) - not counted" });
  });
});

describe("warnBeforePlay", () => {
  it.each([
    [null, true, true, "never subscribed: nothing would count"],
    ["Subscribed", true, false, "open: it counts"],
    ["Completed", true, true, "completed and renewable: replaying renews nothing"],
    ["Completed", false, false, "completed for good: nothing to lose"],
    ["Expired", true, true, "expired: nothing would count"],
    ["Unsubscribed", false, true, "unsubscribed: nothing would count"],
  ] as Array<[SubscriptionStatus | null, boolean, boolean, string]>)("%s, renewable %s: warns %s (%s)", (status, renewable, warns) => {
    expect(warnBeforePlay(status, renewable)).toBe(warns);
  });
});

describe("the renewal rule: renewal is offered from 3 calendar months before the competency expires", () => {
  // Completed 04-Mar-2026 on a 3-year certification: the competency expires 03-Mar-2029.
  const cases: Array<[why: string, renewable: boolean, expiresOn: string | null | undefined, today: string, expected: ReturnType<typeof renewal>, words: string]> = [
    ["the day after completing: not yet, and says when it opens", true, "2029-03-03", "2026-03-05", { offered: false, why: "not yet", opensOn: "2028-12-03", expiresOn: "2029-03-03" },
      "Renewal opens on 03-Dec-2028, 3 months before your competency expires on 03-Mar-2029. Learning played before you subscribe again will not count toward it."],
    ["the day before it opens", true, "2029-03-03", "2028-12-02", { offered: false, why: "not yet", opensOn: "2028-12-03", expiresOn: "2029-03-03" }, expect.stringContaining("Renewal opens on 03-Dec-2028") as unknown as string],
    ["the day it opens (the day the record turns Amber)", true, "2029-03-03", "2028-12-03", { offered: true, expiresOn: "2029-03-03", expired: false },
      "Renewal is open: subscribe again and complete it before your competency expires on 03-Mar-2029."],
    ["a month-end expiry opens on the shorter month's end", true, "2029-05-31", "2029-02-28", { offered: true, expiresOn: "2029-05-31", expired: false }, expect.stringContaining("Renewal is open") as unknown as string],
    ["the day it expires: open, and says it expired", true, "2029-03-03", "2029-03-03", { offered: true, expiresOn: "2029-03-03", expired: true },
      "Your competency expired on 03-Mar-2029. Renewal is open: subscribe again to renew it."],
    ["a short validity (30 days): open from the start, as 3 months before expiry has passed", true, "2026-04-03", "2026-03-05", { offered: true, expiresOn: "2026-04-03", expired: false }, expect.stringContaining("Renewal is open") as unknown as string],
    ["not renewable: never offered", false, "2029-03-03", "2029-06-01", { offered: false, why: "not renewable" }, "This certification is not renewable."],
    ["a competency that never expires: nothing to renew", true, null, "2030-01-01", { offered: false, why: "never expires" }, "Your competency does not expire, so there is nothing to renew."],
    ["no record held any more: renewing is the way back to one", true, undefined, "2026-03-05", { offered: true, expiresOn: null, expired: true }, "Renewal is open: subscribe again to renew your competency."],
  ];
  it.each(cases)("%s", (_why, renewable, expiresOn, today, expected, words) => {
    const outcome = renewal(renewable, expiresOn, today);
    expect(outcome).toEqual(expected);
    expect(renewalWords(outcome)).toEqual(words);
  });

  it("opens only when a renewal would extend the expiry (rule 4 never shortens one)", () => {
    for (const [expiresOn, validDays] of [["2029-03-03", 1095], ["2027-03-04", 365], ["2026-04-03", 30]] as const) {
      const outcome = renewal(true, expiresOn, "2026-03-05");
      const opensOn = outcome.offered ? "2026-03-05" : (outcome as { opensOn: string }).opensOn;
      // Renewing on the day it opens, and completing that day, gives a later expiry than the one held.
      expect(award(opensOn, validDays, expiresOn).expiresOn > expiresOn).toBe(true);
    }
  });
});
