import { isAsOfDate } from "../clock.ts";
import { dateProblem, type Problem } from "../problems.ts";

/** The As of field on a report: the date read, what was typed (to show again), and its problem, if any. */
export interface ReportDate {
  /** YYYY-MM-DD: the date asked for, or today when the field is empty or wrong. */
  asOf: string;
  entered: string;
  problems: Problem[];
}

/** The field's id on every report form, which the error summary links to. */
export const AS_OF_FIELD = "asOf";

/**
 * Reads ?asOf= from a report's form: empty means today; anything else must be a real date (the
 * design system's date messages, problems.ts) within the years the reports can look at. A wrong
 * one is told beside the field rather than answered with an error page.
 */
export function reportDate(value: unknown, today: string): ReportDate {
  const entered = typeof value === "string" ? value.trim() : "";
  if (!entered) return { asOf: today, entered: today, problems: [] };
  const problem = dateProblem(entered, "The As of date") ?? (isAsOfDate(entered) ? undefined : "The As of date must be between 1900-01-01 and 2999-12-31");
  return problem ? { asOf: today, entered: entered.slice(0, 40), problems: [{ field: AS_OF_FIELD, message: problem }] } : { asOf: entered, entered, problems: [] };
}
