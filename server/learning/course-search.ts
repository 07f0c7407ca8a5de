import type { Db } from "../db/connect.ts";
import { effectiveStatus } from "./crediting.ts";
import { nextAction, type NextAction } from "./certification-view.ts";
import { createCertificationStore } from "./certification-store.ts";
import { certificationsOfCourses, learnerStandings, searchCourses, type CourseKind, type CourseSearchFilters } from "./course-search-store.ts";

export const RESULTS_PER_PAGE = 20;

export interface CourseResult {
  code: string;
  title: string | null;
  type: CourseKind;
  certifications: Array<{
    id: number;
    name: string;
    componentId: number;
    nextAction: NextAction;
    courseId: number | null;
    latestAttemptId: number | null;
  }>;
}

export interface CourseSearchResults {
  total: number;
  page: number;
  pages: number;
  courses: CourseResult[];
}

/**
 * Search Course for one learner: a page of matching courses, each with the certifications it
 * belongs to and the learner's next action in each. The action comes from the certification
 * page's own rule (certification-view.ts's nextAction) over the same facts (the latest
 * subscription as of today, its credits and enrolments, the course's offer), read for the whole
 * page in a few statements rather than a certification view per certification.
 */
export async function courseSearch(db: Db, personId: number, filters: CourseSearchFilters, page: number, today: string): Promise<CourseSearchResults> {
  const found = await searchCourses(db, filters, { limit: RESULTS_PER_PAGE, offset: (page - 1) * RESULTS_PER_PAGE });
  const pages = Math.max(1, Math.ceil(found.total / RESULTS_PER_PAGE));
  // A page past the end (an old link, a catalogue since shrunk) shows the last one.
  if (page > pages) return courseSearch(db, personId, filters, pages, today);
  const codes = found.courses.map((course) => course.code);
  const [memberships, offers] = await Promise.all([certificationsOfCourses(db, codes), createCertificationStore(db).offers(codes)]);
  const certificationIds = [...new Set([...memberships.values()].flat().map((membership) => membership.certificationId))];
  const standing = await learnerStandings(db, personId, certificationIds, [...offers.values()].map((offer) => offer.courseId));
  const courses = found.courses.map((course): CourseResult => {
    const offer = offers.get(course.code) ?? null;
    return {
      code: course.code,
      title: course.title,
      type: course.type,
      certifications: (memberships.get(course.code) ?? []).map((membership) => {
        const subscription = standing.latest.get(membership.certificationId);
        const facts = {
          done: subscription ? standing.credited.has(`${subscription.id}:${course.code}`) : false,
          enrolled: subscription && offer ? standing.enrolled.has(`${subscription.id}:${offer.courseId}`) : false,
          awaitingPlace: subscription && offer ? standing.awaitingPlace.has(`${subscription.id}:${offer.courseId}`) : false,
          classroom: subscription && offer ? standing.classroom.has(`${subscription.id}:${offer.courseId}`) : false,
          offer,
        };
        return {
          id: membership.certificationId,
          name: membership.name,
          componentId: membership.componentId,
          nextAction: nextAction(subscription ? effectiveStatus(subscription, today) : null, facts),
          courseId: offer?.courseId ?? null,
          latestAttemptId: offer ? (standing.latestAttempts.get(offer.courseId) ?? null) : null,
        };
      }),
    };
  });
  return { total: found.total, page, pages, courses };
}
