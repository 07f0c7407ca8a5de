import type { Db } from "../db/connect.ts";
import { addDays, startOfLocalDay } from "../clock.ts";
import { courseStatusGroups, courseStatusRows, type CourseStatusKey } from "./course-status-reads.ts";

export type CourseStatus = "Planned" | "Enrolled" | "In Progress" | "Completed" | "Passed" | "Failed";

export const COURSE_STATUSES: readonly CourseStatus[] = ["Planned", "Enrolled", "In Progress", "Completed", "Passed", "Failed"];

export interface CourseStatusRow {
  course: string;
  employeeNumber: string;
  name: string;
  status: CourseStatus;
}

/**
 * Who stood where on each course at the end of a day (the L&D report): every person with a course
 * in a certification they were subscribed to (or had completed) then, or enrolled in it, by their
 * latest attempt by then (previews aside, and, for a certification's course, only attempts started
 * after subscribing: the learner's page does not count the others either): Planned when not yet
 * enrolled, Enrolled when not yet played, then In Progress / Completed / Passed / Failed as it was
 * that day. One set-based statement, however many people; with `course`, that course's people only.
 */
export async function courseStatuses(db: Db, asOf: string, course?: string): Promise<CourseStatusRow[]> {
  return (await courseStatusRows(db, untilOf(asOf), { course })).map(toCourseStatusRow);
}

/** Rows a CSV reads at a time: a page of them is all the server holds (about 2 MB at 10,000). */
export const COURSE_STATUS_PAGE = 10_000;

/**
 * courseStatuses' rows in the same order, a page at a time (each page the statement with the
 * course chosen and the people after the last page's, by name): a report of a course every one of
 * 200,000 staff must do is streamed, never held whole. Without `course`, every course in turn.
 */
export async function* courseStatusPages(db: Db, asOf: string, course?: string, pageSize = COURSE_STATUS_PAGE): AsyncGenerator<CourseStatusRow[]> {
  const until = untilOf(asOf);
  const courses = course !== undefined ? [course] : [...new Set((await courseStatusGroups(db, until)).map((row) => String(row.course)))];
  for (const each of courses) {
    let after: CourseStatusKey | undefined;
    for (;;) {
      const rows = await courseStatusRows(db, until, { course: each, after, limit: pageSize });
      if (rows.length) yield rows.map(toCourseStatusRow);
      if (rows.length < pageSize) break;
      const last = rows.at(-1)!;
      after = { lastName: String(last.last_name), firstName: String(last.first_name), employeeNumber: String(last.employee_number) };
    }
  }
}

/** How many people stood at each status on each course that day (the Reports page's table), counted in the database. */
export async function courseStatusCounts(db: Db, asOf: string, course?: string): Promise<Array<{ course: string; counts: Record<CourseStatus, number> }>> {
  const counts = new Map<string, Record<CourseStatus, number>>();
  for (const row of await courseStatusGroups(db, untilOf(asOf), course)) {
    const name = String(row.course);
    if (!counts.has(name)) counts.set(name, Object.fromEntries(COURSE_STATUSES.map((status) => [status, 0])) as Record<CourseStatus, number>);
    counts.get(name)![statusOf(row.performance_status as string | null, Number(row.enrolled) > 0)] += Number(row.people);
  }
  return [...counts].map(([name, each]) => ({ course: name, counts: each }));
}

function untilOf(asOf: string): string {
  return startOfLocalDay(addDays(asOf, 1));
}

function toCourseStatusRow(row: Record<string, unknown>): CourseStatusRow {
  return {
    course: String(row.course),
    employeeNumber: String(row.employee_number),
    name: `${String(row.last_name)}, ${String(row.first_name)}`,
    status: statusOf(row.performance_status as string | null, Number(row.enrolled) > 0),
  };
}

function statusOf(performance: string | null, enrolled: boolean): CourseStatus {
  if (performance === "Incomplete") return "In Progress";
  if (performance === "Completed" || performance === "Passed" || performance === "Failed") return performance;
  return enrolled ? "Enrolled" : "Planned";
}
