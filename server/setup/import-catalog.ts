import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { peopleUpdating, addUser, assignPositionsTo, parsePersonName, setLineManagersOf } from "../people/index.ts";
import { accountOpening, giveRole } from "../accounts/index.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { catalogSchema, jsonPath, type Catalog, catalogWriting } from "../catalog/index.ts";
import { crossCheck, matchExistingPerson, personChanges } from "./catalog-checks.ts";
import { settleSubscriptions } from "../learning/index.ts";

export interface CatalogImportSummary {
  competencies: number;
  certifications: number;
  components: number;
  positions: number;
  /** Usernames added, and usernames of people already there (updated from the file). */
  people: { added: string[]; matched: string[]; changed: number };
  /** Passwords generated for new people without one in the file: shown once, never stored. */
  generatedPasswords: Record<string, string>;
}

const DEFAULT_ORGANISATION = { vpd: "297", name: "Demo NHS Foundation Trust" };

/** Reads the file's text and checks its shape: every problem comes back at once, each with its JSON path. */
export function parseCatalog(textContent: string): Catalog {
  const { catalog, problems } = readCatalog(textContent);
  if (!catalog) throw invalid(problems);
  return catalog;
}

/** The file's JSON and, when its shape is right, the typed catalog; never throws. */
export function readCatalog(textContent: string): { raw: unknown; catalog?: Catalog; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch (error) {
    return { raw: undefined, problems: [`(file): not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = catalogSchema.safeParse(raw);
  if (parsed.success) return { raw, catalog: parsed.data, problems: [] };
  return { raw, problems: parsed.error.issues.map((issue) => `${jsonPath(issue.path) || "(file)"}: ${issue.message}`) };
}

/**
 * Every problem with a catalog file, shape and references together, or the typed catalog when
 * there are none. Reads the database, never writes it.
 */
export async function checkCatalog(db: Db, textContent: string): Promise<Catalog> {
  const { raw, catalog, problems } = readCatalog(textContent);
  if (raw === undefined) throw invalid(problems);
  const all = [...problems, ...(await crossCheck(db, raw))];
  if (all.length || !catalog) throw invalid(all);
  return catalog;
}

export interface ImportOptions {
  invite?: boolean;
  importedBy?: Actor;
  /** The file's name when this is L&D's people CSV upload: the audit then records a people upload, not a catalog import. */
  peopleFile?: string;
  /** Why the LMS did it by itself, for the audit's By column: the demo trust's setup signs its rows alike. */
  cause?: "demo trust";
}

/**
 * Imports a catalog in one transaction: on any problem nothing is written. Re-importing the same
 * file updates rows in place and never duplicates them. With `invite`, new people get no password:
 * they choose one through an emailed link.
 */
export async function importCatalog(db: Db, clock: Clock, catalog: Catalog, options: ImportOptions = {}): Promise<CatalogImportSummary> {
  const problems = await crossCheck(db, catalog);
  if (problems.length) throw invalid(problems);

  const now = clock.now().toISOString();

  return db.transaction(async (trx) => {
    const store = catalogWriting(trx);
    const people = peopleUpdating(trx);
    const accounts = accountOpening(trx);
    const organisationRef = catalog.organisation ?? (await people.soleOrganisation()) ?? DEFAULT_ORGANISATION;
    const organisationId = await people.ensureOrganisation(organisationRef.vpd, organisationRef.name);

    for (const competency of catalog.competencies) await store.upsertCompetency(competency.name, competency.description);
    const competencyIds = await store.competencyIdsByName();
    const idOf = (name: string) => competencyIds.get(name)!;

    let components = 0;
    const certificationIds: number[] = [];
    for (const certification of catalog.certifications) {
      const id = await store.upsertCertification({ ...certification, competencyId: idOf(certification.competency) });
      await store.replaceComponents(id, certification.components);
      certificationIds.push(id);
      components += certification.components.length;
    }
    // A component removed (or a rule added) can leave an open subscription with all it now needs.
    if (certificationIds.length) await settleSubscriptions(trx, { certificationIds }, now, "catalog import changed the certification's components");
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
      people: { added: [], matched: [], changed: 0 },
      generatedPasswords: {},
    };
    for (const person of catalog.people) {
      const existing = await matchExistingPerson(trx, person);
      if (existing) {
        const changes = await personChanges(trx, existing, person);
        // Passwords in the file only set the first one: a re-import never undoes a change of password.
        await people.updatePerson(existing.personId, { ...parsePersonName(person.name)!, email: person.email, dateOfBirth: person.dob });
        const account = (await accounts.findById(existing.accountId))!;
        if (person.role) {
          await giveRole(trx, { account: { id: account.id, personId: existing.personId, role: account.role }, role: person.role, at: now, actorAccountId: options.importedBy?.accountId ?? null, ip: options.importedBy?.ip ?? null, by: "import" });
        }
        await assignPositionsTo(trx, organisationId, existing.personId, person.assignments);
        if (changes.length) {
          summary.people.changed += 1;
          await recordAudit(trx, { kind: "person.updated", at: now, personId: existing.personId, actorAccountId: options.importedBy?.accountId ?? null, ip: options.importedBy?.ip ?? null, detail: { by: "import", changes, ...(options.cause ? { cause: options.cause } : {}) } });
        }
        summary.people.matched.push(account.username);
      } else {
        const added = await addUser(trx, clock, { ...person, vpd: organisationRef.vpd, ...(options.invite ? { invite: true } : {}), ...(options.importedBy ? { addedBy: options.importedBy } : {}), ...(options.cause ? { cause: options.cause } : {}) });
        summary.people.added.push(added.username);
        if (added.generatedPassword) summary.generatedPasswords[added.username] = added.generatedPassword;
      }
    }
    // Line managers last: a manager may be a person the file adds below the people they manage.
    const lines = catalog.people.flatMap((person) => person.assignments.flatMap((assignment) => (assignment.lineManager === undefined ? [] : [{ number: assignment.number, lineManager: assignment.lineManager }])));
    await setLineManagersOf(trx, lines);
    // A people CSV is L&D's upload of staff, not a catalog: its row says so, and what it did to whom.
    const upload = options.peopleFile !== undefined;
    await recordAudit(trx, {
      kind: upload ? "people.uploaded" : "catalog.imported",
      at: now,
      actorAccountId: options.importedBy?.accountId ?? null,
      ip: options.importedBy?.ip ?? null,
      detail: upload
        ? { file: options.peopleFile, people: catalog.people.length, added: summary.people.added.length, changed: summary.people.changed }
        : { competencies: summary.competencies, certifications: summary.certifications, positions: summary.positions, people: catalog.people.length, ...(options.cause ? { cause: options.cause } : {}) },
    });
    return summary;
  });
}

function invalid(problems: string[]): AppError {
  return new AppError("catalog.invalid", `The catalog file has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, 400, problems);
}
