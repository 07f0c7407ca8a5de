import { localDate, localTime } from "../clock.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The guide's date form: 2020-10-18 -> 18-Oct-2020; a moment shows its date in the trust's time zone. */
export function guideDate(date: string | null): string {
  if (!date) return "";
  const [year, month, day] = (date.length > 10 ? localDate(date) : date).split("-");
  return `${day}-${MONTHS[Number(month) - 1]}-${year}`;
}

/** A moment as people there read it: 01-Jul-2026 00:30, in the trust's time zone. */
export function guideDateTime(moment: string | null): string {
  return moment ? `${guideDate(moment)} ${localTime(moment)}` : "";
}

/** "NHS|CSTF|Fire Safety - 1 Year|" as people read it: the trailing separator adds nothing. */
export function competencyLabel(name: string): string {
  return name.replace(/\|+$/, "");
}

/** 90 -> "90.0%", as the compliance page shows it. */
export function percentage(value: number): string {
  return `${value.toFixed(1)}%`;
}

/** A competence record's source in words: "manual" and "transfer" are the database's. */
export function sourceLabel(source: string): string {
  return ({ certification: "Learning certification", manual: "Recorded from elsewhere", transfer: "Transferred from another organisation" } as Record<string, string>)[source] ?? source;
}
