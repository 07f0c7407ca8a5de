import { rawRows, type Db } from "../db/connect.ts";
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
 * every assignment's essential requirements and the best approved record held for each by that
 * date (no query per person), so that it stays fast for a trust of 50,000 staff
 * (bench/compliance.ts).
 */
export async function organisationSummary(db: Db, asOf: string): Promise<PositionCompliance[]> {
  const rows = await db.raw(ORGANISATION_SUMMARY_SQL, organisationSummaryBindings(asOf));
  return rawRows(rows).map((row) => ({ positionId: Number(row.position_id), position: String(row.position), assignments: Number(row.assignments), ...counted(row) }));
}

export interface CompetencyCompliance {
  competencyId: number;
  competency: string;
  /** Assignments requiring it as essential. */
  required: number;
  green: number;
  amber: number;
  red: number;
  percentage: number;
}

/** Compliance across the organisation as of a date, per competency (the same statement, grouped by competency). */
export async function competencySummary(db: Db, asOf: string): Promise<CompetencyCompliance[]> {
  const rows = await db.raw(COMPETENCY_SUMMARY_SQL, organisationSummaryBindings(asOf));
  return rawRows(rows).map((row) => ({ competencyId: Number(row.competency_id), competency: String(row.competency), ...counted(row) }));
}

function counted(row: Record<string, unknown>) {
  const required = Number(row.required);
  const green = Number(row.green);
  const amber = Number(row.amber);
  return { required, green, amber, red: required - green - amber, percentage: required === 0 ? 100 : Math.round(((green + amber) / required) * 1000) / 10 };
}

// Read from requirement_holdings (migration 18), which the database keeps beside each assignment's
// requirements: the best approved record's expiry ('9999-12-31' for one that never expires), as
// on the learner's page (assignment-compliance.ts). Where the latest record was achieved after
// the date asked about, the records held on that date decide instead: for today none are, so
// the summary is one scan of a covering index. (A requirement never held has neither date, so
// its comparisons are null and it counts as Red.) The look-back is a CTE of its own
// ("materialized", on both databases): inlined, SQLite read it in position order through the
// summary's covering index, a second scan of every requirement, rather than seeking the few whose
// latest record came after the date (0.75 s against 0.65 s at 200,000 staff, bench:trusts).
/**
 * For a requirement_holdings row (`alias`) whose latest record was achieved after :asOf, the best
 * approved expiry held on :asOf, from the records themselves (the one look-back every report uses).
 */
export function heldThenSql(alias: string): string {
  return `select max(coalesce(competence_records.expires_on, '9999-12-31'))
     from competence_records join assignments on assignments.person_id = competence_records.person_id
     where assignments.id = ${alias}.assignment_id and competence_records.competency_id = ${alias}.competency_id
       and competence_records.status = 'approved' and competence_records.achieved_on <= :asOf`;
}

/** The best approved expiry held on :asOf for a requirement_holdings row: stored, unless a later record makes the records decide. */
export function heldOnSql(alias: string): string {
  return `case when ${alias}.latest_achieved_on is null or ${alias}.latest_achieved_on <= :asOf then ${alias}.held_until else (${heldThenSql(alias)}) end`;
}

function heldCounts(group: "position_id" | "competency_id"): string {
  return `settled as (
  select ${group}, count(*) as required,
    sum(case when latest_achieved_on <= :asOf and held_until > :amberUntil then 1 else 0 end) as green,
    sum(case when latest_achieved_on <= :asOf and held_until > :asOf and held_until <= :amberUntil then 1 else 0 end) as amber
  from requirement_holdings
  where essential = :essential
  group by ${group}
), held_then as materialized (
  select holdings.${group}, (${heldThenSql("holdings")}) as held_until
  from requirement_holdings holdings
  where holdings.latest_achieved_on > :asOf and holdings.essential = :essential
), looked_back as (
  select ${group},
    sum(case when held_until > :amberUntil then 1 else 0 end) as green,
    sum(case when held_until > :asOf and held_until <= :amberUntil then 1 else 0 end) as amber
  from held_then
  group by ${group}
)`;
}

export const ORGANISATION_SUMMARY_SQL = `
with ${heldCounts("position_id")}, staffed as (
  select position_id, count(*) as assignments from assignments group by position_id
)
select positions.id as position_id, positions.name as position, staffed.assignments, settled.required,
  settled.green + coalesce(looked_back.green, 0) as green, settled.amber + coalesce(looked_back.amber, 0) as amber
from settled
join positions on positions.id = settled.position_id
join staffed on staffed.position_id = settled.position_id
left join looked_back on looked_back.position_id = settled.position_id
order by positions.name`;

/** The same counts per competency: every assignment that requires it as essential. */
export const COMPETENCY_SUMMARY_SQL = `
with ${heldCounts("competency_id")}
select competencies.id as competency_id, competencies.name as competency, settled.required,
  settled.green + coalesce(looked_back.green, 0) as green, settled.amber + coalesce(looked_back.amber, 0) as amber
from settled
join competencies on competencies.id = settled.competency_id
left join looked_back on looked_back.competency_id = settled.competency_id
order by competencies.name`;

export function organisationSummaryBindings(asOf: string) {
  return { asOf, amberUntil: addCalendarMonths(asOf, AMBER_MONTHS), essential: true };
}
