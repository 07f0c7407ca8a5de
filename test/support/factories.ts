import type { Db } from "../../server/db/connect.ts";
import type { Clock } from "../../server/clock.ts";
import { addUser, type NewUser } from "../../server/people/service.ts";
import { createPeopleStore } from "../../server/people/store.ts";

export const TEST_PASSWORD = "correct horse battery";

/** A learner in organisation 297 with one assignment, overridable field by field. */
export async function buildLearner(db: Db, clock: Clock, overrides: Partial<NewUser> = {}) {
  const people = createPeopleStore(db);
  const organisationId = await people.ensureOrganisation("297", "Test Trust");
  const position = "Healthcare Assistant";
  if ((await people.positionByName(organisationId, position)) === undefined) await db("positions").insert({ organisation_id: organisationId, name: position });
  const input: NewUser = {
    name: "Smith, Jane",
    email: `jane.smith.${Math.random().toString(36).slice(2)}@example.org`,
    dob: "1990-02-03",
    password: TEST_PASSWORD,
    vpd: "297",
    assignments: [{ number: String(Math.floor(Math.random() * 1e8)), position }],
    ...overrides,
  };
  return { ...(await addUser(db, clock, input)), password: input.password ?? TEST_PASSWORD };
}
