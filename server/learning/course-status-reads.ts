import { rawRows, type Db } from "../db/connect.ts";

/**
 * courseStatuses' one statement (course-status.ts): each person and course wanted on the day
 * ending at `until`, with the person's names, how many enrolments in it, and the latest attempt's
 * performance status as it stood then (null when none).
 */
export async function courseStatusRows(db: Db, until: string): Promise<Array<Record<string, unknown>>> {
  return rawRows(await db.raw(COURSE_STATUS_SQL, { until, preview: false, incomplete: "Incomplete", completed: "Completed", passed: "Passed", failed: "Failed" }));
}

// A classroom request, waiting-list entry, or a booking cancelled or rejected is no enrolment (issue 9).
const NO_PLACE = "'Requested', 'Waiting List', 'Cancelled', 'Rejected'";

// A status is what it was at :until: a completion or a pass after then was still in progress,
// and so was a failure committed after then (statuses never go backwards, so nothing else changes).
const COURSE_STATUS_SQL = `
with wanted_rows as (
  select subscriptions.person_id, certification_components.course_code as course, subscriptions.subscribed_at as since
  from subscriptions join certification_components on certification_components.certification_id = subscriptions.certification_id
  where subscriptions.subscribed_at < :until and (subscriptions.ended_at is null or subscriptions.ended_at >= :until)
  union all
  select enrolments.person_id, courses.code, ''
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
  where enrolments.enrolled_at < :until and enrolments.status not in (${NO_PLACE})
), wanted as (
  select person_id, course, min(since) as since from wanted_rows group by person_id, course
), latest as (
  select wanted.person_id, wanted.course, max(attempts.id) as attempt_id
  from wanted
  join attempts on attempts.person_id = wanted.person_id
  join course_versions on course_versions.id = attempts.course_version_id
  join courses on courses.id = course_versions.course_id and courses.code = wanted.course
  where attempts.preview = :preview and attempts.started_at >= wanted.since and attempts.started_at < :until
  group by wanted.person_id, wanted.course
), enrolled as (
  select enrolments.person_id, courses.code as course, count(*) as enrolments
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
  where enrolments.enrolled_at < :until and enrolments.status not in (${NO_PLACE})
  group by enrolments.person_id, courses.code
)
select wanted.course, people.employee_number, people.last_name, people.first_name, coalesce(enrolled.enrolments, 0) as enrolled,
  case
    when attempts.performance_status in (:completed, :passed) and (attempts.completed_at is null or attempts.completed_at >= :until) then :incomplete
    when attempts.performance_status = :failed and (attempts.last_commit_at is null or attempts.last_commit_at >= :until) then :incomplete
    else attempts.performance_status
  end as performance_status
from wanted
join people on people.id = wanted.person_id
left join latest on latest.person_id = wanted.person_id and latest.course = wanted.course
left join attempts on attempts.id = latest.attempt_id
left join enrolled on enrolled.person_id = wanted.person_id and enrolled.course = wanted.course
order by wanted.course, people.last_name, people.first_name, people.employee_number`;
