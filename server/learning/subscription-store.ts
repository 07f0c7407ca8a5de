import type { Db } from "../db/connect.ts";

/**
 * The queries of subscribing, unsubscribing and enrolling (subscriptions.ts), each on the
 * caller's transaction: the service decides, in the order it asks, and audits.
 */
export function createSubscriptionStore(trx: Db) {
  return {
    async certification(certificationId: number): Promise<{ id: number; name: string; complete_within_days: number; renewable: boolean | number } | undefined> {
      return trx("certifications").where({ id: certificationId }).first("id", "name", "complete_within_days", "renewable");
    },

    /** The person's subscriptions to the certification, newest first. */
    async held(personId: number, certificationId: number): Promise<Array<{ status: string; complete_by: string }>> {
      return trx("subscriptions").where({ person_id: personId, certification_id: certificationId }).orderBy("id", "desc").select("status", "complete_by");
    },

    async insertSubscription(subscription: { personId: number; certificationId: number; at: string; completeBy: string }): Promise<number> {
      const [row] = await trx("subscriptions")
        .insert({ person_id: subscription.personId, certification_id: subscription.certificationId, status: "Subscribed", subscribed_at: subscription.at, complete_by: subscription.completeBy })
        .returning("id");
      return Number(row.id);
    },

    /** The person's latest subscription to the certification before this one. */
    async previous(personId: number, certificationId: number, subscriptionId: number): Promise<{ id: number; status: string } | undefined> {
      return trx("subscriptions").where({ person_id: personId, certification_id: certificationId }).whereNot("id", subscriptionId).orderBy("id", "desc").first("id", "status");
    },

    async credits(subscriptionId: number): Promise<Array<{ course_code: string; attempt_id: number; how: string; credited_at: string }>> {
      return trx("component_credits").where({ subscription_id: subscriptionId });
    },

    /** Another subscription's credits, as this one's. */
    async copyCredits(subscriptionId: number, credits: Array<{ course_code: string; attempt_id: number; how: string; credited_at: string }>): Promise<void> {
      await trx("component_credits").insert(credits.map((credit) => ({ subscription_id: subscriptionId, course_code: credit.course_code, attempt_id: credit.attempt_id, how: credit.how, credited_at: credit.credited_at })));
    },

    async openSubscription(personId: number, certificationId: number): Promise<{ id: number } | undefined> {
      return trx("subscriptions").where({ person_id: personId, certification_id: certificationId, status: "Subscribed" }).first("id");
    },

    async markUnsubscribed(subscriptionId: number, at: string): Promise<void> {
      await trx("subscriptions").where({ id: subscriptionId }).update({ status: "Unsubscribed", ended_at: at });
    },

    /** The person's newest open subscription to the certification, as enrolling needs it. */
    async latestOpenSubscription(personId: number, certificationId: number): Promise<{ id: number; complete_by: string } | undefined> {
      return trx("subscriptions").where({ person_id: personId, certification_id: certificationId, status: "Subscribed" }).orderBy("id", "desc").first("id", "complete_by");
    },

    async component(componentId: number, certificationId: number): Promise<{ course_code: string } | undefined> {
      return trx("certification_components").where({ id: componentId, certification_id: certificationId }).first("course_code");
    },

    /** The e-learning class of the course with this code. */
    async elearningClass(courseCode: string): Promise<{ id: number } | undefined> {
      return trx("classes").join("courses", "courses.id", "classes.course_id").where({ "courses.code": courseCode, "classes.kind": "elearning" }).first("classes.id");
    },

    async enrolment(personId: number, classId: number, subscriptionId: number): Promise<{ id: number } | undefined> {
      return trx("enrolments").where({ person_id: personId, class_id: classId, subscription_id: subscriptionId }).first("id");
    },

    async insertEnrolment(enrolment: { personId: number; classId: number; subscriptionId: number; at: string }): Promise<number> {
      const [row] = await trx("enrolments").insert({ person_id: enrolment.personId, class_id: enrolment.classId, subscription_id: enrolment.subscriptionId, status: "Enrolled", enrolled_at: enrolment.at }).returning("id");
      return Number(row.id);
    },
  };
}
