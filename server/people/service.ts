import crypto from "node:crypto";
import type { Db } from "../db/connect.ts";
import { isCalendarDate, type Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { hashPassword, NO_PASSWORD_YET, passwordProblem, organisationNames, accountOpening, usernameKey } from "../accounts/index.ts";
import { ROLES, type Role } from "../web/roles.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { createPeopleStore } from "./store.ts";
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN, NAME_TOO_LONG, namePartsFit, parsePersonName, proposeUsername } from "./names.ts";

export interface NewUser {
  name: string;
  email: string;
  dob: string;
  vpd?: string;
  employeeNumber?: string;
  username?: string;
  password?: string;
  /** No password: the person chooses one through an emailed link (see recovery.ts inviteToChoosePassword). */
  invite?: boolean;
  role?: Role;
  assignments?: Array<{ number: string; position: string }>;
  /** Who added them, from where (L&D's form or people upload), for the audit: none for the lms command and the demo trust. */
  addedBy?: Actor;
  /** Why the LMS added them by itself (the demo trust's setup), so the audit's By column says so. */
  cause?: "demo trust";
}

export interface AddedUser {
  personId: number;
  username: string;
  /** Present only when the password was generated, so that it can be shown once. */
  generatedPassword?: string;
}

/**
 * Adds a person with their account and assignments, all or nothing. Used by `lms add-user`, the
 * catalog import and the demo trust, so that every way in applies the same rules.
 */
export async function addUser(db: Db, clock: Clock, input: NewUser): Promise<AddedUser> {
  const problems = validateNewUser(input, clock.today(), input.password === undefined ? [] : await organisationNames(db));
  if (problems.length) throw new AppError("people.invalid_user", "The user cannot be added", 400, problems);
  const name = parsePersonName(input.name)!;
  const generatedPassword = input.password || input.invite ? undefined : crypto.randomBytes(12).toString("base64url");
  // Hash before the transaction: it is slow on purpose and must not hold the database.
  const passwordHash = input.invite && !input.password ? NO_PASSWORD_YET : await hashPassword(input.password ?? generatedPassword!);
  const now = clock.now().toISOString();

  return db.transaction(async (trx) => {
    const people = createPeopleStore(trx);
    const accounts = accountOpening(trx);
    const organisation = await resolveOrganisation(people, input.vpd);
    let username = input.username?.trim();
    if (username) {
      if (await accounts.findByUsername(username)) {
        throw new AppError("people.username_taken", `Username ${usernameKey(username)} is already taken`, 409);
      }
    } else {
      const taken = new Set(await accounts.usernamesStartingWith(organisation.vpd));
      username = proposeUsername(organisation.vpd, name, taken);
    }
    const employeeNumber = input.employeeNumber ?? String(Math.max(20000000, (await people.highestEmployeeNumber()) + 1));
    if (await people.personByEmployeeNumber(employeeNumber)) {
      throw new AppError("people.employee_number_taken", `Employee number ${employeeNumber} is already taken`, 409);
    }
    // The same name, email and date of birth is the same person: a second account would split
    // their training record in two.
    const twin = await people.personIdByIdentity({ ...name, email: input.email.trim(), dateOfBirth: input.dob });
    if (twin !== undefined) {
      const holder = await accounts.findByPersonId(twin);
      throw new AppError("people.already_exists", `${input.name} (${input.email}, born ${input.dob}) already has an account: ${holder?.username ?? "unknown"}`, 409);
    }
    const personId = await people.insertPerson(
      { organisationId: organisation.id, employeeNumber, ...name, email: input.email.trim(), dateOfBirth: input.dob },
      now,
    );
    const accountId = await accounts.insert({ personId, username: usernameKey(username), passwordHash, role: input.role ?? "learner", now });
    await assignPositions(people, organisation.id, personId, input.assignments ?? []);
    await recordAudit(trx, { kind: "account.created", at: now, personId, actorAccountId: input.addedBy?.accountId ?? null, ip: input.addedBy?.ip ?? null, detail: { accountId, role: input.role ?? "learner", ...(input.cause ? { cause: input.cause } : {}) } });
    return { personId, username: usernameKey(username), ...(generatedPassword ? { generatedPassword } : {}) };
  });
}

export async function assignPositions(
  people: ReturnType<typeof createPeopleStore>,
  organisationId: number,
  personId: number,
  assignments: Array<{ number: string; position: string; startDate?: string | undefined }>,
): Promise<void> {
  const existing = await people.assignmentsOf(personId);
  for (const [index, assignment] of assignments.entries()) {
    const positionId = await people.positionByName(organisationId, assignment.position);
    if (positionId === undefined) {
      const known = await people.positionNames(organisationId);
      throw new AppError(
        "people.unknown_position",
        `Position "${assignment.position}" does not exist${known.length ? `; known positions: ${known.join("; ")}` : " yet: import it with lms import-catalog"}`,
        400,
      );
    }
    const holder = await people.assignmentByNumber(assignment.number);
    if (holder && holder.personId !== personId) {
      throw new AppError("people.assignment_taken", `Assignment number ${assignment.number} belongs to someone else`, 409);
    }
    // The first assignment a person ever gets is their primary one.
    const isPrimary = existing.length === 0 ? index === 0 : existing.some((held) => held.number === assignment.number && held.isPrimary);
    await people.upsertAssignment({ number: assignment.number, personId, positionId, isPrimary, startDate: assignment.startDate });
  }
}

/**
 * Who a person reports to in each assignment, by the line manager's employee number (null: no
 * one), as ESR holds a supervisor per assignment. Refuses someone unknown, and the assignment's
 * own holder.
 */
export async function setLineManagers(people: ReturnType<typeof createPeopleStore>, lines: Array<{ number: string; lineManager: string | null }>): Promise<void> {
  for (const line of lines) {
    const holder = await people.assignmentByNumber(line.number);
    if (!holder) throw new AppError("people.unknown_assignment", `Assignment ${line.number} does not exist`, 400);
    const problem = await lineManagerProblem(people, holder.personId, line.lineManager);
    if (problem) throw new AppError(problem.code, problem.message, 400);
    await people.setLineManager(line.number, line.lineManager === null ? null : (await people.personByEmployeeNumber(line.lineManager))!.id);
  }
}

/** Why this employee number cannot be the line manager of this person's assignment, if it cannot. */
export async function lineManagerProblem(people: ReturnType<typeof createPeopleStore>, personId: number | undefined, employeeNumber: string | null): Promise<{ code: string; message: string } | undefined> {
  if (employeeNumber === null) return undefined;
  const manager = await people.personByEmployeeNumber(employeeNumber);
  if (!manager) return { code: "people.unknown_line_manager", message: `No one has employee number ${employeeNumber.slice(0, 30)}: enter the line manager's employee number` };
  if (manager.id === personId) return { code: "people.own_line_manager", message: "A person cannot be their own line manager" };
  return undefined;
}

async function resolveOrganisation(people: ReturnType<typeof createPeopleStore>, vpd: string | undefined) {
  if (vpd) {
    const organisation = await people.organisationByVpd(vpd);
    if (!organisation) throw new AppError("people.unknown_organisation", `No organisation has VPD code ${vpd}`, 400);
    return organisation;
  }
  const all = await people.organisations();
  if (all.length !== 1) {
    throw new AppError(
      "people.organisation_required",
      all.length === 0 ? "No organisation exists yet: run lms seed-demo or lms import-catalog first" : "Several organisations exist: say which VPD code",
      400,
    );
  }
  return all[0]!;
}

export function validateNewUser(input: NewUser, today: string, organisations: string[] = []): string[] {
  const problems: string[] = [];
  if (!parsePersonName(input.name)) problems.push(`name "${input.name}" must be written "Last, First"`);
  else if (!namePartsFit(input.name)) problems.push(`The ${NAME_TOO_LONG}`);
  if (!EMAIL_PATTERN.test(input.email.trim())) problems.push(`email "${input.email}" is not an email address`);
  else if (input.email.trim().length > EMAIL_MAX_LENGTH) problems.push(`The email address must be at most ${EMAIL_MAX_LENGTH} characters`);
  // The CSV and catalog file check this in personSchema; the Add a person form and the CLI come here.
  if (input.employeeNumber !== undefined && !/^\d{1,20}$/.test(input.employeeNumber)) problems.push(`employee number "${input.employeeNumber.slice(0, 40)}" must be 1 to 20 digits`);
  if (!isCalendarDate(input.dob)) problems.push(`dob "${input.dob}" must be a date written YYYY-MM-DD`);
  else if (input.dob >= today || input.dob < "1900-01-01") problems.push(`dob "${input.dob}" must be a date of birth in the past`);
  if (input.username !== undefined && !/^[A-Za-z0-9._-]{3,50}$/.test(input.username.trim())) {
    problems.push(`username "${input.username}" must be 3 to 50 letters, digits, dots, dashes or underscores`);
  }
  if (input.password !== undefined) {
    const personName = parsePersonName(input.name);
    const problem = passwordProblem(input.password, { username: input.username, organisationNames: organisations, ...(personName ? { personName } : {}) });
    if (problem) problems.push(problem);
  }
  if (input.role !== undefined && !ROLES.includes(input.role)) problems.push(`role "${input.role}" must be one of ${ROLES.join(", ")}`);
  for (const assignment of input.assignments ?? []) {
    if (!/^\d{1,20}$/.test(assignment.number)) problems.push(`assignment number "${assignment.number}" must be digits`);
    if (!assignment.position.trim()) problems.push(`assignment ${assignment.number} needs a position`);
  }
  return problems;
}
