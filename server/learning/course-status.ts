import { rawRows, type Db } from "../db/connect.ts";

export type CourseStatus = "Planned" | "Enrolled" | "In Progress" | "Completed" | "Passed" | "Failed";

export interface CourseStatusRow {
  course: string;
  employeeNumber: string;
  name: string;
  status: CourseStatus;
}

/**
 * Who stands where on each course (the L&D report): every person with a course in a certification
 * they are subscribed to or have completed, or enrolled in it, by their latest attempt (previews aside): Planned when
 * not yet enrolled, Enrolled when not yet played, then In Progress / Completed / Passed / Failed.
 * One set-based statement, however many people.
 */
export async function courseStatuses(db: Db): Promise<CourseStatusRow[]> {
  const rows = rawRows(await db.raw(COURSE_STATUS_SQL, { subscribed: "Subscribed", completed: "Completed", preview: false }));
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

const COURSE_STATUS_SQL = `
with wanted as (
  select subscriptions.person_id, certification_components.course_code as course
  from subscriptions join certification_components on certification_components.certification_id = subscriptions.certification_id
  where subscriptions.status in (:subscribed, :completed)
  union
  select enrolments.person_id, courses.code
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
), latest as (
  select attempts.person_id, courses.code as course, max(attempts.id) as attempt_id
  from attempts join course_versions on course_versions.id = attempts.course_version_id join courses on courses.id = course_versions.course_id
  where attempts.preview = :preview
  group by attempts.person_id, courses.code
), enrolled as (
  select enrolments.person_id, courses.code as course, count(*) as enrolments
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
  group by enrolments.person_id, courses.code
)
select wanted.course, people.employee_number, people.last_name, people.first_name, attempts.performance_status, coalesce(enrolled.enrolments, 0) as enrolled
from wanted
join people on people.id = wanted.person_id
left join latest on latest.person_id = wanted.person_id and latest.course = wanted.course
left join attempts on attempts.id = latest.attempt_id
left join enrolled on enrolled.person_id = wanted.person_id and enrolled.course = wanted.course
order by wanted.course, people.last_name, people.first_name, people.employee_number`;
