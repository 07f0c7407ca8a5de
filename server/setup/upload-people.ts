import type { Actor } from "../audit/index.ts";
import { AppError } from "../errors.ts";
import { accountDirectory, inviteToChoosePassword, type RecoveryDeps } from "../accounts/index.ts";
import { crossCheck, matchExistingPerson, personChanges } from "./catalog-checks.ts";
import { importCatalog } from "./import-catalog.ts";
import { readPeopleCsv, rowProblem } from "./people-csv.ts";

/**
 * The people CSV upload (L&D's Upload people): checked whole first, against the file and the
 * database, then written in one transaction through the catalog import, as its people. New people
 * get no password: each is emailed a link to choose their own.
 */
export interface UploadOutcome {
  problems: string[];
  checkedOnly: boolean;
  people: number;
  assignments: number;
  added: string[];
  /** People already here whom the file changes, each with what changes ("Email: old -> new"). */
  changed: Array<{ row: number; username: string; changes: string[] }>;
  unchanged: number;
  invited: number;
}

/** A people CSV, all or nothing: every bad row is reported and nothing is written; otherwise all of it is. */
export async function uploadPeople(deps: RecoveryDeps, actor: Actor, file: Buffer, options: { checkOnly: boolean; fileName?: string }): Promise<UploadOutcome> {
  const text = utf8(file);
  // A NUL byte is no part of CSV text, and PostgreSQL cannot store one (it was a 500 there).
  const read = text === undefined ? unread(NOT_UTF8) : text.includes("\u0000") ? unread(HAS_NUL) : readPeopleCsv(text, deps.clock.today());
  const outcome: UploadOutcome = { problems: read.problems, checkedOnly: options.checkOnly, people: read.people.length, assignments: read.people.reduce((n, person) => n + person.assignments.length, 0), added: [], changed: [], unchanged: 0, invited: 0 };
  if (!read.problems.length && !read.people.length) outcome.problems = ["The file has no rows below its header"];
  const catalog = { competencies: [], certifications: [], positions: [], people: read.people };
  // Every row is checked against the database too, the refused ones included (an unknown Position
  // on a row with a bad date was told only after a second upload), so one upload lists every problem.
  const everyRow = { ...catalog, people: [...read.people, ...read.refused.map((refused) => refused.person)] };
  const rowsOfEvery = [...read.rowsOf, ...read.refused.map((refused) => ({ person: refused.row, assignments: [refused.row] }))];
  // Of a refused row, only what does not hang on who the row is: its details may not read well enough to match them.
  const aboutTheRowItself = (problem: string) => Number(/^people\[(\d+)\]/.exec(problem)?.[1] ?? -1) < read.people.length || /\.position: |\.lineManager: |is listed twice/.test(problem);
  outcome.problems.push(...(await crossCheck(deps.db, everyRow)).filter(aboutTheRowItself).map((problem) => rowProblem(problem, rowsOfEvery)));
  outcome.problems = [...new Set(outcome.problems)];
  for (const [index, person] of read.people.entries()) {
    const existing = await matchExistingPerson(deps.db, person);
    if (!existing) continue;
    const changes = await personChanges(deps.db, existing, person);
    const username = (await accountDirectory(deps.db).findById(existing.accountId))!.username;
    const row = read.rowsOf[index]!.person;
    // A date of birth is how the person proves who they are (Forgot Username, record transfer): a
    // spreadsheet row that disagrees is more likely someone else than a correction.
    if (changes.some((change) => change.startsWith("Date of Birth:"))) outcome.problems.push(`Row ${row}, Date of Birth: ${person.dob} is not the date of birth of ${username}, whom this row matches; correct it on their page if it is wrong`);
    else if (changes.length) outcome.changed.push({ row, username, changes });
    else outcome.unchanged += 1;
  }
  outcome.problems.sort(byRow);
  if (outcome.problems.length || options.checkOnly) return outcome;
  try {
    const summary = await importCatalog(deps.db, deps.clock, catalog, { invite: true, importedBy: actor, peopleFile: options.fileName ?? "" });
    outcome.added = summary.people.added;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    outcome.problems = [error.message, ...error.details.map((problem) => rowProblem(problem, read.rowsOf))];
    return outcome;
  }
  for (const username of outcome.added) if (await inviteToChoosePassword(deps, { username, ip: actor.ip, byAccountId: actor.accountId })) outcome.invited += 1;
  return outcome;
}

/** Problems in the file's order: "Row 9" after "Row 10" would hide one. */
function byRow(a: string, b: string): number {
  const row = (problem: string) => Number(/^Row (\d+)/.exec(problem)?.[1] ?? 0);
  return row(a) - row(b);
}

const unread = (problem: string) => ({ people: [], rowsOf: [], problems: [problem], refused: [] });

const HAS_NUL = "The file contains NUL bytes, so it is not CSV text: save it from the spreadsheet as CSV UTF-8 and upload that";
const NOT_UTF8 = 'The file is not UTF-8 text, so names with accents would be garbled: in Excel, save it as "CSV UTF-8 (Comma delimited)"';

/** The bytes as UTF-8, or undefined when they are not (Excel's plain "CSV" is Windows-1252). */
function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
