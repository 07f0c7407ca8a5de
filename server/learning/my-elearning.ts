import type { Db } from "../db/connect.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import { effectiveStatus, warnBeforePlay } from "./crediting.ts";

/** The portlet's Status words: the guide's, with In Progress for an attempt under way. */
export type ELearningStatus = "Not Attempted" | "In Progress" | "Completed" | "Passed" | "Failed";

export interface ELearningCourse {
  courseId: number;
  code: string;
  enrolledAt: string;
  mandatory: boolean;
  status: ELearningStatus;
  latestAttemptId: number | null;
  /**
   * Where Play warns first, because learning played now would count toward nothing: the
   * component's page in the certification last subscribed to, when no subscription is open.
   */
  warnAt: string | null;
  /** Finished learning that was credited to no certification (played before subscribing, say). */
  notCounted: boolean;
}

/** The codes of the courses in certifications giving a competency the person's assignments require as essential. */
function mandatoryCoursesQuery(db: Db, personId: number) {
  return db("certification_components")
    .join("certifications", "certifications.id", "certification_components.certification_id")
    .join("competence_requirements", "competence_requirements.competency_id", "certifications.competency_id")
    .join("assignments", "assignments.position_id", "competence_requirements.position_id")
    .where({ "assignments.person_id": personId, "competence_requirements.essential": true })
    .distinct("certification_components.course_code");
}

/** Mandatory learning, as the My e-Learning portlet and Current Learning mark it. */
export async function mandatoryCourseCodes(db: Db, personId: number): Promise<Set<string>> {
  return new Set((await mandatoryCoursesQuery(db, personId)).map((row) => String(row.course_code)));
}

/** The guide's "up to a maximum of twenty courses with your most recent enrolments being displayed first". */
export const MY_ELEARNING_LIMIT = 20;

/**
 * The My e-Learning portlet: the courses the learner is enrolled in, most recent enrolment first,
 * each with its latest attempt's status; mandatory when a certification it belongs to gives a
 * competency one of the learner's assignments requires as essential.
 */
export async function myELearning(db: Db, personId: number, today: string, options: { mandatoryOnly?: boolean } = {}): Promise<ELearningCourse[]> {
  const mandatoryCodes = () => mandatoryCoursesQuery(db, personId);
  const enrolments = db("enrolments")
    .join("classes", "classes.id", "enrolments.class_id")
    .join("courses", "courses.id", "classes.course_id")
    // e-Learning only: classroom bookings are on the certification page and Requested Learning.
    .where({ "enrolments.person_id": personId, "classes.kind": "elearning" });
  // Filtered before the limit: the mandatory courses are the twenty most recent of those.
  if (options.mandatoryOnly) enrolments.whereIn("courses.code", mandatoryCodes());
  const enrolled: Array<{ id: number; code: string; enrolled_at: string }> = await enrolments
    .groupBy("courses.id", "courses.code")
    .orderBy([{ column: "enrolled_at", order: "desc" }, { column: "courses.id", order: "desc" }])
    .limit(MY_ELEARNING_LIMIT)
    .select("courses.id", "courses.code")
    .max({ enrolled_at: "enrolments.enrolled_at" });
  if (enrolled.length === 0) return [];
  const courseIds = enrolled.map((row) => Number(row.id));
  const [attempts, mandatory, subscriptions, credited] = await Promise.all([
    db("attempts")
      .join("course_versions", "course_versions.id", "attempts.course_version_id")
      .where({ "attempts.person_id": personId, "attempts.preview": false })
      .whereIn("course_versions.course_id", courseIds)
      .orderBy("attempts.id")
      .select("attempts.id", "attempts.performance_status", "course_versions.course_id"),
    mandatoryCodes(),
    db("subscriptions")
      .join("certifications", "certifications.id", "subscriptions.certification_id")
      .join("certification_components", "certification_components.certification_id", "subscriptions.certification_id")
      .join("courses", "courses.code", "certification_components.course_code")
      .where("subscriptions.person_id", personId)
      .whereIn("courses.id", courseIds)
      .orderBy("subscriptions.id")
      .select("courses.id as course_id", "subscriptions.certification_id", "subscriptions.status", "subscriptions.complete_by", "certifications.renewable", "certification_components.id as component_id"),
    db("component_credits")
      .join("subscriptions", "subscriptions.id", "component_credits.subscription_id")
      .where("subscriptions.person_id", personId)
      .whereIn("component_credits.course_code", enrolled.map((row) => row.code))
      .distinct("component_credits.course_code"),
  ]);
  const counting = new Set<number>();
  const lastSubscribed = new Map<number, string>();
  for (const row of subscriptions) {
    const courseId = Number(row.course_id);
    // The latest subscription decides, as on the certification page.
    const status = effectiveStatus({ status: row.status, completeBy: String(row.complete_by) }, today);
    if (warnBeforePlay(status, Boolean(row.renewable))) counting.delete(courseId);
    else counting.add(courseId);
    lastSubscribed.set(courseId, `/learning/certifications/${row.certification_id}/components/${row.component_id}/play`);
  }
  const latest = new Map<number, { id: number; status: PerformanceStatus }>();
  for (const row of attempts) latest.set(Number(row.course_id), { id: Number(row.id), status: row.performance_status });
  const mandatoryCourses = new Set(mandatory.map((row) => String(row.course_code)));
  const creditedCourses = new Set(credited.map((row) => String(row.course_code)));
  return enrolled.map((row) => {
    const attempt = latest.get(Number(row.id));
    return {
      courseId: Number(row.id),
      code: String(row.code),
      enrolledAt: String(row.enrolled_at),
      mandatory: mandatoryCourses.has(String(row.code)),
      status: attempt ? (attempt.status === "Incomplete" ? "In Progress" : attempt.status) : "Not Attempted",
      latestAttemptId: attempt?.id ?? null,
      warnAt: counting.has(Number(row.id)) ? null : (lastSubscribed.get(Number(row.id)) ?? null),
      notCounted: (attempt?.status === "Completed" || attempt?.status === "Passed") && !creditedCourses.has(String(row.code)),
    };
  });
}
