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
  if (page) Object.assign(bindings, page);
  const rows = rawRows(await db.raw(requirementPeopleSql(holdingsWhere, filter.status ? "where rated.status = :status" : "", page ? "limit :limit offset :offset" : ""), bindings));
  const total = rows.length ? Number(rows[0]!.total) : page && page.offset > 0 ? (await requirementPeople(db, asOf, filter)).total : 0;
  return {
    total,
    rows: rows.map((row) => ({
      personId: Number(row.person_id),
      employeeNumber: String(row.employee_number),
      name: `${String(row.last_name)}, ${String(row.first_name)}`,
      assignment: String(row.assignment),
      position: String(row.position),
      lineManager: row.manager_last_name === null || row.manager_last_name === undefined ? null : `${String(row.manager_last_name)}, ${String(row.manager_first_name)}`,
      competency: String(row.competency),
      status: row.status as RequirementStatus,
      expiresOn: row.held_until === null || row.held_until === undefined || row.held_until === "9999-12-31" ? null : String(row.held_until),
    })),
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
