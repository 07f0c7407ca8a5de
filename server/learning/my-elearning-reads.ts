import type { Db } from "../db/connect.ts";

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

/** The courses the person is enrolled in for e-learning, most recent enrolment first, at most `limit` of them. */
export async function enrolledCourses(db: Db, personId: number, limit: number, options: { mandatoryOnly?: boolean }): Promise<Array<{ id: number; code: string; enrolled_at: string }>> {
  const enrolments = db("enrolments")
    .join("classes", "classes.id", "enrolments.class_id")
    .join("courses", "courses.id", "classes.course_id")
    // e-Learning only: classroom bookings are on the certification page and Requested Learning.
    .where({ "enrolments.person_id": personId, "classes.kind": "elearning" });
  // Filtered before the limit: the mandatory courses are the twenty most recent of those.
  if (options.mandatoryOnly) enrolments.whereIn("courses.code", mandatoryCoursesQuery(db, personId));
  return enrolments
    .groupBy("courses.id", "courses.code")
    .orderBy([{ column: "enrolled_at", order: "desc" }, { column: "courses.id", order: "desc" }])
    .limit(limit)
    .select("courses.id", "courses.code")
    .max({ enrolled_at: "enrolments.enrolled_at" });
}

/**
 * What the portlet says of these courses, read side by side: the person's attempts at them
 * (previews aside, oldest first), the mandatory course codes, the person's subscriptions to the
 * certifications they are components of (oldest first), and which of the codes were ever credited.
 */
export async function portletFacts(db: Db, personId: number, courseIds: number[], codes: string[]) {
  const [attempts, mandatory, subscriptions, credited] = await Promise.all([
    db("attempts")
      .join("course_versions", "course_versions.id", "attempts.course_version_id")
      .where({ "attempts.person_id": personId, "attempts.preview": false })
      .whereIn("course_versions.course_id", courseIds)
      .orderBy("attempts.id")
      .select("attempts.id", "attempts.performance_status", "course_versions.course_id"),
    mandatoryCoursesQuery(db, personId),
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
      .whereIn("component_credits.course_code", codes)
      .distinct("component_credits.course_code"),
  ]);
  return { attempts, mandatory, subscriptions, credited };
}
