/**
 * Every rule takes "now" from one clock (DESIGN.md, "Time is a parameter"), so that tests and
 * demos can fix it with LMS_NOW.
 */
export interface Clock {
  now(): Date;
  /** Today's calendar date as YYYY-MM-DD (UTC). */
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
  return date.toISOString().slice(0, 10);
}

/** Adds whole days to a YYYY-MM-DD date, in UTC so that clock changes never shift a date. */
export function addDays(date: string, days: number): string {
  const result = new Date(`${date}T00:00:00Z`);
  result.setUTCDate(result.getUTCDate() + days);
  return toDateString(result);
}
