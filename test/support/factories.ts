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

export interface CertificationSpec {
  name: string;
  /** The competency it gives, by name ("NHS|CSTF|...|"): created unless it exists. */
  competency: string;
  level?: string;
  validDays?: number;
  completeWithinDays?: number;
  renewable?: boolean;
  description?: string;
  /** In order; a component is done by completing its course unless `requires: "pass"`. */
  components: Array<{ courseCode: string; requires?: "completion" | "pass"; satisfiedBy?: string }>;
}

/** A learning certification with its competency and components, written straight to the tables. */
export async function buildCertification(db: Db, spec: CertificationSpec) {
  const existing = await db("competencies").where({ name: spec.competency }).first("id");
  const competencyId = existing ? Number(existing.id) : Number((await db("competencies").insert({ name: spec.competency }).returning("id"))[0].id);
  const [certification] = await db("certifications")
    .insert({
      name: spec.name,
      competency_id: competencyId,
      competence_level: spec.level ?? "1 - Assessed",
      valid_days: spec.validDays ?? 1095,
      complete_within_days: spec.completeWithinDays ?? 1095,
      renewable: spec.renewable ?? true,
      description: spec.description ?? "",
    })
    .returning("id");
  const certificationId = Number(certification.id);
  const rows = await db("certification_components")
    .insert(
      spec.components.map((component, index) => ({
        certification_id: certificationId,
        position: index + 1,
        course_code: component.courseCode,
        requires: component.requires ?? "completion",
        satisfied_by_course_code: component.satisfiedBy ?? null,
      })),
    )
    .returning(["id", "course_code"]);
  const componentIds: Record<string, number> = Object.fromEntries(rows.map((row: { id: number; course_code: string }) => [row.course_code, Number(row.id)]));
  return { certificationId, competencyId, componentIds };
}
