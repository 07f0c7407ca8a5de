import type { Db } from "../db/connect.ts";
import { heldOnSql, organisationSummaryBindings } from "./organisation-summary-reads.ts";
import { rawRows } from "../db/connect.ts";

export interface ExpiringCompetency {
  personId: number;
  employeeNumber: string;
  name: string;
  assignment: string;
  position: string;
  competency: string;
  /** YYYY-MM-DD: within 3 calendar months of the date asked about (the Amber rows of rule 5). */
  expiresOn: string;
}

/**
 * Every essential requirement held as of a date that expires within the next 3 calendar months:
 * the Amber rows of every learner's page, in one set-based statement (requirement_holdings,
 * looking back to the records where the latest was achieved after that date), soonest first.
 */
export async function expiringCompetencies(db: Db, asOf: string): Promise<ExpiringCompetency[]> {
  return rawRows(await db.raw(expiringSql(false), organisationSummaryBindings(asOf))).map(toExpiring);
}

/**
 * The soonest `limit` of them, and how many there are in all: the Reports page lists a screenful
 * and links the CSV for the rest (at 200,000 staff some 150,000 rows, tens of megabytes of page).
 */
export async function soonestExpiring(db: Db, asOf: string, limit: number): Promise<{ rows: ExpiringCompetency[]; total: number }> {
  const rows = rawRows(await db.raw(expiringSql(false, true, true), { ...organisationSummaryBindings(asOf), limit }));
  return { rows: rows.map(toExpiring), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/** Rows an expiring CSV reads at a time. */
export const EXPIRING_PAGE = 10_000;

/**
 * expiringCompetencies' rows in the same order, a page at a time (the rows after the last page's,
 * by expiry, name, competency, employee and assignment number): the CSV holds one page, never the
 * 150,000 of a 200,000-staff trust.
 */
export async function* expiringCompetencyPages(db: Db, asOf: string, pageSize = EXPIRING_PAGE): AsyncGenerator<ExpiringCompetency[]> {
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const bindings: Record<string, unknown> = { ...organisationSummaryBindings(asOf), limit: pageSize };
    if (after) Object.assign(bindings, { afterExpiry: after.expires_on, afterLast: after.last_name, afterFirst: after.first_name, afterCompetency: after.competency, afterNumber: after.employee_number, afterAssignment: after.assignment });
    const rows = rawRows(await db.raw(expiringSql(after !== undefined, true), bindings));
    if (rows.length) yield rows.map(toExpiring);
    if (rows.length < pageSize) return;
    after = rows.at(-1);
  }
}

function toExpiring(row: Record<string, unknown>): ExpiringCompetency {
  return {
    personId: Number(row.person_id),
    employeeNumber: String(row.employee_number),
    name: `${String(row.last_name)}, ${String(row.first_name)}`,
    assignment: String(row.assignment),
    position: String(row.position),
    competency: String(row.competency),
    expiresOn: String(row.expires_on),
  };
}

// The order ends with the employee and assignment numbers, so that it is total and a page can
// begin after the last row of the one before (a person may hold two assignments needing one competency).
const AFTER = `and (held_on.held_until, people.last_name, people.first_name, competencies.name, people.employee_number, assignments.number) > (:afterExpiry, :afterLast, :afterFirst, :afterCompetency, :afterNumber, :afterAssignment)`;

function expiringSql(after: boolean, limit = false, total = false): string {
  return `
with held_on as (
  select holdings.assignment_id, holdings.competency_id, ${heldOnSql("holdings")} as held_until
  from requirement_holdings holdings
  where holdings.essential = :essential and holdings.latest_achieved_on is not null
)
select people.id as person_id, people.employee_number, people.last_name, people.first_name, assignments.number as assignment, positions.name as position,
  competencies.name as competency, held_on.held_until as expires_on${total ? ", count(*) over () as total" : ""}
from held_on
join assignments on assignments.id = held_on.assignment_id
join people on people.id = assignments.person_id
join positions on positions.id = assignments.position_id
join competencies on competencies.id = held_on.competency_id
where held_on.held_until > :asOf and held_on.held_until <= :amberUntil ${after ? AFTER : ""}
order by held_on.held_until, people.last_name, people.first_name, competencies.name, people.employee_number, assignments.number${limit ? "\nlimit :limit" : ""}`;
}
