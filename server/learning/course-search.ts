import type { Db } from "../db/connect.ts";
import { certificationView, type CertificationView, type NextAction } from "./certification-view.ts";
import { certificationsOfCourses, searchCourses, type CourseSearchFilters, type CourseType } from "./course-search-store.ts";

export const RESULTS_PER_PAGE = 20;

export interface CourseResult {
  code: string;
  title: string | null;
  type: CourseType;
  certifications: Array<{
    id: number;
    name: string;
    componentId: number;
    /** As the certification page works it out for this learner (certification-view.ts). */
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
 * belongs to and the learner's next action in each, read from the certification's own view so
 * that search and the certification page never disagree.
 */
export async function courseSearch(db: Db, personId: number, filters: CourseSearchFilters, page: number, today: string): Promise<CourseSearchResults> {
  const found = await searchCourses(db, filters, { limit: RESULTS_PER_PAGE, offset: (page - 1) * RESULTS_PER_PAGE });
  const pages = Math.max(1, Math.ceil(found.total / RESULTS_PER_PAGE));
  // A page past the end (an old link, a catalogue since shrunk) shows the last one.
  if (page > pages) return courseSearch(db, personId, filters, pages, today);
  const memberships = await certificationsOfCourses(db, found.courses.map((course) => course.code));
  const views = new Map<number, Promise<CertificationView | undefined>>();
  const viewOf = (id: number) => {
    if (!views.has(id)) views.set(id, certificationView(db, personId, id, today));
    return views.get(id)!;
  };
  const courses = await Promise.all(
    found.courses.map(async (course): Promise<CourseResult> => ({
      code: course.code,
      title: course.title,
      type: course.type,
      certifications: await Promise.all(
        (memberships.get(course.code) ?? []).map(async (membership) => {
          const row = (await viewOf(membership.certificationId))?.components.find((component) => component.componentId === membership.componentId);
          return {
            id: membership.certificationId,
            name: membership.name,
            componentId: membership.componentId,
            nextAction: row?.nextAction ?? "Subscribe",
            courseId: row?.offer?.courseId ?? null,
            latestAttemptId: row?.latestAttemptId ?? null,
          };
        }),
      ),
    })),
  );
  return { total: found.total, page, pages, courses };
}
