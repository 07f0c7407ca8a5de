import type { Db } from "../db/connect.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import { localDate } from "../clock.ts";
import { certificationViews, type ComponentStatus } from "./certification-view.ts";
import { effectiveStatus, type SubscriptionStatus } from "./crediting.ts";
import { mandatoryCourseCodes } from "./my-elearning-reads.ts";
import { creditsOfSubscriptions, currentEnrolments } from "./current-learning-reads.ts";


export const CURRENT_LEARNING_PAGE_SIZE = 25;

export interface CurrentLearningFilter {
  /** Only enrolments under each certification's latest subscription (the default), or every one. */
  show: "current" | "all";
  componentStatus: ComponentStatus | "any";
  mandatoryOnly: boolean;
  page: number;
}

export interface CurrentLearningRow {
  enrolmentId: number;
  courseId: number;
  course: string;
  classTitle: string;
  /** A classroom class's time and place; null for e-learning, which is always open. */
  session: { startsAt: string; venue: string } | null;
  enrolledAt: string;
  certification: { id: number; name: string };
  /** The subscription the enrolment belongs to, as of today. */
  subscriptionStatus: SubscriptionStatus;
  /** Under the certification's latest subscription; older ones are the learner's history. */
  latest: boolean;
  componentStatus: ComponentStatus;
  completionDate: string | null;
  performanceStatus: PerformanceStatus;
  latestAttemptId: number | null;
  mandatory: boolean;
  /** Where Play goes: the component on its certification page, which warns or plays as it should. */
  componentId: number | null;
  playable: boolean;
  /** The Play column, as on the certification page (a classroom booking says its class counts). */
  play: "play" | "warn" | "classroom" | null;
}

export interface CurrentLearning {
  rows: CurrentLearningRow[];
  /** Rows matching the filter, over every page. */
  total: number;
  page: number;
  pages: number;
}

/**
 * The guide's Current Learning: every enrolment of the learner, most recent first, each with the
 * status the certification page shows for it. Unlike the My e-Learning portlet it is not cut at
 * twenty: it is filtered and paged. Enrolments under the latest subscription take their statuses
 * from the certification pages themselves (certificationViews: the same views, read for every
 * certification at once, in a fixed number of statements), so the two pages cannot disagree; an earlier subscription's are
 * Completed when they were credited to it, and otherwise stayed Planned.
 */
export async function currentLearning(db: Db, personId: number, today: string, filter: CurrentLearningFilter): Promise<CurrentLearning> {
  const enrolments = await currentEnrolments(db, personId);
  if (enrolments.length === 0) return { rows: [], total: 0, page: 0, pages: 0 };

  const certificationIds = [...new Set(enrolments.map((row) => Number(row.certification_id)))];
  const [viewOf, mandatory, olderCredits] = await Promise.all([
    certificationViews(db, personId, certificationIds, today),
    mandatoryCourseCodes(db, personId),
    creditsOfSubscriptions(db, [...new Set(enrolments.map((row) => Number(row.subscription_id)))]),
  ]);
  const creditOf = new Map(olderCredits.map((row) => [`${row.subscription_id}:${row.course_code}`, String(row.credited_at)]));

  const rows = enrolments.map((row): CurrentLearningRow => {
    const view = viewOf.get(Number(row.certification_id));
    const latest = view?.subscription?.id === Number(row.subscription_id);
    const component = view?.components.find((candidate) => candidate.course === row.code);
    const creditedAt = creditOf.get(`${row.subscription_id}:${row.code}`) ?? null;
    return {
      enrolmentId: Number(row.id),
      courseId: Number(row.course_id),
      course: String(row.code),
      classTitle: String(row.class_title),
      session: row.class_kind === "classroom" && row.starts_at ? { startsAt: String(row.starts_at), venue: String(row.venue ?? "") } : null,
      enrolledAt: String(row.enrolled_at),
      certification: { id: Number(row.certification_id), name: String(row.certification_name) },
      subscriptionStatus: effectiveStatus({ status: row.subscription_status, completeBy: String(row.complete_by) }, today),
      latest,
      componentStatus: latest && component ? component.componentStatus : creditedAt ? "Completed" : "Planned",
      completionDate: latest && component ? component.completionDate : creditedAt ? localDate(creditedAt) : null,
      performanceStatus: component?.performanceStatus ?? "Not Attempted",
      latestAttemptId: component?.latestAttemptId ?? null,
      mandatory: mandatory.has(String(row.code)),
      componentId: component?.componentId ?? null,
      playable: Boolean(component?.offer?.playable),
      play: latest && component ? component.play : null,
    };
  });

  const matching = rows.filter(
    (row) =>
      (filter.show === "all" || row.latest) &&
      (filter.componentStatus === "any" || row.componentStatus === filter.componentStatus) &&
      (!filter.mandatoryOnly || row.mandatory),
  );
  const pages = Math.ceil(matching.length / CURRENT_LEARNING_PAGE_SIZE);
  const page = Math.min(Math.max(0, filter.page), Math.max(0, pages - 1));
  return { rows: matching.slice(page * CURRENT_LEARNING_PAGE_SIZE, (page + 1) * CURRENT_LEARNING_PAGE_SIZE), total: matching.length, page, pages };
}
