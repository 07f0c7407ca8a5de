import type { Db } from "../db/connect.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import { effectiveStatus, warnBeforePlay } from "./crediting.ts";
import { enrolledCourses, portletFacts } from "./my-elearning-reads.ts";

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

/** The guide's "up to a maximum of twenty courses with your most recent enrolments being displayed first". */
export const MY_ELEARNING_LIMIT = 20;

/**
 * The My e-Learning portlet: the courses the learner is enrolled in, most recent enrolment first,
 * each with its latest attempt's status; mandatory when a certification it belongs to gives a
 * competency one of the learner's assignments requires as essential.
 */
export async function myELearning(db: Db, personId: number, today: string, options: { mandatoryOnly?: boolean } = {}): Promise<ELearningCourse[]> {
  const enrolled = await enrolledCourses(db, personId, MY_ELEARNING_LIMIT, options);
  if (enrolled.length === 0) return [];
  const courseIds = enrolled.map((row) => Number(row.id));
  const { attempts, mandatory, subscriptions, credited } = await portletFacts(db, personId, courseIds, enrolled.map((row) => row.code));
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
