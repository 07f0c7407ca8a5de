import { rawRows, type Db } from "../db/connect.ts";

/** Where a page of a course's people begins: after this person, in the report's order. */
export interface CourseStatusKey {
  lastName: string;
  firstName: string;
  employeeNumber: string;
}

/**
 * courseStatuses' one statement (course-status.ts): each person and course wanted on the day
 * ending at `until`, with the person's names, how many enrolments in it, and the latest attempt's
 * performance status as it stood then (null when none). With `course`, that course alone, chosen
 * inside the statement (the `wanted` rows): the course's people page reads only its own rows, not
 * the whole trust's. With `after` and `limit`, one page of them by name (a CSV is read page by page).
 */
export async function courseStatusRows(db: Db, until: string, options: { course?: string; after?: CourseStatusKey; limit?: number } = {}): Promise<Array<Record<string, unknown>>> {
  const bindings: Record<string, unknown> = { ...BINDINGS, until };
  if (options.course !== undefined) bindings.course = options.course;
  if (options.after) Object.assign(bindings, { afterLast: options.after.lastName, afterFirst: options.after.firstName, afterNumber: options.after.employeeNumber });
  if (options.limit !== undefined) bindings.limit = options.limit;
  return rawRows(await db.raw(courseStatusSql(options.course !== undefined, options.after !== undefined, options.limit !== undefined), bindings));
}

/**
 * How many people stood at each performance status (as it was then) in each course, enrolled or
 * not: what course-status.ts turns into the Reports page's counts, grouped in the statement rather
 * than a row per person brought back (at 200,000 staff, a row per person and mandatory course).
 */
export async function courseStatusGroups(db: Db, until: string, course?: string): Promise<Array<Record<string, unknown>>> {
  const bindings: Record<string, unknown> = { ...BINDINGS, until };
  if (course !== undefined) bindings.course = course;
  return rawRows(await db.raw(courseStatusGroupsSql(course !== undefined), bindings));
}

const BINDINGS = { preview: false, incomplete: "Incomplete", completed: "Completed", passed: "Passed", failed: "Failed" };

// A classroom request, waiting-list entry, or a booking cancelled or rejected is no enrolment (issue 9).
const NO_PLACE = "'Requested', 'Waiting List', 'Cancelled', 'Rejected'";

// A status is what it was at :until: a completion or a pass after then was still in progress,
// and so was a failure committed after then (statuses never go backwards, so nothing else changes).
// Each wanted row's latest attempt is looked up by the person (attempts' person index), not joined
// as an aggregate: PostgreSQL estimated the wanted rows of a course everyone must do at 200 and
// joined the two aggregates in a nested loop, 134 s for one course at 50,000 staff (bench:trusts).
function wantedSql(oneCourse: boolean): string {
  return `
with wanted_rows as (
  select subscriptions.person_id, certification_components.course_code as course, subscriptions.subscribed_at as since
  from subscriptions join certification_components on certification_components.certification_id = subscriptions.certification_id
  where subscriptions.subscribed_at < :until and (subscriptions.ended_at is null or subscriptions.ended_at >= :until)${oneCourse ? " and certification_components.course_code = :course" : ""}
  union all
  select enrolments.person_id, courses.code, ''
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
  where enrolments.enrolled_at < :until and enrolments.status not in (${NO_PLACE})${oneCourse ? " and courses.code = :course" : ""}
), wanted as (
  select person_id, course, min(since) as since from wanted_rows group by person_id, course
), latest as (
  select wanted.person_id, wanted.course, (
    select max(attempts.id)
    from attempts
    join course_versions on course_versions.id = attempts.course_version_id
    join courses on courses.id = course_versions.course_id
    where attempts.person_id = wanted.person_id and courses.code = wanted.course
      and attempts.preview = :preview and attempts.started_at >= wanted.since and attempts.started_at < :until
  ) as attempt_id
  from wanted
), enrolled as (
  select enrolments.person_id, courses.code as course, count(*) as enrolments
  from enrolments join classes on classes.id = enrolments.class_id join courses on courses.id = classes.course_id
  where enrolments.enrolled_at < :until and enrolments.status not in (${NO_PLACE})${oneCourse ? " and courses.code = :course" : ""}
  group by enrolments.person_id, courses.code
)`;
}

const PERFORMANCE_THEN = `case
    when attempts.performance_status in (:completed, :passed) and (attempts.completed_at is null or attempts.completed_at >= :until) then :incomplete
    when attempts.performance_status = :failed and (attempts.last_commit_at is null or attempts.last_commit_at >= :until) then :incomplete
    else attempts.performance_status
  end`;

const JOINED = `from wanted
join people on people.id = wanted.person_id
left join latest on latest.person_id = wanted.person_id and latest.course = wanted.course
left join attempts on attempts.id = latest.attempt_id
left join enrolled on enrolled.person_id = wanted.person_id and enrolled.course = wanted.course`;

function courseStatusSql(oneCourse: boolean, after: boolean, limit: boolean): string {
  // Employee numbers are unique: (last name, first name, employee number) orders people totally.
  const afterKey = after ? "where (people.last_name, people.first_name, people.employee_number) > (:afterLast, :afterFirst, :afterNumber)" : "";
  return `${wantedSql(oneCourse)}
select wanted.course, people.employee_number, people.last_name, people.first_name, coalesce(enrolled.enrolments, 0) as enrolled,
  ${PERFORMANCE_THEN} as performance_status
${JOINED}
${afterKey}
order by wanted.course, people.last_name, people.first_name, people.employee_number${limit ? "\nlimit :limit" : ""}`;
}

function courseStatusGroupsSql(oneCourse: boolean): string {
  return `${wantedSql(oneCourse)}
select course, enrolled, performance_status, count(*) as people
from (
  select wanted.course, case when coalesce(enrolled.enrolments, 0) > 0 then 1 else 0 end as enrolled, ${PERFORMANCE_THEN} as performance_status
  ${JOINED}
) statuses
group by course, enrolled, performance_status
order by course`;
}
