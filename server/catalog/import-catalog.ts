import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { createPeopleStore } from "../people/store.ts";
import { addUser, assignPositions } from "../people/service.ts";
import { parsePersonName } from "../people/names.ts";
import { createAccountStore } from "../accounts/store.ts";
import { recordAudit } from "../audit/store.ts";
import { catalogSchema, jsonPath, type Catalog } from "./catalog-schema.ts";
import { createCatalogStore } from "./store.ts";

export interface CatalogImportSummary {
  competencies: number;
  certifications: number;
  components: number;
  positions: number;
  people: { added: string[]; updated: string[] };
  /** Passwords generated for new people without one in the file: shown once, never stored. */
  generatedPasswords: Record<string, string>;
}

const DEFAULT_ORGANISATION = { vpd: "297", name: "Demo NHS Foundation Trust" };

/** Reads the file's text: every problem comes back at once, each with its JSON path. */
export function parseCatalog(textContent: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (error) {
    throw invalid([`(file): not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => `${jsonPath(issue.path) || "(file)"}: ${issue.message}`));
  }
  return parsed.data;
}

/**
 * Imports a catalog in one transaction: on any problem nothing is written. Re-importing the same
 * file updates rows in place and never duplicates them.
 */
export async function importCatalog(db: Db, clock: Clock, catalog: Catalog): Promise<CatalogImportSummary> {
  const problems = await crossCheck(db, catalog);
  if (problems.length) throw invalid(problems);
  const now = clock.now().toISOString();

  return db.transaction(async (trx) => {
    const store = createCatalogStore(trx);
    const people = createPeopleStore(trx);
    const accounts = createAccountStore(trx);
    const organisationRef = catalog.organisation ?? (await existingOrganisation(trx)) ?? DEFAULT_ORGANISATION;
    const organisationId = await people.ensureOrganisation(organisationRef.vpd, organisationRef.name);

    for (const competency of catalog.competencies) await store.upsertCompetency(competency.name, competency.description);
    const competencyIds = await store.competencyIdsByName();
    const idOf = (name: string) => competencyIds.get(name)!;

    let components = 0;
    for (const certification of catalog.certifications) {
      const id = await store.upsertCertification({ ...certification, competencyId: idOf(certification.competency) });
      await store.replaceComponents(id, certification.components);
      components += certification.components.length;
    }
    for (const position of catalog.positions) {
      const id = await store.upsertPosition(organisationId, position.name);
      await store.replaceRequirements(
        id,
        position.requirements.map((requirement) => ({ ...requirement, competencyId: idOf(requirement.competency) })),
      );
    }

    const summary: CatalogImportSummary = {
      competencies: catalog.competencies.length,
      certifications: catalog.certifications.length,
      components,
      positions: catalog.positions.length,
      people: { added: [], updated: [] },
      generatedPasswords: {},
    };
    for (const person of catalog.people) {
      const account = person.username ? await accounts.findByUsername(person.username) : undefined;
      if (account) {
        // Passwords in the file only set the first one: a re-import never undoes a change of password.
        await people.updatePerson(account.personId, { ...parsePersonName(person.name)!, email: person.email, dateOfBirth: person.dob });
        if (person.role) await accounts.update(account.id, { role: person.role, now });
        await assignPositions(people, organisationId, account.personId, person.assignments);
        summary.people.updated.push(account.username);
      } else {
        const added = await addUser(trx, clock, { ...person, vpd: organisationRef.vpd });
        summary.people.added.push(added.username);
        if (added.generatedPassword) summary.generatedPasswords[added.username] = added.generatedPassword;
      }
    }
    await recordAudit(trx, {
      kind: "catalog.imported",
      at: now,
      detail: { competencies: summary.competencies, certifications: summary.certifications, positions: summary.positions, people: catalog.people.length },
    });
    return summary;
  });
}

/** Problems that need the database or the whole file to see: duplicates and dangling names. */
async function crossCheck(db: Db, catalog: Catalog): Promise<string[]> {
  const problems: string[] = [];
  const knownCompetencies = new Set([...(await createCatalogStore(db).competencyIdsByName()).keys(), ...catalog.competencies.map((c) => c.name)]);
  const organisation = catalog.organisation ?? (await existingOrganisation(db));
  const knownPositions = new Set([
    ...(organisation ? await positionNames(db, organisation.vpd) : []),
    ...catalog.positions.map((position) => position.name),
  ]);

  duplicates(catalog.competencies.map((c) => c.name), "competencies", "name", problems);
  duplicates(catalog.certifications.map((c) => c.name), "certifications", "name", problems);
  duplicates(catalog.positions.map((p) => p.name), "positions", "name", problems);
  duplicates(catalog.people.map((p) => p.username?.toUpperCase()), "people", "username", problems);
  duplicates(catalog.people.map((p) => p.employeeNumber), "people", "employeeNumber", problems);
  duplicates(catalog.people.flatMap((p) => p.assignments.map((a) => a.number)), "people[].assignments", "number", problems);

  catalog.certifications.forEach((certification, index) => {
    const at = `certifications[${index}]`;
    if (!knownCompetencies.has(certification.competency)) problems.push(`${at}.competency: no competency named "${certification.competency}"`);
    const courses = certification.components.map((component) => component.course);
    duplicates(courses, `${at}.components`, "course", problems);
    certification.components.forEach((component, componentIndex) => {
      if (component.satisfiedBy !== undefined && (component.satisfiedBy === component.course || !courses.includes(component.satisfiedBy))) {
        problems.push(`${at}.components[${componentIndex}].satisfiedBy: "${component.satisfiedBy}" must be another component of this certification`);
      }
    });
  });
  catalog.positions.forEach((position, index) => {
    duplicates(position.requirements.map((r) => r.competency), `positions[${index}].requirements`, "competency", problems);
    position.requirements.forEach((requirement, requirementIndex) => {
      if (!knownCompetencies.has(requirement.competency)) {
        problems.push(`positions[${index}].requirements[${requirementIndex}].competency: no competency named "${requirement.competency}"`);
      }
    });
  });
  catalog.people.forEach((person, index) => {
    person.assignments.forEach((assignment, assignmentIndex) => {
      if (!knownPositions.has(assignment.position)) {
        problems.push(`people[${index}].assignments[${assignmentIndex}].position: no position named "${assignment.position}"`);
      }
    });
  });
  return problems;
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

async function existingOrganisation(db: Db): Promise<{ vpd: string; name: string } | undefined> {
  const rows = await db("organisations").orderBy("id").limit(2);
  return rows.length === 1 ? { vpd: String(rows[0].vpd), name: String(rows[0].name) } : undefined;
}

async function positionNames(db: Db, vpd: string): Promise<string[]> {
  const rows = await db("positions").join("organisations", "organisations.id", "positions.organisation_id").where("organisations.vpd", vpd).select("positions.name");
  return rows.map((row) => String(row.name));
}

function invalid(problems: string[]): AppError {
  return new AppError("catalog.invalid", `The catalog file has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, 400, problems);
}
