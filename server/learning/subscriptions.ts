import { isRowId, type Db } from "../db/connect.ts";
import { addDays, type Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { effectiveStatus, type SubscriptionStatus } from "./crediting.ts";
import { settleSubscriptions } from "./credit-service.ts";
import { createSubscriptionStore } from "./subscription-store.ts";

interface Actor {
  personId: number;
  accountId?: number | null;
  ip?: string | null;
}

/**
 * Subscribe: learning started from now on counts toward the certification (rule 1), for its
 * complete-within days. One open subscription per certification; a completed one may be renewed
 * by subscribing again when the certification is renewable.
 */
export async function subscribe(db: Db, clock: Clock, actor: Actor, certificationId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const store = createSubscriptionStore(trx);
    const certification = await store.certification(certificationId);
    if (!certification) throw notFound("That certification");
    const today = clock.today();
    const held = await store.held(actor.personId, certificationId);
    const statuses = held.map((row) => effectiveStatus({ status: row.status as SubscriptionStatus, completeBy: String(row.complete_by) }, today));
    if (statuses.includes("Subscribed")) throw new AppError("learning.already_subscribed", "You are already subscribed to this certification.", 409);
    if (statuses.includes("Completed") && !certification.renewable) {
      throw new AppError("learning.not_renewable", "You have completed this certification, and it cannot be renewed.", 409);
    }
    const at = clock.now().toISOString();
    const subscriptionId = await store.insertSubscription({ personId: actor.personId, certificationId, at, completeBy: addDays(today, Number(certification.complete_within_days)) });
    await recordAudit(trx, { kind: "subscription.subscribed", at, actorAccountId: actor.accountId ?? null, personId: actor.personId, ip: actor.ip ?? null, detail: { subscriptionId, certification: certification.name } });
    await carryOverCredits(trx, actor.personId, certificationId, subscriptionId, at);
    return subscriptionId;
  });
}

/**
 * Subscribing again after Unsubscribe keeps what was credited under the subscription before it
 * (rule 6: nothing completed is undone by unsubscribing), and completes at once if that was all.
 * Not after a subscription expired or completed: a renewal, or a fresh start after the deadline,
 * means doing the learning again.
 */
async function carryOverCredits(trx: Db, personId: number, certificationId: number, subscriptionId: number, at: string): Promise<void> {
  const store = createSubscriptionStore(trx);
  const previous = await store.previous(personId, certificationId, subscriptionId);
  if (previous?.status !== "Unsubscribed") return;
  const credits = await store.credits(previous.id);
  if (credits.length === 0) return;
  await store.copyCredits(subscriptionId, credits);
  await recordAudit(trx, { kind: "subscription.credits_carried_over", at, personId, detail: { subscriptionId, fromSubscriptionId: Number(previous.id), components: credits.length, rule: "rule 6: unsubscribing undoes nothing completed" } });
  await settleSubscriptions(trx, { ids: [subscriptionId] }, at, `credits carried over from subscription ${previous.id}`);
}

/** Unsubscribe stops crediting from now on; what was credited already stays (rule 6). */
export async function unsubscribe(db: Db, clock: Clock, actor: Actor, certificationId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const store = createSubscriptionStore(trx);
    const open = await store.openSubscription(actor.personId, certificationId);
    if (!open) throw new AppError("learning.not_subscribed", "You are not subscribed to this certification.", 409);
    const at = clock.now().toISOString();
    await store.markUnsubscribed(open.id, at);
    await recordAudit(trx, { kind: "subscription.unsubscribed", at, actorAccountId: actor.accountId ?? null, personId: actor.personId, ip: actor.ip ?? null, detail: { subscriptionId: Number(open.id) } });
  });
}

/**
 * Enrol in a component's e-learning class (the guide's "Choose or Enrol in class", then Apply):
 * Component Status moves from Planned to Enrolled. Needs an open subscription; enrolling twice
 * is answered as done.
 */
export async function enrol(db: Db, clock: Clock, actor: Actor, certificationId: number, componentId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const store = createSubscriptionStore(trx);
    const subscription = await store.latestOpenSubscription(actor.personId, certificationId);
    if (!subscription || effectiveStatus({ status: "Subscribed", completeBy: String(subscription.complete_by) }, clock.today()) !== "Subscribed") {
      throw new AppError("learning.not_subscribed", "Subscribe to the certification before enrolling in its components.", 409);
    }
    const component = isRowId(componentId) ? await store.component(componentId, certificationId) : undefined;
    if (!component) throw notFound("That component");
    const offer = await store.elearningClass(component.course_code);
    if (!offer) throw new AppError("learning.no_class", "This course has no class to enrol in yet. Learning and Development have been told.", 409);
    const existing = await store.enrolment(actor.personId, offer.id, subscription.id);
    if (existing) return;
    const at = clock.now().toISOString();
    const enrolmentId = await store.insertEnrolment({ personId: actor.personId, classId: offer.id, subscriptionId: subscription.id, at });
    await recordAudit(trx, { kind: "enrolment.enrolled", at, actorAccountId: actor.accountId ?? null, personId: actor.personId, ip: actor.ip ?? null, detail: { enrolmentId, subscriptionId: Number(subscription.id), course: component.course_code } });
  });
}
