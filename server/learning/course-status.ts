import type { Db } from "../db/connect.ts";
import { addDays, startOfLocalDay } from "../clock.ts";
import { courseStatusRows } from "./course-status-reads.ts";

export type CourseStatus = "Planned" | "Enrolled" | "In Progress" | "Completed" | "Passed" | "Failed";

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
 * that day. One set-based statement, however many people.
 */
export async function courseStatuses(db: Db, asOf: string): Promise<CourseStatusRow[]> {
  const until = startOfLocalDay(addDays(asOf, 1));
  const rows = await courseStatusRows(db, until);
  return rows.map((row) => ({
    course: String(row.course),
    employeeNumber: String(row.employee_number),
    name: `${String(row.last_name)}, ${String(row.first_name)}`,
    status: statusOf(row.performance_status as string | null, Number(row.enrolled) > 0),
  }));
}

function statusOf(performance: string | null, enrolled: boolean): CourseStatus {
  if (performance === "Incomplete") return "In Progress";
  if (performance === "Completed" || performance === "Passed" || performance === "Failed") return performance;
  return enrolled ? "Enrolled" : "Planned";
}
