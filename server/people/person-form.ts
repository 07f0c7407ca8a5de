import { dateProblem, ProblemList } from "../problems.ts";
import { ROLES } from "../web/roles.ts";
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN, NAME_MAX_LENGTH } from "./names.ts";

/**
 * The person forms' own checks (Add a person, Details, an assignment), each problem on the id of
 * its input in people/*.ejs, all at once, before the rules shared with the CLI and the CSV
 * (service.ts) apply: those then find nothing of these left to refuse.
 */
export type PersonFormValues = Record<string, string>;

/** Names, email and date of birth: the Details form, and the top of Add a person. */
export function detailsProblems(values: PersonFormValues, today: string, problems = new ProblemList()): ProblemList {
  for (const [field, words] of [["lastName", "last name"], ["firstName", "first name"]] as const) {
    const value = values[field] ?? "";
    if (!value) problems.add(field, `Enter the ${words}`);
    else if (value.includes(",")) problems.add(field, `The ${words} cannot contain a comma`);
    else if (value.length > NAME_MAX_LENGTH) problems.add(field, `The ${words} must be ${NAME_MAX_LENGTH} characters or fewer`);
  }
  const email = values.email ?? "";
  if (!EMAIL_PATTERN.test(email)) problems.add("email", "Enter an email address, like name@example.org");
  else if (email.length > EMAIL_MAX_LENGTH) problems.add("email", `The email address must be ${EMAIL_MAX_LENGTH} characters or fewer`);
  const dob = dateOfBirthProblem(values, today);
  if (dob) problems.add("day", dob);
  return problems;
}

/** Everything on Add a person: details, the optional employee number and username, the role, and its assignment. */
export function newPersonProblems(values: PersonFormValues, today: string): ProblemList {
  const problems = detailsProblems(values, today);
  if (values.employeeNumber && !/^\d{1,20}$/.test(values.employeeNumber)) problems.add("employeeNumber", "The employee number must be 1 to 20 digits, or left empty");
  if (values.username && !/^[A-Za-z0-9._-]{3,50}$/.test(values.username)) problems.add("username", "The username must be 3 to 50 letters, digits, dots, dashes or underscores, or left empty");
  if (values.role && !(ROLES as readonly string[]).includes(values.role)) problems.add("role", "Choose a role from the list");
  if (values.number || values.position || values.startDate) assignmentProblems(values, problems);
  return problems;
}

/** An assignment: its number, position, optional start date and optional line manager (by employee number). */
export function assignmentProblems(values: PersonFormValues, problems = new ProblemList()): ProblemList {
  if (!values.number) problems.add("number", "Enter the assignment number, e.g. 24552166");
  else if (!/^\d{1,20}$/.test(values.number)) problems.add("number", "The assignment number must be 1 to 20 digits, e.g. 24552166");
  if (!values.position) problems.add("position", "Choose the position");
  if (values.startDate) {
    const problem = dateProblem(values.startDate, "The start date");
    if (problem) problems.add("startDate", problem);
  }
  if (values.lineManager && !/^\d{1,20}$/.test(values.lineManager)) problems.add("lineManager", "The line manager's employee number must be 1 to 20 digits, e.g. 20000123, or left empty");
  return problems;
}

/** Day, Month and Year as YYYY-MM-DD (checked by dateOfBirthProblem first). */
export function dateOfBirth(values: PersonFormValues): string {
  return `${values.year}-${(values.month ?? "").padStart(2, "0")}-${(values.day ?? "").padStart(2, "0")}`;
}

/** The design system's messages for a date of birth in three boxes: missing parts, not numbers, not real, not past. */
function dateOfBirthProblem(values: PersonFormValues, today: string): string | undefined {
  const { day = "", month = "", year = "" } = values;
  if (!day && !month && !year) return "Enter the date of birth";
  const missing = [!day && "a day", !month && "a month", !year && "a year"].filter(Boolean);
  if (missing.length) return `Date of birth must include ${missing.join(" and ")}`;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return "Date of birth must be numbers: day, month and year, like 12 4 1988";
  const real = dateProblem(dateOfBirth(values), "Date of birth");
  if (real) return real;
  if (dateOfBirth(values) >= today || dateOfBirth(values) < "1900-01-01") return "Date of birth must be in the past";
  return undefined;
}
