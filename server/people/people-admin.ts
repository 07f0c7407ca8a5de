import type { Db } from "../db/connect.ts";
import { isCalendarDate, type Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { inviteToChoosePassword, type RecoveryDeps } from "../accounts/index.ts";
import { ProblemList } from "../problems.ts";
import { addUser, assignPositions, lineManagerProblem, setLineManagers, validateNewUser, type NewUser } from "./service.ts";
import { createPeopleStore } from "./store.ts";

/**
 * L&D adding and changing people and their assignments one at a time, from a form (many at a
 * time from a CSV upload: setup/upload-people.ts). New people get no password: each is emailed a
 * link to choose their own.
 */

export async function addPerson(deps: RecoveryDeps, actor: Actor, input: NewUser): Promise<{ personId: number; username: string }> {
  const added = await addUser(deps.db, deps.clock, { ...input, invite: true, addedBy: actor });
  await inviteToChoosePassword(deps, { username: added.username, ip: actor.ip, byAccountId: actor.accountId });
  return added;
}

export async function updateDetails(db: Db, clock: Clock, actor: Actor, personId: number, details: { lastName: string; firstName: string; email: string; dob: string }): Promise<void> {
  const problems = validateNewUser({ name: `${details.lastName}, ${details.firstName}`, email: details.email, dob: details.dob }, clock.today());
  if (!details.lastName.trim() || !details.firstName.trim()) problems.unshift("Last name and first name must both be filled in");
  if (problems.length) throw new AppError("people.invalid_details", "The details cannot be saved", 400, problems);
  await db.transaction(async (trx) => {
    if (!(await createPeopleStore(trx).personById(personId))) throw notFound("That person");
    await createPeopleStore(trx).updatePerson(personId, { lastName: details.lastName.trim(), firstName: details.firstName.trim(), email: details.email.trim(), dateOfBirth: details.dob });
    await recordAudit(trx, { kind: "person.updated", at: clock.now().toISOString(), actorAccountId: actor.accountId, personId, ip: actor.ip });
  });
}

/**
 * Adds an assignment, or moves one of the person's own to another position; with a line
 * manager's employee number, sets who they report to in it (left out, it keeps the one it has).
 * What the form's own checks cannot know (an unknown line manager, a number that is someone
 * else's) is refused all at once, each on its field.
 */
export async function setAssignment(db: Db, clock: Clock, actor: Actor, personId: number, assignment: { number: string; position: string; startDate?: string; lineManager?: string }): Promise<void> {
  if (!/^\d{1,20}$/.test(assignment.number)) throw new AppError("people.assignment_number", `Assignment number "${assignment.number.slice(0, 30)}" must be digits`, 400);
  if (assignment.startDate !== undefined && !isCalendarDate(assignment.startDate)) {
    throw new AppError("people.assignment_start", `Start date "${assignment.startDate.slice(0, 30)}" must be a date, e.g. ${clock.today()}`, 400);
  }
  await db.transaction(async (trx) => {
    const people = createPeopleStore(trx);
    const person = await people.personById(personId);
    if (!person) throw notFound("That person");
    const problems = new ProblemList();
    let status = 400;
    const manager = await lineManagerProblem(people, personId, assignment.lineManager ?? null);
    if (manager) problems.add("lineManager", manager.message);
    try {
      await assignPositions(people, person.organisationId, personId, [assignment]);
    } catch (error) {
      const field = error instanceof AppError ? ASSIGNMENT_REFUSALS[error.code] : undefined;
      if (!field) throw error;
      problems.add(field, (error as AppError).message);
      status = (error as AppError).status; // someone else's assignment number is a conflict (409), as before
    }
    problems.refuseIfAny("people.assignment_refused", status);
    if (assignment.lineManager) await setLineManagers(people, [{ number: assignment.number, lineManager: assignment.lineManager }]);
    await recordAudit(trx, { kind: "assignment.saved", at: clock.now().toISOString(), actorAccountId: actor.accountId, personId, ip: actor.ip, detail: assignment });
  });
}

/** The refusals of assignPositions, on the form's field each is about. */
const ASSIGNMENT_REFUSALS: Record<string, string> = { "people.unknown_position": "position", "people.assignment_taken": "number" };

/** Ends an assignment: its requirements stop counting; the person's competence records stay. */
export async function removeAssignment(db: Db, clock: Clock, actor: Actor, personId: number, number: string): Promise<void> {
  await db.transaction(async (trx) => {
    const people = createPeopleStore(trx);
    const removed = await people.deleteAssignment(personId, number);
    if (!removed) throw notFound("That assignment");
    const left = await people.assignmentPrimacy(personId);
    // Someone with assignments always has a primary one.
    if (left.length && !left.some((assignment) => assignment.isPrimary)) await people.makePrimary(left[0]!.id);
    await recordAudit(trx, { kind: "assignment.removed", at: clock.now().toISOString(), actorAccountId: actor.accountId, personId, ip: actor.ip, detail: { number } });
  });
}
