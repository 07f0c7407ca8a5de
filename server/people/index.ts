import type { Db } from "../db/connect.ts";
import { assignPositions, setLineManagers } from "./service.ts";
import { createPeopleStore, type PeopleStore } from "./store.ts";

// The people area's public surface: Add a user, names as the guide writes them, and who a person
// is and which positions they hold. Other areas import this file, never the modules behind it.

export { displayName, EMAIL_MAX_LENGTH, EMAIL_PATTERN, NAME_TOO_LONG, namePartsFit, parsePersonName } from "./names.ts";
export { peopleRoutes } from "./routes.ts";
export { addUser } from "./service.ts";
export type { AssignmentView } from "./store.ts";

/**
 * What other areas may read of people: a person, by id, employee number or identity, and their
 * assignments; the sole organisation, and an organisation's positions (for the catalog import's checks).
 */
export type PeopleDirectory = Pick<PeopleStore, "personById" | "personByEmployeeNumber" | "personIdByIdentity" | "assignmentByNumber" | "assignmentsOf" | "soleOrganisation" | "positionNamesOfVpd">;

export function peopleDirectory(db: Db): PeopleDirectory {
  return createPeopleStore(db);
}

/** What the catalog import changes of people, in its own transaction: the organisation and a person's details. */
export type PeopleUpdating = PeopleDirectory & Pick<PeopleStore, "ensureOrganisation" | "updatePerson">;

export function peopleUpdating(trx: Db): PeopleUpdating {
  return createPeopleStore(trx);
}

/** Gives a person their positions, the first ever held being the primary one; refuses an unknown position or another's assignment number. */
export function assignPositionsTo(trx: Db, organisationId: number, personId: number, assignments: Parameters<typeof assignPositions>[3]): Promise<void> {
  return assignPositions(createPeopleStore(trx), organisationId, personId, assignments);
}

/** Sets who each assignment's holder reports to, by the line manager's employee number (null: no one); refuses someone unknown, or the holder. */
export function setLineManagersOf(trx: Db, lines: Parameters<typeof setLineManagers>[1]): Promise<void> {
  return setLineManagers(createPeopleStore(trx), lines);
}
