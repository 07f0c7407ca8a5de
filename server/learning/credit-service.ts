import type { Db } from "../db/connect.ts";
import { localDate } from "../clock.ts";
import { recordAudit } from "../audit/index.ts";
import { award, componentCourseCodes, componentOutcome, effectiveStatus } from "./crediting.ts";
import { createCreditStore, type SubscriptionToCredit } from "./credit-store.ts";

/** An attempt that has just become Completed or Passed, in the transaction of the commit that made it so. */
import type { EarnedAttempt } from "../deps.ts";

/**
 * Crediting, in the same transaction as the commit that earns it (the runtime writer calls this
 * before COMMIT, handed it by app.ts): for each subscription of the learner that the attempt's course belongs to, every
 * component now done or satisfied is credited once; when all are, the subscription completes and
 * the competency is awarded (renewals extend). Nothing credited is ever taken back here: later
 * commits only ever add. Every change is audited with the attempt and the rule that caused it.
 */
export async function creditEarnedAttempts(trx: Db, earned: EarnedAttempt[], now: string): Promise<void> {
  const store = createCreditStore(trx);
  const codes = await store.courseCodesOf(earned.map((attempt) => attempt.id));
  // Person by person, in id order: their subscriptions are locked as they go (credit-store.ts), in
  // the same order in every transaction, so that two never wait for each other at once (a deadlock).
  for (const attempt of [...earned].sort((a, b) => a.personId - b.personId || a.id - b.id)) {
    const code = codes.get(attempt.id);
    if (code === undefined) continue;
    for (const subscription of await store.openSubscriptionsFor(attempt.personId, code)) {
      await creditSubscription(trx, subscription, attempt.id, now);
    }
  }
}

/**
 * Settles open subscriptions outside a commit: after their certification's components changed
 * (a catalog import), or credits were carried over to a new subscription. What is done by now is
 * credited, and a subscription now complete completes.
 */
export async function settleSubscriptions(trx: Db, filter: { ids: number[] } | { certificationIds: number[] }, now: string, cause: string): Promise<void> {
  for (const subscription of await createCreditStore(trx).openSubscriptions(filter)) await creditSubscription(trx, subscription, null, now, cause);
}

async function creditSubscription(trx: Db, subscription: SubscriptionToCredit, causeAttemptId: number | null, now: string, cause?: string): Promise<void> {
  const store = createCreditStore(trx);
  const today = localDate(now);
  const audit = (kind: string, detail: Record<string, unknown>) =>
    recordAudit(trx, { kind, at: now, personId: subscription.personId, detail: { subscriptionId: subscription.id, certification: subscription.certificationName, attemptId: causeAttemptId, ...(cause ? { cause } : {}), ...detail } });

  if (effectiveStatus(subscription, today) === "Expired") {
    if (await store.endSubscription(subscription.id, "Expired", now)) {
      await audit("subscription.expired", { rule: `rule 6: not completed by ${subscription.completeBy}` });
    }
    return;
  }
  const components = await store.componentsOf(subscription.certificationId);
  const attempts = await store.attemptsAt(subscription.personId, componentCourseCodes(components));
  const credited = await store.creditedCourses(subscription.id);

  for (const component of components) {
    if (credited.has(component.courseCode)) continue;
    const outcome = componentOutcome(component, subscription, attempts);
    if (outcome.state === "not done") continue;
    const how = outcome.state === "done" ? "done" : "satisfied";
    if (await store.credit({ subscriptionId: subscription.id, courseCode: component.courseCode, attemptId: outcome.attemptId, how, at: now })) {
      await audit("component.credited", {
        course: component.courseCode,
        creditedAttemptId: outcome.attemptId,
        rule:
          outcome.state === "satisfied"
            ? `rule 3: satisfied by passing ${outcome.byCourseCode}`
            : component.requires === "pass"
              ? "rule 2: assessment passed"
              : "rule 2: module completed",
      });
    }
    credited.add(component.courseCode);
  }

  if (components.length === 0 || components.some((component) => !credited.has(component.courseCode))) return;
  if (!(await store.endSubscription(subscription.id, "Completed", now))) return;
  await audit("certification.completed", { rule: "rule 3: every component done or satisfied" });
  const heldUntil = await store.heldUntil(subscription.personId, subscription.competencyId);
  const record = award(today, subscription.validDays, heldUntil);
  const recordId = await store.insertRecord({
    personId: subscription.personId,
    competencyId: subscription.competencyId,
    level: subscription.competenceLevel,
    ...record,
    certificationId: subscription.certificationId,
    at: now,
  });
  await audit("competency.awarded", {
    recordId,
    level: subscription.competenceLevel,
    achievedOn: record.achievedOn,
    expiresOn: record.expiresOn,
    rule: heldUntil === null ? `rule 4: awarded for ${subscription.validDays} days` : `rule 4: renewal, extending a record held until ${heldUntil}`,
  });
}

/**
 * Rule 6 for subscriptions no commit touches: every open subscription past its complete-by date
 * becomes Expired, audited. Run daily (`lms expire-subscriptions`); pages show Expired meanwhile.
 */
export async function expireOverdueSubscriptions(db: Db, now: string): Promise<number> {
  return db.transaction(async (trx) => {
    const today = localDate(now);
    const overdue = await createCreditStore(trx).overdueSubscriptions(today);
    let expired = 0;
    for (const row of overdue) {
      if (!(await createCreditStore(trx).endSubscription(Number(row.id), "Expired", now))) continue;
      expired++;
      await recordAudit(trx, { kind: "subscription.expired", at: now, personId: Number(row.person_id), detail: { subscriptionId: Number(row.id), attemptId: null, cause: "daily expiry", rule: `rule 6: not completed by ${row.complete_by}` } });
    }
    return expired;
  });
}
