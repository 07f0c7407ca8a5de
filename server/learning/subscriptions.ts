import type { Db } from "../db/connect.ts";
import { addDays, type Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/store.ts";
import { effectiveStatus, type SubscriptionStatus } from "./crediting.ts";

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
    const certification = await trx("certifications").where({ id: certificationId }).first("id", "name", "complete_within_days", "renewable");
    if (!certification) throw notFound("That certification");
    const today = clock.today();
    const held = await trx("subscriptions").where({ person_id: actor.personId, certification_id: certificationId }).orderBy("id", "desc").select("status", "complete_by");
    const statuses = held.map((row) => effectiveStatus({ status: row.status as SubscriptionStatus, completeBy: String(row.complete_by) }, today));
    if (statuses.includes("Subscribed")) throw new AppError("learning.already_subscribed", "You are already subscribed to this certification.", 409);
    if (statuses.includes("Completed") && !certification.renewable) {
      throw new AppError("learning.not_renewable", "You have completed this certification, and it cannot be renewed.", 409);
    }
    const at = clock.now().toISOString();
    const [row] = await trx("subscriptions")
      .insert({ person_id: actor.personId, certification_id: certificationId, status: "Subscribed", subscribed_at: at, complete_by: addDays(today, Number(certification.complete_within_days)) })
      .returning("id");
    const subscriptionId = Number(row.id);
    await recordAudit(trx, { kind: "subscription.subscribed", at, actorAccountId: actor.accountId ?? null, personId: actor.personId, ip: actor.ip ?? null, detail: { subscriptionId, certification: certification.name } });
    return subscriptionId;
  });
}

/** Unsubscribe stops crediting from now on; what was credited already stays (rule 6). */
export async function unsubscribe(db: Db, clock: Clock, actor: Actor, certificationId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const open = await trx("subscriptions").where({ person_id: actor.personId, certification_id: certificationId, status: "Subscribed" }).first("id");
    if (!open) throw new AppError("learning.not_subscribed", "You are not subscribed to this certification.", 409);
    const at = clock.now().toISOString();
    await trx("subscriptions").where({ id: open.id }).update({ status: "Unsubscribed", ended_at: at });
    await recordAudit(trx, { kind: "subscription.unsubscribed", at, actorAccountId: actor.accountId ?? null, personId: actor.personId, ip: actor.ip ?? null, detail: { subscriptionId: Number(open.id) } });
  });
}
