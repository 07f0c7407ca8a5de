import type { Db } from "../db/connect.ts";
import { addCalendarMonths, AMBER_MONTHS } from "./status.ts";

export interface PositionCompliance {
  positionId: number;
  position: string;
  assignments: number;
  /** Essential requirements across every assignment of the position. */
  required: number;
  green: number;
  amber: number;
  red: number;
  /** (Green + Amber) / required, as on each learner's page (rule 5). */
  percentage: number;
}

/**
 * Compliance across the organisation as of a date, per position: one set-based statement over
 * every assignment's essential requirements and the best approved record held for each (no query
 * per person), so that it stays fast for a trust of 50,000 staff (bench/compliance.ts).
 */
export async function organisationSummary(db: Db, asOf: string): Promise<PositionCompliance[]> {
  const rows = await db.raw(ORGANISATION_SUMMARY_SQL, organisationSummaryBindings(asOf));
  const list = (Array.isArray(rows) ? rows : rows.rows) as Array<Record<string, unknown>>;
  return list.map((row) => {
    const required = Number(row.required);
    const green = Number(row.green);
    const amber = Number(row.amber);
    return {
      positionId: Number(row.position_id),
      position: String(row.position),
      assignments: Number(row.assignments),
      required,
      green,
      amber,
      red: required - green - amber,
      percentage: required === 0 ? 100 : Math.round(((green + amber) / required) * 1000) / 10,
    };
  });
}

// A record never expiring counts as held until the end of time; the best record per person and
// competency decides, as on the learner's page (assignment-compliance.ts). Staff are counted apart
// from the requirements: a count(distinct) over every requirement row cost a third of the time.
export const ORGANISATION_SUMMARY_SQL = `
with held as (
  select person_id, competency_id, max(coalesce(expires_on, '9999-12-31')) as held_until
  from competence_records
  where status = 'approved'
  group by person_id, competency_id
), counted as (
  select assignments.position_id,
    count(*) as required,
    sum(case when held.held_until > :amberUntil then 1 else 0 end) as green,
    sum(case when held.held_until > :asOf and held.held_until <= :amberUntil then 1 else 0 end) as amber
  from assignments
  join competence_requirements on competence_requirements.position_id = assignments.position_id and competence_requirements.essential = :essential
  left join held on held.person_id = assignments.person_id and held.competency_id = competence_requirements.competency_id
  group by assignments.position_id
), staffed as (
  select position_id, count(*) as assignments from assignments group by position_id
)
select positions.id as position_id, positions.name as position, staffed.assignments, counted.required, counted.green, counted.amber
from counted
join positions on positions.id = counted.position_id
join staffed on staffed.position_id = counted.position_id
order by positions.name`;

export function organisationSummaryBindings(asOf: string) {
  return { asOf, amberUntil: addCalendarMonths(asOf, AMBER_MONTHS), essential: true };
}
