import type { Db } from "../db/connect.ts";
import { HOLDS_PLACE_STATES } from "./booking-states.ts";

/** Every enrolment of the person that holds a place, most recent first, with its class, course, certification and subscription. */
export async function currentEnrolments(db: Db, personId: number) {
  return db("enrolments")
    .join("classes", "classes.id", "enrolments.class_id")
    .join("courses", "courses.id", "classes.course_id")
    .join("subscriptions", "subscriptions.id", "enrolments.subscription_id")
    .join("certifications", "certifications.id", "subscriptions.certification_id")
    .where("enrolments.person_id", personId)
    // Learning under way holds a place; requests and waiting-list places are Requested Learning's.
    .whereIn("enrolments.status", HOLDS_PLACE_STATES)
    .orderBy([{ column: "enrolments.enrolled_at", order: "desc" }, { column: "enrolments.id", order: "desc" }])
    .select(
      "enrolments.id",
      "enrolments.enrolled_at",
      "enrolments.subscription_id",
      "classes.title as class_title",
      "classes.kind as class_kind",
      "classes.starts_at",
      "classes.venue",
      "courses.id as course_id",
      "courses.code",
      "certifications.id as certification_id",
      "certifications.name as certification_name",
      "subscriptions.status as subscription_status",
      "subscriptions.complete_by",
    );
}

/** What these subscriptions have credited: which course, and when. */
export async function creditsOfSubscriptions(db: Db, subscriptionIds: number[]): Promise<Array<{ subscription_id: number; course_code: string; credited_at: string }>> {
  return db("component_credits").whereIn("subscription_id", subscriptionIds).select("subscription_id", "course_code", "credited_at");
}
