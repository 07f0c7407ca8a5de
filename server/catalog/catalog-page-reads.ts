import type { Db } from "../db/connect.ts";
import { notFound } from "../errors.ts";

/** What the catalog pages show: read-only queries, one per page. */

/** How many rows of a table point at each id, as id -> count. */
async function counts(db: Db, table: string, column: string, where: Record<string, unknown> = {}): Promise<Map<number, number>> {
  const rows: Array<Record<string, unknown>> = await db(table).where(where).select(`${column} as id`).count({ n: "*" }).groupBy(column);
  return new Map(rows.map((row) => [Number(row.id), Number(row.n)]));
}

export async function catalogOverview(db: Db) {
  const [competencies, certifications, positions, certificationsPer, requirementsPer, componentsPer, subscriptionsPer, essentialPer, assignmentsPer] = await Promise.all([
    db("competencies").orderBy("name").select("id", "name"),
    db("certifications").join("competencies", "competencies.id", "certifications.competency_id").orderBy("certifications.name").select("certifications.id", "certifications.name", "certifications.competence_level", "certifications.valid_days", "certifications.renewable", "competencies.name as competency"),
    db("positions").orderBy("name").select("id", "name"),
    counts(db, "certifications", "competency_id"),
    counts(db, "competence_requirements", "competency_id"),
    counts(db, "certification_components", "certification_id"),
    counts(db, "subscriptions", "certification_id"),
    counts(db, "competence_requirements", "position_id", { essential: true }),
    counts(db, "assignments", "position_id"),
  ]);
  return {
    competencies: competencies.map((row) => ({ id: Number(row.id), name: String(row.name), certifications: certificationsPer.get(Number(row.id)) ?? 0, positions: requirementsPer.get(Number(row.id)) ?? 0 })),
    certifications: certifications.map((row) => ({
      id: Number(row.id),
      name: String(row.name),
      competency: String(row.competency),
      competenceLevel: String(row.competence_level),
      validDays: Number(row.valid_days),
      renewable: Boolean(row.renewable),
      components: componentsPer.get(Number(row.id)) ?? 0,
      subscriptions: subscriptionsPer.get(Number(row.id)) ?? 0,
    })),
    positions: positions.map((row) => ({ id: Number(row.id), name: String(row.name), essential: essentialPer.get(Number(row.id)) ?? 0, assignments: assignmentsPer.get(Number(row.id)) ?? 0 })),
  };
}

export async function competencyForm(db: Db, id: number | undefined) {
  const row = id === undefined ? undefined : await db("competencies").where({ id }).first("id", "name", "description");
  if (id !== undefined && !row) throw notFound("That competency");
  return { id, values: { name: row?.name ?? "", description: row?.description ?? "" } };
}

export async function certificationForm(db: Db, id: number | undefined) {
  const row = id === undefined ? undefined : await db("certifications").where({ id }).first();
  if (id !== undefined && !row) throw notFound("That certification");
  const components = id === undefined ? [] : await db("certification_components").where({ certification_id: id }).orderBy("position").select("course_code", "requires", "satisfied_by_course_code");
  const courses = (await db("courses").orderBy("code").select("code", "title", "kind")).map((course) => ({ code: String(course.code), title: String(course.title), kind: String(course.kind) }));
  // A component set up by a catalog file before its package was imported still shows, so a save keeps it.
  for (const component of components) if (!courses.some((course) => course.code === component.course_code)) courses.push({ code: String(component.course_code), title: "(not imported yet)", kind: "" });
  const levels = (await db("certifications").distinct("competence_level").orderBy("competence_level")).map((level) => String(level.competence_level));
  return {
    id,
    competencies: await db("competencies").orderBy("name").select("id", "name"),
    courses,
    levels,
    values: {
      name: row?.name ?? "",
      competencyId: row ? Number(row.competency_id) : 0,
      competenceLevel: row?.competence_level ?? "",
      validDays: row ? Number(row.valid_days) : 1095,
      completeWithinDays: row ? Number(row.complete_within_days) : 90,
      renewable: row ? Boolean(row.renewable) : true,
      description: row?.description ?? "",
      components: components.map((component) => ({ course: String(component.course_code), requires: String(component.requires), satisfiedBy: component.satisfied_by_course_code ?? undefined })),
    },
  };
}

export async function positionForm(db: Db, id: number | undefined) {
  const row = id === undefined ? undefined : await db("positions").where({ id }).first("id", "name");
  if (id !== undefined && !row) throw notFound("That position");
  const requirements = id === undefined ? [] : await db("competence_requirements").where({ position_id: id }).select("competency_id", "essential", "min_level", "due_within_days");
  const assignments = id === undefined ? 0 : Number((await db("assignments").where({ position_id: id }).count({ n: "*" }).first())?.n ?? 0);
  return {
    id,
    assignments,
    competencies: await db("competencies").orderBy("name").select("id", "name"),
    values: {
      name: row?.name ?? "",
      requirements: requirements.map((requirement) => ({
        competencyId: Number(requirement.competency_id),
        essential: Boolean(requirement.essential),
        minLevel: requirement.min_level ?? undefined,
        dueWithinDays: requirement.due_within_days === null ? undefined : Number(requirement.due_within_days),
      })),
    },
  };
}
