import type { Knex } from "knex";

// Repairs the times the runtime stored before it bounded them (issue 17). A SCORM 1.2
// session_time of 400 digits of hours was read as Infinity and stored as the SCO's session and
// total time (SQLite keeps a REAL Infinity in a bigint column); the SCO's next commit computed
// Infinity - Infinity = NaN and could never be written again. On PostgreSQL a 2004 session_time
// of "P100000000Y" fitted a bigint, but an attempt whose SCOs added up past 9.2e18 could not be
// written either. The runtime now refuses such a session_time (longer than 9999:59:59.99, the
// most a 1.2 CMITimespan can say) and reads a stored time defensively; this makes the stored rows
// what the runtime would have kept:
//   - a session time beyond 9999:59:59.99 is a report the runtime now refuses: it is taken out
//     of the SCO's total (which held it, when the total is still a number) and set to 0;
//   - a total that is no finite number lost what it counted, and is 0 (as the runtime reads it);
//     one past 2^53 - 1 ms, which no session of the bounded length adds up to, is clamped there;
//   - an attempt's total is its SCOs' repaired totals added up, clamped the same way, as every
//     commit computes it.
// Only rows outside those bounds are touched; rows the runtime wrote since are within them.
// The bounds are MAX_TIMESPAN_MS and MAX_TOTAL_MS of server/runtime/time.ts then,
// server/scorm/time.ts now (a migration imports nothing from server/).
const MAX_SESSION_MS = "35999999990";
const MAX_TOTAL_MS = "9007199254740991";
const BIGINT_MAX = "9223372036854775807";
// The largest double: SQLite's Infinity is above it, every finite number below (PostgreSQL's
// bigint is always finite).
const DOUBLE_MAX = "1.7976931348623157e308";

export async function up(knex: Knex): Promise<void> {
  const postgres = knex.client.config.client === "pg";
  // PostgreSQL's sum of bigint is numeric; SQLite's total() is a double: neither overflows.
  const sum = (expression: string) => (postgres ? `coalesce(sum(${expression}), 0)` : `total(${expression})`);
  const least = (a: string, b: string) => (postgres ? `least(${a}, ${b})` : `min(${a}, ${b})`);
  // The attempts first, from their SCOs' totals as they will be repaired below.
  await knex.raw(`UPDATE attempts SET total_time_ms = (SELECT ${least(MAX_TOTAL_MS, sum(repairedTotal("s")))} FROM attempt_scos s WHERE s.attempt_id = attempts.id)
    WHERE NOT (total_time_ms BETWEEN 0 AND ${MAX_TOTAL_MS}) OR EXISTS (SELECT 1 FROM attempt_scos s WHERE s.attempt_id = attempts.id AND ${unbounded("s")})`);
  await knex.raw(`UPDATE attempt_scos SET total_time_ms = ${repairedTotal("attempt_scos")},
    session_time_ms = CASE WHEN session_time_ms BETWEEN 0 AND ${MAX_SESSION_MS} THEN session_time_ms ELSE 0 END
    WHERE ${unbounded("attempt_scos")}`);
}

export async function down(): Promise<void> {
  // Nothing to undo: what the repaired rows held was no time anyone could use.
}

function unbounded(sco: string): string {
  return `(NOT (${sco}.session_time_ms BETWEEN 0 AND ${MAX_SESSION_MS}) OR NOT (${sco}.total_time_ms BETWEEN 0 AND ${MAX_TOTAL_MS}))`;
}

/** The SCO's total without a session report beyond the bound, then as a time the runtime keeps. */
function repairedTotal(sco: string): string {
  const [session, total] = [`${sco}.session_time_ms`, `${sco}.total_time_ms`];
  const withoutSession = `(CASE WHEN ${session} > ${MAX_SESSION_MS} AND ${total} BETWEEN ${session} AND ${BIGINT_MAX} THEN ${total} - ${session} ELSE ${total} END)`;
  return `(CASE WHEN ${withoutSession} BETWEEN 0 AND ${MAX_TOTAL_MS} THEN ${withoutSession}
    WHEN ${withoutSession} > ${MAX_TOTAL_MS} AND ${withoutSession} <= ${DOUBLE_MAX} THEN ${MAX_TOTAL_MS} ELSE 0 END)`;
}
