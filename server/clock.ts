/**
 * Every rule takes "now" from one clock (DESIGN.md, "Time is a parameter"), so that tests and
 * demos can fix it with LMS_NOW.
 */
export interface Clock {
  now(): Date;
  /** Today's calendar date as YYYY-MM-DD, in the trust's time zone. */
  today(): string;
}

export function createClock(fixedNow?: string): Clock {
  const fixed = fixedNow === undefined ? undefined : new Date(fixedNow);
  const now = () => (fixed ? new Date(fixed) : new Date());
  return { now, today: () => toDateString(now()) };
}

/**
 * A clock that starts at `start` and runs on in real time (LMS_NOW): a demo replaying a date
 * still sees time pass, so a subscription comes before the learning played after it (rule 1).
 * Restarting the process starts it at `start` again.
 */
export function createRunningClock(start: string): Clock {
  const offset = new Date(start).getTime() - Date.now();
  const now = () => new Date(Date.now() + offset);
  return { now, today: () => toDateString(now()) };
}

export function toDateString(date: Date): string {
  return localDate(date);
}

/** Whether a string is a real date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * A date a report or page may be "as of": a calendar date from 1900 to 2999. Later ones would
 * push "within 3 months" past year 9999, where dates stop sorting as text.
 */
export function isAsOfDate(value: string): boolean {
  return isCalendarDate(value) && value >= "1900-01-01" && value <= "2999-12-31";
}

/** Adds whole days to a YYYY-MM-DD date, in UTC so that clock changes never shift a date. */
export function addDays(date: string, days: number): string {
  const result = new Date(`${date}T00:00:00Z`);
  result.setUTCDate(result.getUTCDate() + days);
  return result.toISOString().slice(0, 10);
}

/**
 * The trust's time zone (TIME_ZONE, Europe/London unless set), in which every moment becomes a
 * calendar date: learning finished at 00:30 on a summer night in London was finished that day,
 * not the day before as UTC would have it, and so are its completion, expiry and complete-by
 * checks. Moments are stored as UTC instants; only their dates and times as people read them
 * depend on this. Set once at start (boot-context.ts), like the locale.
 */
export const DEFAULT_TIME_ZONE = "Europe/London";
let zoned = formatsFor(DEFAULT_TIME_ZONE);

export function setTrustTimeZone(timeZone: string): void {
  zoned = formatsFor(timeZone);
}

export function trustTimeZone(): string {
  return zoned.timeZone;
}

/** A moment's calendar date in the trust's time zone, as YYYY-MM-DD. */
export function localDate(moment: Date | string): string {
  return zoned.date.format(new Date(moment));
}

/** A moment's wall-clock time in the trust's time zone, as HH:MM. */
export function localTime(moment: Date | string): string {
  return zoned.time.format(new Date(moment));
}

/** The instant a calendar date begins in the trust's time zone, as an ISO string: "as of a date" means before the next one begins. */
export function startOfLocalDay(date: string): string {
  const target = Date.parse(`${date}T00:00:00Z`);
  let guess = target;
  // Two corrections settle it: the second only matters when the first lands across a clock change.
  for (let i = 0; i < 2; i++) guess -= Date.parse(`${localDate(new Date(guess))}T${localTime(new Date(guess))}:00Z`) - target;
  return new Date(guess).toISOString();
}

/** Throws a RangeError naming the zone when the runtime does not know it. */
function formatsFor(timeZone: string) {
  return {
    timeZone,
    // en-CA writes dates as YYYY-MM-DD.
    date: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
    time: new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  };
}

export function isTimeZone(value: string): boolean {
  try {
    formatsFor(value);
    return true;
  } catch {
    return false;
  }
}

/** Adds calendar months, keeping the day but clamping to the month's end (31 Jan + 1 = 28/29 Feb). */
export function addCalendarMonths(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
