/**
 * DESIGN.md rule 5: the compliance status of a requirement as of a date. Pure: rows in, statuses
 * out, with the date passed in (never read from a clock here).
 */
import { addCalendarMonths } from "../clock.ts";

// Month arithmetic lives in clock.ts since the renewal rule (learning/crediting.ts) counts the same months.
export { addCalendarMonths };

export type ComplianceStatus = "Green" | "Amber" | "Red" | "Blue";

export interface HeldRecord {
  /** YYYY-MM-DD, or null for a competence that never expires. */
  expiresOn: string | null;
}

/** How far ahead "expiring soon" looks: the guide's "due to expire in the next 3 months". */
export const AMBER_MONTHS = 3;

/**
 * Green: held and not expiring within 3 calendar months. Amber: held, expiring within them.
 * Red: never held, or expired (a record is valid up to the day before its expiry date).
 * Blue: held, but not required by this assignment.
 */
export function complianceStatus(required: boolean, record: HeldRecord | null, asOf: string): ComplianceStatus {
  if (!required) return "Blue";
  if (!record) return "Red";
  if (record.expiresOn === null) return "Green";
  if (record.expiresOn <= asOf) return "Red";
  return record.expiresOn <= addCalendarMonths(asOf, AMBER_MONTHS) ? "Amber" : "Green";
}

/** Compliance % = (Green + Amber essential requirements) / essential requirements; 100 with none. */
export function compliancePercentage(rows: Array<{ essential: boolean; status: ComplianceStatus }>): number {
  const essential = rows.filter((row) => row.essential && row.status !== "Blue");
  if (essential.length === 0) return 100;
  const compliant = essential.filter((row) => row.status === "Green" || row.status === "Amber").length;
  return Math.round((compliant / essential.length) * 1000) / 10;
}
