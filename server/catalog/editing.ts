import { z } from "zod";
import { isRowId, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal, type Problem } from "../problems.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { settleSubscriptions, courseCodesOfCertification, courseCodesOfCompetency, refreshCourseSearch } from "../learning/index.ts";
import { componentSchema, days, jsonPath, text } from "./catalog-schema.ts";
import { createCatalogStore, type CatalogStore, type CatalogTable } from "./store.ts";

/**
 * The catalog edited one row at a time in the browser (authors and L&D), keyed by id so that a
 * rename keeps every subscription, record and requirement attached. Each save checks the same
 * field rules as the catalog file (catalog-schema.ts), lists every problem at once, each on the
 * id of its input in the form (catalog/*.ejs: a component's course is course-2, a requirement's
 * due days due-<competency id>), and writes in one transaction with its audit event.
 */

const competencySchema = z.strictObject({ name: text(300), description: z.string().max(10000, "must be at most 10000 characters") });

const certificationSchema = z.strictObject({
  name: text(300),
  competencyId: z.number().int().positive("choose the competency it gives"),
  competenceLevel: text(100),
  validDays: days,
  completeWithinDays: days,
  renewable: z.boolean(),
  description: z.string().max(10000, "must be at most 10000 characters"),
  components: z.array(componentSchema).min(1, "a certification needs at least one component"),
});

const positionSchema = z.strictObject({
  name: text(200),
  requirements: z.array(
    z.strictObject({ competencyId: z.number().int().positive(), essential: z.boolean(), minLevel: text(100).optional(), dueWithinDays: days.optional() }),
  ),
});

export type CompetencyInput = z.infer<typeof competencySchema>;
export type CertificationInput = z.infer<typeof certificationSchema>;
export type PositionInput = z.infer<typeof positionSchema>;

const LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  competencyId: "Competency",
  competenceLevel: "Competence level",
  validDays: "Valid for (days)",
  completeWithinDays: "Complete within (days)",
  components: "Components",
  course: "course",
  requires: "needs",
  satisfiedBy: "satisfied by",
  requirements: "Requirements",
  minLevel: "minimum level",
  dueWithinDays: "due within (days)",
};

export async function saveCompetency(db: Db, clock: Clock, actor: Actor, id: number | undefined, input: CompetencyInput): Promise<number> {
  const value = { ...input, name: input.name.trim() };
  const problems = fieldProblems(competencySchema, value, topLevelField);
  if (await createCatalogStore(db).nameTaken("competencies", value.name, id)) problems.push({ field: "name", message: `Name: a competency named "${value.name}" already exists` });
  refuse(problems);
  return save(db, clock, actor, "competencies", id, { name: value.name, description: value.description }, "catalog.competency_saved", async (trx, savedId) => {
    await refreshCourseSearch(trx, await courseCodesOfCompetency(trx, savedId));
  });
}

export async function saveCertification(db: Db, clock: Clock, actor: Actor, id: number | undefined, input: CertificationInput): Promise<number> {
  const value = { ...input, name: input.name.trim() };
  const store = createCatalogStore(db);
  const problems = fieldProblems(certificationSchema, value, componentField);
  if (await store.nameTaken("certifications", value.name, id)) problems.push({ field: "name", message: `Name: a certification named "${value.name}" already exists` });
  if (value.competencyId && (!isRowId(value.competencyId) || !(await store.competencyExists(value.competencyId)))) problems.push({ field: "competencyId", message: "Competency: choose the competency it gives" });
  const courses = value.components.map((component) => component.course);
  const known = new Set(await store.importedCourseCodes(courses));
  // A component may name a course not imported yet (a catalog file can set one up first); keep those, add no new ones.
  if (id !== undefined) for (const code of await store.componentCourseCodes(id)) known.add(code);
  value.components.forEach((component, index) => {
    const at = `Component ${index + 1}`;
    // The form shows the components again in this order, so row index + 1 is this component's.
    if (!known.has(component.course)) problems.push({ field: `course-${index + 1}`, message: `${at}: no imported course has the code "${component.course}"` });
    if (courses.indexOf(component.course) !== index) problems.push({ field: `course-${index + 1}`, message: `${at}: "${component.course}" is listed twice` });
    if (component.satisfiedBy !== undefined && (component.satisfiedBy === component.course || !courses.includes(component.satisfiedBy))) {
      problems.push({ field: `satisfiedBy-${index + 1}`, message: `${at}: satisfied by "${component.satisfiedBy}" must be another component of this certification` });
    }
  });
  refuse(problems);
  const { components, competencyId, competenceLevel, validDays, completeWithinDays, ...rest } = value;
  const row = { ...rest, competency_id: competencyId, competence_level: competenceLevel, valid_days: validDays, complete_within_days: completeWithinDays };
  return save(db, clock, actor, "certifications", id, row, "catalog.certification_saved", async (trx, savedId, now) => {
    await createCatalogStore(trx).replaceComponents(savedId, components);
    // A component removed (or a rule added) can leave an open subscription with all it now needs.
    await settleSubscriptions(trx, { certificationIds: [savedId] }, now, "the certification's components were changed");
  });
}

export async function savePosition(db: Db, clock: Clock, actor: Actor, id: number | undefined, input: PositionInput): Promise<number> {
  const value = { ...input, name: input.name.trim() };
  const store = createCatalogStore(db);
  // "Requirement 2 due within (days)" names the competency, as the form's rows do.
  // Only ids that can be rows are looked up ("abc" from a tampered form is NaN): any other is "no longer exists" below.
  const named = await store.competencyNames(value.requirements.map((r) => r.competencyId).filter(isRowId));
  const problems = fieldProblems(positionSchema, value, requirementField(value.requirements)).map((problem) => ({
    ...problem,
    message: problem.message.replace(/^Requirement (\d+)/, (whole, n: string) => named.get(value.requirements[Number(n) - 1]?.competencyId ?? 0) ?? whole),
  }));
  const existing = id === undefined ? undefined : await store.organisationOfPosition(id);
  if (id !== undefined && existing === undefined) throw notFound("That position");
  const organisationId = existing ?? (await soleOrganisationId(store));
  const clash = await store.positionIdNamed(organisationId, value.name);
  if (clash !== undefined && clash !== id) problems.push({ field: "name", message: `Name: a position named "${value.name}" already exists` });
  const wanted = value.requirements.map((requirement) => requirement.competencyId);
  const known = await store.existingCompetencyIds(wanted.filter(isRowId));
  // Only a form left open while a competency was deleted (or a tampered one) gets these: they link to the table.
  if (wanted.some((competencyId) => !known.has(competencyId))) problems.push({ field: "requirements", message: "Requirements: a chosen competency no longer exists; reload the page" });
  if (new Set(wanted).size !== wanted.length) problems.push({ field: "requirements", message: "Requirements: a competency is listed twice" });
  refuse(problems);
  return save(db, clock, actor, "positions", id, { name: value.name, organisation_id: organisationId }, "catalog.position_saved", async (trx, savedId) => {
    await createCatalogStore(trx).replaceRequirements(savedId, value.requirements);
  });
}

/** Deletes what nothing refers to; otherwise says what still does, so nobody's history is cut loose. */
export async function deleteCatalogRow(db: Db, clock: Clock, actor: Actor, kind: "competency" | "certification" | "position", id: number): Promise<string> {
  const table = ({ competency: "competencies", certification: "certifications", position: "positions" } as const)[kind];
  const uses: Record<typeof kind, Array<[string, string, string]>> = {
    competency: [["certifications", "competency_id", "certifications give it"], ["competence_requirements", "competency_id", "positions require it"], ["competence_records", "competency_id", "competence records hold it"]],
    certification: [["subscriptions", "certification_id", "subscriptions use it"], ["competence_records", "certification_id", "competence records came from it"]],
    position: [["assignments", "position_id", "assignments hold it"]],
  };
  return db.transaction(async (trx) => {
    const store = createCatalogStore(trx);
    const row = await store.entry(table, id);
    if (!row) throw notFound(`That ${kind}`);
    const inUse: string[] = [];
    for (const [usedBy, column, words] of uses[kind]) {
      const count = await store.referencesTo(usedBy, column, id);
      if (count) inUse.push(`${count} ${words}`);
    }
    if (inUse.length) throw new AppError("catalog.in_use", `"${row.name}" cannot be deleted while ${inUse.join(", ")}`, 409);
    const codes = kind === "certification" ? await courseCodesOfCertification(trx, id) : [];
    await store.deleteEntry(table, id);
    await refreshCourseSearch(trx, codes);
    await recordAudit(trx, { kind: `catalog.${kind}_deleted`, at: clock.now().toISOString(), actorAccountId: actor.accountId, ip: actor.ip, detail: { id, name: row.name } });
    return String(row.name);
  });
}

async function save(
  db: Db,
  clock: Clock,
  actor: Actor,
  table: CatalogTable,
  id: number | undefined,
  row: Record<string, unknown>,
  auditKind: string,
  andThen: (trx: Db, id: number, now: string) => Promise<void>,
): Promise<number> {
  const now = clock.now().toISOString();
  return db.transaction(async (trx) => {
    const store = createCatalogStore(trx);
    let savedId = id;
    if (savedId === undefined) {
      savedId = await store.insertEntry(table, row);
    } else if (!(await store.updateEntry(table, savedId, row))) {
      throw notFound("That catalog entry");
    }
    await andThen(trx, savedId, now);
    await recordAudit(trx, { kind: auditKind, at: now, actorAccountId: actor.accountId, ip: actor.ip, detail: { id: savedId, name: row.name, created: id === undefined } });
    return savedId;
  });
}

/** The field rules' problems, in the form's words, each on its input; the checks against the database add theirs after. */
function fieldProblems<T>(schema: z.ZodType<T>, input: T, fieldOf: (path: ReadonlyArray<PropertyKey>) => string): Problem[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: fieldOf(issue.path), message: `${label(issue.path)}: ${issue.message}` }));
}

/** A top-level field's input has the field's own name as its id (name, validDays...). */
const topLevelField = (path: ReadonlyArray<PropertyKey>): string => String(path[0]);

/** ["components", 1, "course"] -> course-2; a certification with no component at all -> the first row's course. */
function componentField(path: ReadonlyArray<PropertyKey>): string {
  const [first, index, field] = path;
  if (first !== "components") return topLevelField(path);
  return `${typeof field === "string" ? field : "course"}-${typeof index === "number" ? index + 1 : 1}`;
}

/** ["requirements", 0, "dueWithinDays"] -> due-<that competency's id>, as position.ejs names its row's inputs. */
function requirementField(requirements: PositionInput["requirements"]) {
  return (path: ReadonlyArray<PropertyKey>): string => {
    const [first, index, field] = path;
    if (first !== "requirements") return topLevelField(path);
    const competencyId = typeof index === "number" ? requirements[index]?.competencyId : undefined;
    if (competencyId === undefined) return "requirements";
    return `${field === "dueWithinDays" ? "due" : field === "minLevel" ? "minLevel" : "need"}-${competencyId}`;
  };
}

/** ["components", 1, "course"] -> "Component 2 course", in the form's own words. */
function label(path: ReadonlyArray<PropertyKey>): string {
  const [first, index, field] = path;
  if ((first === "components" || first === "requirements") && typeof index === "number") {
    return `${first === "components" ? "Component" : "Requirement"} ${index + 1}${field ? ` ${LABELS[String(field)] ?? String(field)}` : ""}`;
  }
  return LABELS[String(first)] ?? jsonPath(path);
}

/** The forms' fields above their tables, in the order the forms show them. */
const FORM_ORDER = ["name", "competencyId", "competenceLevel", "validDays", "completeWithinDays", "description"];

/** Refuses with every problem, in the form's order (the summary reads as the page does): the fields above the table first, then its rows'. */
function refuse(problems: Problem[]): void {
  const place = (problem: Problem) => (FORM_ORDER.includes(problem.field) ? FORM_ORDER.indexOf(problem.field) : FORM_ORDER.length);
  if (problems.length) throw new FormRefusal("catalog.invalid", problems.map((problem, index) => ({ problem, index })).sort((a, b) => place(a.problem) - place(b.problem) || a.index - b.index).map(({ problem }) => problem));
}

async function soleOrganisationId(store: CatalogStore): Promise<number> {
  const ids = await store.firstOrganisationIds();
  if (ids.length !== 1) throw new AppError("catalog.organisation", ids.length ? "Several organisations exist: add positions with lms import-catalog, naming the organisation" : "No organisation exists yet: run lms seed-demo or lms import-catalog first", 400);
  return ids[0]!;
}
