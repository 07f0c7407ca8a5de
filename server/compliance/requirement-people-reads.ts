import { rawRows, type Db } from "../db/connect.ts";
import { heldOnSql, organisationSummaryBindings } from "./organisation-summary-reads.ts";

export type RequirementStatus = "Green" | "Amber" | "Red";

/** Which of the summary's figures to open: a position's row, a competency's, a status, or the whole trust. */
export interface RequirementFilter {
  positionId?: number;
  competencyId?: number;
  status?: RequirementStatus;
}

/** One essential requirement of one assignment, as the summary counted it. */
export interface RequirementPerson {
  personId: number;
  employeeNumber: string;
  /** "Last, First", as the guide shows a name. */
  name: string;
  assignment: string;
  position: string;
  /** The assignment's line manager, "Last, First"; null when it has none. */
  lineManager: string | null;
  competency: string;
  status: RequirementStatus;
  /** YYYY-MM-DD of the best record held then; null when none was held (Red) or it never expires (Green). */
  expiresOn: string | null;
}

/**
 * The people behind a figure of the summary (organisation-summary-reads.ts): each essential
 * requirement it counted, with the person, assignment and status, read the same way (the stored
 * best expiry, or the records held on the date where the latest came later), so that a Red of 3
 * opens exactly 3 rows. Each with the assignment's line manager, who can act on it. Red first, then Amber, then Green; by name within each. `page` limits
 * the rows for a screen; `total` counts them all. One statement, however many people.
 */
export async function requirementPeople(db: Db, asOf: string, filter: RequirementFilter, page?: { offset: number; limit: number }): Promise<{ rows: RequirementPerson[]; total: number }> {
  const { bindings, holdingsWhere } = filtered(asOf, filter);
  if (page) Object.assign(bindings, page);
  const rows = rawRows(await db.raw(requirementPeopleSql(holdingsWhere, filter.status ? "where rated.status = :status" : "", page ? "limit :limit offset :offset" : ""), bindings));
  const total = rows.length ? Number(rows[0]!.total) : page && page.offset > 0 ? (await requirementPeople(db, asOf, filter)).total : 0;
  return { total, rows: rows.map(toRequirementPerson) };
}

/** People a CSV page covers: about 11 essential requirements each, so some 20,000 rows (a few MB). */
export const PEOPLE_PER_PAGE = 2_000;

/**
 * requirementPeople's rows in the same order, a page at a time, for the CSV: each status in turn
 * (Red, Amber, Green), and within it the next PEOPLE_PER_PAGE people by name (a range of the
 * people_name_index, migration 36), whose requirements alone are rated. The whole trust's list at
 * 200,000 staff is 2.2 million rows; paging the sorted list itself would sort all of them again
 * for every page, while a range of people costs what its own rows cost.
 */
export async function* requirementPeoplePages(db: Db, asOf: string, filter: RequirementFilter, peoplePerPage = PEOPLE_PER_PAGE): AsyncGenerator<RequirementPerson[]> {
  const statuses: RequirementStatus[] = filter.status ? [filter.status] : ["Red", "Amber", "Green"];
  for (const status of statuses) {
    let after: Record<string, unknown> | undefined;
    for (;;) {
      const people = await db("people")
        .modify((query) => {
          if (after) query.whereRaw(AFTER_PERSON, personKey(after, "after"));
        })
        .orderBy(["people.last_name", "people.first_name", "people.employee_number"])
        .limit(peoplePerPage)
        .select("people.last_name", "people.first_name", "people.employee_number");
      if (!people.length) break;
      const last = people.at(-1)!;
      const { bindings, holdingsWhere } = filtered(asOf, { ...filter, status });
      Object.assign(bindings, personKey(last, "last"), after ? personKey(after, "after") : {});
      const range = `${after ? `${AFTER_PERSON} and ` : ""}${UP_TO_PERSON}`;
      const inRange = ` and holdings.assignment_id in (select assignments.id from assignments join people on people.id = assignments.person_id where ${range})`;
      const rows = rawRows(await db.raw(requirementPeopleSql(holdingsWhere + inRange, "where rated.status = :status", ""), bindings));
      if (rows.length) yield rows.map(toRequirementPerson);
      if (people.length < peoplePerPage) break;
      after = last;
    }
  }
}

// Employee numbers are unique, so (last name, first name, employee number) orders people totally.
// Compared as row values, which both databases answer from the index's range (an OR of columns
// made SQLite try both sides: 50-100 ms for each range of 2,000 people at 50,000 staff).
const AFTER_PERSON = "(people.last_name, people.first_name, people.employee_number) > (:afterLast, :afterFirst, :afterNumber)";
const UP_TO_PERSON = "(people.last_name, people.first_name, people.employee_number) <= (:lastLast, :lastFirst, :lastNumber)";

function personKey(row: Record<string, unknown>, prefix: "after" | "last"): Record<string, string> {
  return { [`${prefix}Last`]: String(row.last_name), [`${prefix}First`]: String(row.first_name), [`${prefix}Number`]: String(row.employee_number) };
}

function filtered(asOf: string, filter: RequirementFilter): { bindings: Record<string, unknown>; holdingsWhere: string } {
  const bindings: Record<string, unknown> = { ...organisationSummaryBindings(asOf), red: "Red", amber: "Amber", green: "Green" };
  let holdingsWhere = "";
  if (filter.positionId !== undefined) {
    holdingsWhere += " and holdings.position_id = :positionId";
    bindings.positionId = filter.positionId;
  }
  if (filter.competencyId !== undefined) {
    holdingsWhere += " and holdings.competency_id = :competencyId";
    bindings.competencyId = filter.competencyId;
  }
  if (filter.status) bindings.status = filter.status;
  return { bindings, holdingsWhere };
}

function toRequirementPerson(row: Record<string, unknown>): RequirementPerson {
  return {
    personId: Number(row.person_id),
    employeeNumber: String(row.employee_number),
    name: `${String(row.last_name)}, ${String(row.first_name)}`,
    assignment: String(row.assignment),
    position: String(row.position),
    lineManager: row.manager_last_name === null || row.manager_last_name === undefined ? null : `${String(row.manager_last_name)}, ${String(row.manager_first_name)}`,
    competency: String(row.competency),
    status: row.status as RequirementStatus,
    expiresOn: row.held_until === null || row.held_until === undefined || row.held_until === "9999-12-31" ? null : String(row.held_until),
  };
}

function requirementPeopleSql(holdingsWhere: string, statusWhere: string, limit: string): string {
  return `
with held_on as (
  select holdings.assignment_id, holdings.competency_id, ${heldOnSql("holdings")} as held_until
  from requirement_holdings holdings
  where holdings.essential = :essential${holdingsWhere}
), rated as (
  select held_on.*, case when held_on.held_until > :amberUntil then :green when held_on.held_until > :asOf then :amber else :red end as status
  from held_on
)
select people.id as person_id, people.employee_number, people.last_name, people.first_name, assignments.number as assignment,
  positions.name as position, managers.last_name as manager_last_name, managers.first_name as manager_first_name,
  competencies.name as competency, rated.status, rated.held_until, count(*) over () as total
from rated
join assignments on assignments.id = rated.assignment_id
join people on people.id = assignments.person_id
join positions on positions.id = assignments.position_id
left join people managers on managers.id = assignments.line_manager_id
join competencies on competencies.id = rated.competency_id
${statusWhere}
order by case rated.status when :red then 0 when :amber then 1 else 2 end, people.last_name, people.first_name, people.employee_number, assignments.number, competencies.name
${limit}`;
}
