import type { ScormVersion } from "./contract.ts";

/**
 * SCORM time spans to milliseconds and back, and the server's own total time.
 *
 * SCORM 1.2 RTE 3.4 (data type CMITimespan): HHHH:MM:SS.SS, hours of two to four digits,
 * optional hundredths. scorm-again 3.4.3 also takes one digit of hours (real content writes
 * "0:01:30"), and so does the parser. It takes more than four as well, but those are refused
 * here: 400 digits of hours are not even a number (Infinity), and stored as a session's time they
 * broke every later commit of the SCO (issue 17).
 *
 * SCORM 2004 RTE 4.1 (data type timeinterval (second,10,2)): an ISO 8601 duration,
 * PnYnMnWnDTnHnMnS. Years and months have no fixed length; like the reference implementations we
 * take a year as 365.25 days and a month as a twelfth of that (30.4375 days), a week as 7 days.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;
const MONTH = YEAR / 12;
const WEEK = 7 * DAY;

const CMI_TIMESPAN = /^(\d{1,4}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$/;
const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
// T is optional before the time part because scorm-again accepts "P1H"; "P1M" is then a month.
const ISO_DURATION = new RegExp(`^P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T?(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);

/**
 * The longest span the runtime takes: 9999:59:59.99 (about 416 days), the most a 1.2
 * CMITimespan can say with its four digits of hours. SCORM 2004's timeinterval sets no maximum,
 * but a span must be a number to be added to a total: "P" and 400 digits of years parse to
 * Infinity, and 1e20 ms overflows PostgreSQL's bigint, either of which made the SCO's next write
 * fail, and with it every other learner's commit in the same transaction (issue 17). No real
 * session or latency comes near 416 days, so a 2004 span beyond the 1.2 limit is refused as out
 * of range (407) rather than clamped: refused, it stores nothing, where a clamp would store a
 * made-up figure as the learner's time.
 */
export const MAX_TIMESPAN_MS = 9999 * HOUR + 59 * MINUTE + 59 * SECOND + 990;

/**
 * The most a total (a SCO's, an attempt's) holds; beyond it, it is clamped (boundedMs). The columns
 * are bigint on both databases (up to 9.2e18), but a JS number is exact only up to 2^53 - 1, and
 * the total's bookkeeping (total - last report + new report) must be exact. About 285,000 years,
 * or 250,000 sessions of the longest span: only a broken or forged row gets there.
 */
export const MAX_TOTAL_MS = Number.MAX_SAFE_INTEGER;

/** Any number as a time the server may keep: whole milliseconds from 0 to MAX_TOTAL_MS; NaN is 0. */
export function boundedMs(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.min(Math.max(Math.round(ms), 0), MAX_TOTAL_MS);
}

/** "0001:30:05.5" -> 5_405_500; null when it is no CMITimespan (five or more digits of hours included). */
export function parseCmiTimespan(value: string): number | null {
  const match = CMI_TIMESPAN.exec(value);
  if (!match) return null;
  const [, hours, minutes, seconds, fraction] = match;
  const hundredths = fraction === undefined ? 0 : Number(fraction.padEnd(2, "0"));
  return Number(hours) * HOUR + Number(minutes) * MINUTE + Number(seconds) * SECOND + hundredths * 10;
}

/** 5_405_500 -> "01:30:05.50"; hundredths are kept, longer spans stop at 9999:59:59.99. */
export function formatCmiTimespan(ms: number): string {
  const centis = Math.round(Math.min(Math.max(ms, 0), MAX_TIMESPAN_MS) / 10);
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6_000);
  const seconds = Math.floor((centis % 6_000) / 100);
  const hundredths = centis % 100;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(hundredths)}`;
}

/**
 * "PT1H30M5.5S" -> 5_405_500; "P1M" is a month (see above); null when it is no duration. Any
 * length is read (Infinity for hundreds of digits): the validation refuses what is beyond
 * MAX_TIMESPAN_MS.
 */
export function parseIsoDuration(value: string): number | null {
  const match = ISO_DURATION.exec(value);
  if (!match) return null;
  const units = [YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND];
  let ms = 0;
  units.forEach((unit, index) => {
    const part = match[index + 1];
    if (part !== undefined) ms += Number(part.replace(",", ".")) * unit;
  });
  return Math.round(ms);
}

/**
 * 5_405_500 -> "PT1H30M5.5S". Only hours, minutes and seconds (to the hundredth), so that no
 * approximation of months or years is ever written back. Longer spans stop at MAX_TIMESPAN_MS, as
 * in 1.2, so that a session_time the player reports for the SCO is never one the server refuses.
 */
export function formatIsoDuration(ms: number): string {
  const centis = Math.round(Math.min(Math.max(ms, 0), MAX_TIMESPAN_MS) / 10);
  if (centis === 0) return "PT0S";
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6_000);
  const seconds = (centis % 6_000) / 100;
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds ? `${Number(seconds.toFixed(2))}S` : ""}`;
}

export function parseTimespan(version: ScormVersion, value: string): number | null {
  return version === "1.2" ? parseCmiTimespan(value) : parseIsoDuration(value);
}

export function formatTimespan(version: ScormVersion, ms: number): string {
  return version === "1.2" ? formatCmiTimespan(ms) : formatIsoDuration(ms);
}

/**
 * A SCO's time as the server keeps it. `totalMs` includes the open session's latest
 * session_time, `sessionMs` is that latest value, so that a SCO that reports its session_time
 * with every commit (most do: it is the time since Initialize) is counted once. Both stay within
 * boundedMs whatever they are given, and the total never falls below the session.
 */
export interface ScoTime {
  totalMs: number;
  sessionMs: number;
}

/** A commit reported the open session's session_time: it replaces the previous report. */
export function recordSessionTime(time: ScoTime, sessionMs: number): ScoTime {
  const closedMs = Math.max(0, time.totalMs - time.sessionMs);
  const session = boundedMs(sessionMs);
  return { totalMs: boundedMs(closedMs + session), sessionMs: session };
}

/** A new session starts (state fetch): the last session's time stays in the total, closed. */
export function startSession(time: ScoTime): ScoTime {
  return { totalMs: boundedMs(time.totalMs), sessionMs: 0 };
}
