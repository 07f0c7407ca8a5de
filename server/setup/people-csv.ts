import { parse } from "csv-parse/sync";
import { isCalendarDate } from "../clock.ts";
import { ROLE_LABELS, ROLES, type Role } from "../web/roles.ts";
import { personSchema, type Catalog } from "../catalog/index.ts";

/**
 * People and assignments from a spreadsheet saved as CSV: one row per assignment, so a person with
 * two assignments has two rows with the same details. Every problem names its row (as the
 * spreadsheet numbers it, header = row 1) and column.
 */
export const PEOPLE_CSV_COLUMNS = ["Employee Number", "Last Name", "First Name", "Email", "Date of Birth", "Username", "Role", "Assignment Number", "Position", "Assignment Start Date", "Line Manager Employee Number"] as const;
type Column = (typeof PEOPLE_CSV_COLUMNS)[number];
const REQUIRED: Column[] = ["Last Name", "First Name", "Email", "Date of Birth"];

export const PEOPLE_CSV_MAX_ROWS = 5000;

export type CatalogPerson = Catalog["people"][number];

export interface PeopleFromCsv {
  people: CatalogPerson[];
  /** For each person, the spreadsheet rows it came from (its first row holds its details); for each assignment, its row. */
  rowsOf: Array<{ person: number; assignments: number[] }>;
  problems: string[];
  /** Rows refused for problems of their own, as far as they read: still checked against the database, so one upload tells every problem. */
  refused: Array<{ row: number; person: CatalogPerson }>;
}

export function readPeopleCsv(text: string, today: string): PeopleFromCsv {
  const empty = (problems: string[]): PeopleFromCsv => ({ people: [], rowsOf: [], problems, refused: [] });
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    return empty([`The file is not valid CSV: ${(error as Error).message}`]);
  }
  const [header, ...rows] = records;
  if (!header) return empty(["The file is empty: its first row must name the columns"]);
  if (rows.length > PEOPLE_CSV_MAX_ROWS) return empty([`The file has ${rows.length} rows; upload at most ${PEOPLE_CSV_MAX_ROWS} at a time`]);

  const columns = header.map((name) => PEOPLE_CSV_COLUMNS.find((column) => squash(column) === squash(name)));
  const problems: string[] = [];
  header.forEach((name, index) => {
    if (!columns[index]) problems.push(`Row 1: unknown column "${name}"; the columns are ${PEOPLE_CSV_COLUMNS.join(", ")}`);
    else if (columns.indexOf(columns[index]) !== index) problems.push(`Row 1: column "${name}" appears twice`);
  });
  for (const column of REQUIRED) if (!columns.includes(column)) problems.push(`Row 1: the column "${column}" is missing`);
  if (problems.length) return empty(problems);

  const people: CatalogPerson[] = [];
  const rowsOf: PeopleFromCsv["rowsOf"] = [];
  const refused: PeopleFromCsv["refused"] = [];
  const byKey = new Map<string, number>();
  rows.forEach((cells, index) => {
    const rowNumber = index + 2;
    if (cells.length !== header.length) {
      problems.push(`Row ${rowNumber}: has ${cells.length} cells where the header has ${header.length}`);
      return;
    }
    const cell = (column: Column) => (cells[columns.indexOf(column)] ?? "").trim();
    const rowProblems: string[] = [];
    const dobRead = readDate(cell("Date of Birth"), "1988-04-12 or 12/04/1988");
    const dob = "date" in dobRead ? dobRead.date : undefined;
    if (dob === undefined) rowProblems.push(`Row ${rowNumber}, Date of Birth: ${"problem" in dobRead ? dobRead.problem : ""}`);
    else if (dob >= today || dob < "1900-01-01") rowProblems.push(`Row ${rowNumber}, Date of Birth: ${dob} must be a date of birth in the past`);
    const role = readRole(cell("Role"));
    if (role === null) rowProblems.push(`Row ${rowNumber}, Role: "${cell("Role")}" must be one of ${ROLES.map((r) => ROLE_LABELS[r]).join(", ")} (or empty for Learner)`);
    const number = cell("Assignment Number");
    const position = cell("Position");
    if (Boolean(number) !== Boolean(position)) rowProblems.push(`Row ${rowNumber}: give both Assignment Number and Position, or neither`);
    const startText = cell("Assignment Start Date");
    const startRead = startText ? readDate(startText, "2026-12-01 or 01/12/2026") : undefined;
    const startDate = startRead && "date" in startRead ? startRead.date : undefined;
    if (startRead && "problem" in startRead) rowProblems.push(`Row ${rowNumber}, Assignment Start Date: ${startRead.problem}`);
    else if (startText && !number) rowProblems.push(`Row ${rowNumber}, Assignment Start Date: give it with the Assignment Number and Position it belongs to`);
    // The column given, its cell is the assignment's line manager, an empty one no one (a file from
    // ESR keeps the LMS in step); the column left out, each assignment keeps the one it has.
    const lineManager = columns.includes("Line Manager Employee Number") ? cell("Line Manager Employee Number") || null : undefined;
    if (lineManager && !number) rowProblems.push(`Row ${rowNumber}, Line Manager Employee Number: give it with the Assignment Number and Position it belongs to`);

    const person: CatalogPerson = {
      name: `${cell("Last Name")}, ${cell("First Name")}`,
      email: cell("Email"),
      dob: dob ?? cell("Date of Birth"),
      ...(cell("Employee Number") ? { employeeNumber: cell("Employee Number") } : {}),
      ...(cell("Username") ? { username: cell("Username") } : {}),
      ...(role ? { role } : {}),
      assignments: number && position ? [{ number, position, ...(startDate ? { startDate } : {}), ...(lineManager !== undefined ? { lineManager } : {}) }] : [],
    };
    for (const issue of personSchema.safeParse(person).error?.issues ?? []) {
      if (issue.path[0] === "dob" || issue.path[2] === "startDate") continue; // told above, in the file's own words
      if (issue.path[0] === "name" && (!cell("Last Name") || !cell("First Name"))) continue; // told below
      rowProblems.push(`Row ${rowNumber}, ${columnOf(issue.path)}: ${issue.message}`);
    }
    if (!cell("Last Name") || !cell("First Name")) rowProblems.push(`Row ${rowNumber}: Last Name and First Name must both be filled in`);
    problems.push(...new Set(rowProblems));
    if (rowProblems.length) {
      refused.push({ row: rowNumber, person });
      return;
    }

    // A person's further rows add assignments; their details must be the same as on the first.
    const key = person.employeeNumber ? `e:${person.employeeNumber}` : person.username ? `u:${person.username.toUpperCase()}` : `i:${person.name}|${person.email.toLowerCase()}|${person.dob}`;
    const earlier = byKey.get(key);
    if (earlier === undefined) {
      byKey.set(key, people.length);
      people.push(person);
      rowsOf.push({ person: rowNumber, assignments: person.assignments.length ? [rowNumber] : [] });
      return;
    }
    const first = people[earlier]!;
    const differs = (["name", "email", "dob", "username", "role"] as const).filter((field) => (first[field] ?? "") !== (person[field] ?? ""));
    if (differs.length) {
      problems.push(`Row ${rowNumber}: the same person as row ${rowsOf[earlier]!.person}, but ${differs.map((field) => FIELD_COLUMNS[field]).join(", ")} differ${differs.length === 1 ? "s" : ""}`);
      return;
    }
    first.assignments.push(...person.assignments);
    rowsOf[earlier]!.assignments.push(...(person.assignments.length ? [rowNumber] : []));
  });
  return { people, rowsOf, problems, refused };
}

/**
 * A catalog check's `people[3].assignments[1].position: ...` in the spreadsheet's words:
 * `Row 9, Position: ...`.
 */
export function rowProblem(problem: string, rowsOf: PeopleFromCsv["rowsOf"]): string {
  const match = /^people\[(\d+)\](?:\.assignments\[(\d+)\])?\.?(\w*): (.*)$/.exec(problem);
  if (!match) return problem;
  const [, person, assignment, field, message] = match;
  const rows = rowsOf[Number(person)];
  if (!rows) return problem;
  const row = assignment === undefined ? rows.person : (rows.assignments[Number(assignment)] ?? rows.person);
  const column = assignment === undefined ? FIELD_COLUMNS[field as keyof typeof FIELD_COLUMNS] : ASSIGNMENT_COLUMNS[field as keyof typeof ASSIGNMENT_COLUMNS];
  // "(also at people[0].assignments[1])" -> "(also on row 3)"
  const also = message!.replace(/\(also at people\[(\d+)\](?:\.assignments\[(\d+)\])?\)/, (_whole, p: string, a?: string) => {
    const other = rowsOf[Number(p)];
    return `(also on row ${a === undefined ? other?.person : (other?.assignments[Number(a)] ?? other?.person)})`;
  });
  return `Row ${row}${column ? `, ${column}` : ""}: ${also}`;
}

const ASSIGNMENT_COLUMNS = { number: "Assignment Number", position: "Position", startDate: "Assignment Start Date", lineManager: "Line Manager Employee Number" } as const;
const FIELD_COLUMNS = { name: "Last Name, First Name", email: "Email", dob: "Date of Birth", employeeNumber: "Employee Number", username: "Username", role: "Role" } as const;

function columnOf(path: ReadonlyArray<PropertyKey>): string {
  if (path[0] === "assignments") return ASSIGNMENT_COLUMNS[String(path[2]) as keyof typeof ASSIGNMENT_COLUMNS] ?? "Position";
  return FIELD_COLUMNS[String(path[0]) as keyof typeof FIELD_COLUMNS] ?? String(path[0]);
}

/** "Date of Birth" and "dateofbirth" and " DATE OF BIRTH " are the same column. */
const squash = (name: string) => name.toLowerCase().replace(/[^a-z]/g, "");

/**
 * YYYY-MM-DD, or DD/MM/YYYY as a UK spreadsheet writes it, as YYYY-MM-DD. A cell in the right shape
 * that is no day on the calendar (30 February) is told so, not told to use the shape it already has.
 */
function readDate(text: string, example: string): { date: string } | { problem: string } {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}` : text;
  if (isCalendarDate(iso)) return { date: iso };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { problem: `"${text}" must be a date, e.g. ${example}` };
  return { problem: `"${text}" must be a real date (${text} does not exist)` };
}

/** A role by its name or its label; undefined when empty (a learner), null when unknown. */
function readRole(text: string): Role | undefined | null {
  if (!text) return undefined;
  return ROLES.find((role) => squash(role) === squash(text) || squash(ROLE_LABELS[role]) === squash(text)) ?? null;
}
