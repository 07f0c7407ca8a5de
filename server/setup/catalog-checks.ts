import type { Db } from "../db/connect.ts";
import { accountDirectory } from "../accounts/index.ts";
import { peopleDirectory, parsePersonName } from "../people/index.ts";
import { catalogWriting } from "../catalog/index.ts";

/**
 * The checks that need the whole file or the database: duplicates and names that resolve to
 * nothing. They read the raw JSON loosely (a wrong type just counts as absent), so they run even
 * when the schema check failed, and the author sees every problem of the file in one go.
 */
export async function crossCheck(db: Db, raw: unknown): Promise<string[]> {
  const file = record(raw);
  const problems: string[] = [];
  const competencies = list(file.competencies);
  const certifications = list(file.certifications);
  const positions = list(file.positions);
  const people = list(file.people);

  const knownCompetencies = new Set([...(await catalogWriting(db).competencyIdsByName()).keys(), ...names(competencies, "name")]);
  const organisation = record(file.organisation);
  const vpd = text(organisation.vpd) ?? (await peopleDirectory(db).soleOrganisation())?.vpd;
  const knownPositions = new Set([...(vpd ? await peopleDirectory(db).positionNamesOfVpd(vpd) : []), ...names(positions, "name")]);

  duplicates(competencies.map((c) => text(record(c).name)), "competencies", "name", problems);
  duplicates(certifications.map((c) => text(record(c).name)), "certifications", "name", problems);
  duplicates(positions.map((p) => text(record(p).name)), "positions", "name", problems);
  duplicates(people.map((p) => text(record(p).username)?.toUpperCase()), "people", "username", problems);
  duplicates(people.map((p) => text(record(p).employeeNumber)), "people", "employeeNumber", problems);

  certifications.forEach((value, index) => {
    const certification = record(value);
    const at = `certifications[${index}]`;
    const competency = text(certification.competency);
    if (competency && !knownCompetencies.has(competency)) problems.push(`${at}.competency: no competency named "${competency}"`);
    const components = list(certification.components).map(record);
    const courses = components.map((component) => text(component.course));
    duplicates(courses, `${at}.components`, "course", problems);
    components.forEach((component, componentIndex) => {
      const satisfiedBy = text(component.satisfiedBy);
      if (satisfiedBy !== undefined && (satisfiedBy === text(component.course) || !courses.includes(satisfiedBy))) {
        problems.push(`${at}.components[${componentIndex}].satisfiedBy: "${satisfiedBy}" must be another component of this certification`);
      }
    });
  });
  positions.forEach((value, index) => {
    const requirements = list(record(value).requirements).map(record);
    duplicates(requirements.map((r) => text(r.competency)), `positions[${index}].requirements`, "competency", problems);
    requirements.forEach((requirement, requirementIndex) => {
      const competency = text(requirement.competency);
      if (competency && !knownCompetencies.has(competency)) {
        problems.push(`positions[${index}].requirements[${requirementIndex}].competency: no competency named "${competency}"`);
      }
    });
  });

  // A line manager is someone in the file (by their employee number) or already in the LMS.
  const fileEmployeeNumbers = new Set(people.map((p) => text(record(p).employeeNumber)).filter((number): number is string => number !== undefined));
  const assignmentHolders = new Map<string, string>();
  for (const [index, value] of people.entries()) {
    const person = record(value);
    const existing = await matchExistingPerson(db, person);
    const username = text(person.username);
    const employeeNumber = text(person.employeeNumber);
    if (username && employeeNumber && !(await accountDirectory(db).findByUsername(username))) {
      const holder = await peopleDirectory(db).personByEmployeeNumber(employeeNumber);
      const holderAccount = holder && (await accountDirectory(db).findByPersonId(holder.id));
      if (holderAccount) problems.push(`people[${index}].employeeNumber: employee number ${employeeNumber} belongs to ${holderAccount.username}, not a new ${username.toUpperCase()}`);
    }
    for (const [assignmentIndex, assignmentValue] of list(person.assignments).entries()) {
      const assignment = record(assignmentValue);
      const at = `people[${index}].assignments[${assignmentIndex}]`;
      const position = text(assignment.position);
      if (position && !knownPositions.has(position)) problems.push(`${at}.position: no position named "${position}"`);
      const lineManager = text(assignment.lineManager);
      if (lineManager) {
        const ownNumber = employeeNumber ?? (existing ? (await peopleDirectory(db).personById(existing.personId))?.employeeNumber : undefined);
        if (lineManager === ownNumber) problems.push(`${at}.lineManager: a person cannot be their own line manager`);
        else if (!fileEmployeeNumbers.has(lineManager) && !(await peopleDirectory(db).personByEmployeeNumber(lineManager))) problems.push(`${at}.lineManager: no one has employee number ${lineManager}, in this file or in the LMS`);
      }
      const number = text(assignment.number);
      if (!number) continue;
      const earlier = assignmentHolders.get(number);
      if (earlier) problems.push(`${at}.number: "${number}" is listed twice (also at ${earlier})`);
      else assignmentHolders.set(number, at);
      const holder = await peopleDirectory(db).assignmentByNumber(number);
      if (holder && holder.personId !== existing?.personId) {
        problems.push(`${at}.number: assignment ${number} already belongs to someone else`);
      }
    }
  }
  return problems;
}

/**
 * Who in the database a file's person is: by username, else by employee number, else by the
 * same name, email and date of birth. Re-importing a file must update that person, never add a
 * second one.
 */
export async function matchExistingPerson(db: Db, person: Record<string, unknown>): Promise<{ personId: number; accountId: number } | undefined> {
  const accounts = accountDirectory(db);
  const people = peopleDirectory(db);
  const username = text(person.username);
  if (username) {
    const account = await accounts.findByUsername(username);
    if (account) return { personId: account.personId, accountId: account.id };
  }
  const employeeNumber = text(person.employeeNumber);
  const name = parsePersonName(text(person.name) ?? "");
  let personId = employeeNumber ? (await people.personByEmployeeNumber(employeeNumber))?.id : undefined;
  if (personId === undefined && name && text(person.email) && text(person.dob)) {
    personId = await people.personIdByIdentity({ ...name, email: text(person.email)!, dateOfBirth: text(person.dob)! });
  }
  if (personId === undefined) return undefined;
  const account = await accounts.findByPersonId(personId);
  return account ? { personId, accountId: account.id } : undefined;
}

function duplicates(values: Array<string | undefined>, where: string, field: string, problems: string[]): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    if (value === undefined) return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else problems.push(`${where}[${index}].${field}: "${value}" is listed twice (also at ${where}[${first}])`);
  });
}

const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);
const names = (values: unknown[], key: string) => values.map((value) => text(record(value)[key])).filter((name): name is string => name !== undefined);

/**
 * What importing a file's person would change about the one already here, in words for the
 * report and the audit ("Email: old -> new"); empty when nothing would.
 */
export async function personChanges(
  db: Db,
  existing: { personId: number; accountId: number },
  person: { name: string; email: string; dob: string; role?: string | undefined; assignments: Array<{ number: string; position: string; lineManager?: string | null | undefined }> },
): Promise<string[]> {
  const held = await peopleDirectory(db).personById(existing.personId);
  const account = await accountDirectory(db).findById(existing.accountId);
  if (!held || !account) return [];
  const changes: string[] = [];
  const name = parsePersonName(person.name);
  const was = `${held.lastName}, ${held.firstName}`;
  if (name && `${name.lastName}, ${name.firstName}` !== was) changes.push(`Name: ${was} -> ${name.lastName}, ${name.firstName}`);
  if (person.email.trim() !== held.email) changes.push(`Email: ${held.email} -> ${person.email.trim()}`);
  if (person.dob !== held.dateOfBirth) changes.push(`Date of Birth: ${held.dateOfBirth} -> ${person.dob}`);
  if (person.role && person.role !== account.role) changes.push(`Role: ${account.role} -> ${person.role}`);
  const assignments = await peopleDirectory(db).assignmentsOf(existing.personId);
  for (const assignment of person.assignments) {
    const current = assignments.find((heldAssignment) => heldAssignment.number === assignment.number);
    if (!current) changes.push(`Assignment ${assignment.number}: new, ${assignment.position}`);
    else if (current.positionName !== assignment.position) changes.push(`Assignment ${assignment.number}: ${current.positionName} -> ${assignment.position}`);
    if (assignment.lineManager !== undefined && (current?.lineManager?.employeeNumber ?? null) !== assignment.lineManager) {
      changes.push(`Assignment ${assignment.number}: line manager ${current?.lineManager ? `${current.lineManager.name} (${current.lineManager.employeeNumber})` : "none"} -> ${await managerWords(db, assignment.lineManager)}`);
    }
  }
  return changes;
}

/** A line manager as a change names them: "Last, First (20000123)", or the number alone for someone the file adds. */
async function managerWords(db: Db, employeeNumber: string | null): Promise<string> {
  if (employeeNumber === null) return "none";
  const manager = await peopleDirectory(db).personByEmployeeNumber(employeeNumber);
  return manager ? `${manager.lastName}, ${manager.firstName} (${employeeNumber})` : `employee number ${employeeNumber}`;
}
