import { rawRows, type Db } from "../db/connect.ts";
import { addCalendarMonths, AMBER_MONTHS } from "./status.ts";
import { heldOnSql } from "./organisation-summary-reads.ts";

/** The trust's essential requirements on one date: the report's trend, a point a month. */
export interface TrendPoint {
  /** YYYY-MM-DD: a month's last day, or the date the report is as of. */
  asOf: string;
  required: number;
  green: number;
  amber: number;
  red: number;
  /** (Green + Amber) / required, as on the summary and each learner's page (rule 5). */
  percentage: number;
}

/**
 * The dates of a trend ending on `asOf`: the last day of each of the months before asOf's month,
 * then asOf itself, `points` in all, oldest first. A month still under way is shown as it stands
 * on asOf, not at an end it has not reached.
 */
export function trendDates(asOf: string, points = 12): string[] {
  const [year, month] = asOf.split("-").map(Number) as [number, number];
  const dates: string[] = [];
  for (let back = points - 1; back >= 1; back -= 1) dates.push(new Date(Date.UTC(year, month - back, 0)).toISOString().slice(0, 10));
  return [...dates, asOf];
}

/**
 * Compliance across the trust on each of several dates, in one set-based statement: every
 * essential requirement of every assignment (requirement_holdings) crossed with the dates, each
 * read as the summary reads it (the stored best expiry, or the records held then where the latest
 * was achieved after that date). So a month's figures are exactly what the summary would show as
 * of its end. Positions and requirements are today's: the trend shows how the people who hold
 * them stood, month by month.
 */
export async function complianceTrend(db: Db, dates: string[]): Promise<TrendPoint[]> {
  if (dates.length === 0) return [];
  const bindings: Record<string, string | boolean> = { essential: true };
  const selects = dates.map((date, index) => {
    bindings[`date${index}`] = date;
    bindings[`amberUntil${index}`] = addCalendarMonths(date, AMBER_MONTHS);
    return `select cast(:date${index} as varchar(10)) as as_of, cast(:amberUntil${index} as varchar(10)) as amber_until`;
  });
  const rows = rawRows(await db.raw(trendSql(selects.join(" union all ")), bindings));
  const byDate = new Map(rows.map((row) => [String(row.as_of), row]));
  return dates.map((asOf) => {
    const row = byDate.get(asOf);
    const required = Number(row?.required ?? 0);
    const green = Number(row?.green ?? 0);
    const amber = Number(row?.amber ?? 0);
    return { asOf, required, green, amber, red: required - green - amber, percentage: required === 0 ? 100 : Math.round(((green + amber) / required) * 1000) / 10 };
  });
}

function trendSql(dates: string): string {
  return `
with dates as (${dates}), held as (
  select dates.as_of, dates.amber_until, ${heldOnSql("holdings", "dates.as_of")} as held_until
  from dates cross join requirement_holdings holdings
  where holdings.essential = :essential
)
select as_of, count(*) as required,
  sum(case when held_until > amber_until then 1 else 0 end) as green,
  sum(case when held_until > as_of and held_until <= amber_until then 1 else 0 end) as amber
from held
group by as_of`;
}
