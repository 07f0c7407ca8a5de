import { localDate, localTime } from "../clock.ts";
import { dateProblem, ProblemList, type Problem } from "../problems.ts";

/**
 * Classroom classes: what a class form means, and what applying for a class does. Pure: facts in,
 * outcomes out, with "now" passed in.
 */

export interface ClassForm {
  title: string;
  date: string;
  startTime: string;
  endTime: string;
  venue: string;
  capacity: string;
  requiresApproval: boolean;
}

export interface ClassFacts {
  title: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  capacity: number;
  requiresApproval: boolean;
}

/**
 * A class form checked: every problem at once, each on its field (the inputs' ids), or the class
 * with its start and end as instants (the form's date and times are the trust's wall clock). A new
 * class, or one moved, must start after now; an unchanged start may lie in the past (a capacity
 * raised after the event, say).
 */
export function checkClassForm(form: ClassForm, now: string, unchangedStart?: string): { problems: Problem[] } | { problems: []; facts: ClassFacts } {
  const problems = new ProblemList();
  if (!form.title) problems.add("title", "Enter the class title");
  else if (form.title.length > 300) problems.add("title", "The class title must be 300 characters or fewer");
  const dateProblemText = !form.date ? "Enter the date of the class" : dateProblem(form.date, "The date");
  if (dateProblemText) problems.add("date", dateProblemText);
  else if (form.date < "2000-01-01" || form.date > "2999-12-31") problems.add("date", "The date must be between 2000-01-01 and 2999-12-31");
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  const startOk = time.test(form.startTime);
  const endOk = time.test(form.endTime);
  // In the page's order, so that the summary reads as the form does.
  if (!problems.has("date") && startOk && localInstant(form.date, form.startTime) !== unchangedStart && localInstant(form.date, form.startTime) <= now) {
    problems.add("date", "The class must start in the future");
  }
  if (!startOk) problems.add("startTime", "Enter the start time as hours and minutes, for example 09:30");
  if (!endOk) problems.add("endTime", "Enter the end time as hours and minutes, for example 16:00");
  else if (startOk && form.endTime <= form.startTime) problems.add("endTime", "The end time must be after the start time");
  if (!form.venue) problems.add("venue", "Enter the venue");
  else if (form.venue.length > 300) problems.add("venue", "The venue must be 300 characters or fewer");
  const capacity = /^\d{1,6}$/.test(form.capacity) ? Number(form.capacity) : Number.NaN;
  if (!Number.isInteger(capacity) || capacity < 1) problems.add("capacity", "Capacity must be a whole number of places, 1 or more");
  if (!problems.empty) return { problems: problems.problems };
  const startsAt = localInstant(form.date, form.startTime);
  const endsAt = localInstant(form.date, form.endTime);
  return { problems: [], facts: { title: form.title, startsAt, endsAt, venue: form.venue, capacity, requiresApproval: form.requiresApproval } };
}

/** A class's start and end as the form shows them again. */
export function formOf(facts: ClassFacts): ClassForm {
  return { title: facts.title, date: localDate(facts.startsAt), startTime: localTime(facts.startsAt), endTime: localTime(facts.endsAt), venue: facts.venue, capacity: String(facts.capacity), requiresApproval: facts.requiresApproval };
}

/**
 * A wall-clock date and time in the trust's time zone as an ISO instant: the instant whose local
 * date and time read so (two corrections settle it, as startOfLocalDay does, across a clock change).
 */
export function localInstant(date: string, time: string): string {
  const target = Date.parse(`${date}T${time}:00Z`);
  let guess = target;
  for (let i = 0; i < 2; i++) guess -= Date.parse(`${localDate(new Date(guess))}T${localTime(new Date(guess))}:00Z`) - target;
  return new Date(guess).toISOString();
}

/**
 * Apply: a request awaiting approval when the class says so; otherwise a place when one is left,
 * else the waiting list. Approving a request is the same decision without the approval.
 */
export function placeFor(classFacts: { capacity: number; requiresApproval: boolean }, placesTaken: number, approved: boolean): "Requested" | "Enrolled" | "Waiting List" {
  if (classFacts.requiresApproval && !approved) return "Requested";
  return placesTaken < classFacts.capacity ? "Enrolled" : "Waiting List";
}

/** "3 places left", "1 place left", or that it is full. */
export function placesLeftLabel(capacity: number, placesTaken: number): string {
  const left = Math.max(0, capacity - placesTaken);
  if (left === 0) return "Full - join the waiting list";
  return `${left} ${left === 1 ? "place" : "places"} left`;
}
