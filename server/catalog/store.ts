import type { Db } from "../db/connect.ts";
import { refreshCourseSearch } from "../learning/index.ts";

/** Catalog rows keyed by their names, as the catalog file and the guide name them. */
export function createCatalogStore(db: Db) {
  return {
    async competencyIdsByName(): Promise<Map<string, number>> {
      const rows = await db("competencies").select("id", "name");
      return new Map(rows.map((row) => [String(row.name), Number(row.id)]));
    },

    async upsertCompetency(name: string, description: string | undefined): Promise<number> {
      const existing = await db("competencies").where({ name }).first("id");
      if (existing) {
        if (description !== undefined) await db("competencies").where({ id: existing.id }).update({ description });
        return Number(existing.id);
      }
      const [row] = await db("competencies").insert({ name, description: description ?? "" }).returning("id");
      return Number(row.id);
    },

    async upsertCertification(certification: {
      name: string;
      competencyId: number;
      competenceLevel: string;
      validDays: number;
      completeWithinDays: number;
      renewable: boolean;
      description?: string | undefined;
    }): Promise<number> {
      const values = {
        competency_id: certification.competencyId,
        competence_level: certification.competenceLevel,
        valid_days: certification.validDays,
        complete_within_days: certification.completeWithinDays,
        renewable: certification.renewable,
        ...(certification.description !== undefined ? { description: certification.description } : {}),
      };
      const existing = await db("certifications").where({ name: certification.name }).first("id");
      if (existing) {
        await db("certifications").where({ id: existing.id }).update(values);
        return Number(existing.id);
      }
      const [row] = await db("certifications").insert({ name: certification.name, ...values }).returning("id");
      return Number(row.id);
    },

    /** The file's component list becomes the certification's, in its order; rows keep their ids. */
    async replaceComponents(
      certificationId: number,
      components: Array<{ course: string; requires: string; satisfiedBy?: string | undefined }>,
    ): Promise<void> {
      const existing = await db("certification_components").where({ certification_id: certificationId });
      const byCourse = new Map(existing.map((row) => [String(row.course_code), Number(row.id)]));
      const kept = new Set<number>();
      // Positions are first moved out of the way so that reordering never collides.
      await db("certification_components").where({ certification_id: certificationId }).update({ position: db.raw("position + 100000") });
      for (const [index, component] of components.entries()) {
        const values = { position: index + 1, requires: component.requires, satisfied_by_course_code: component.satisfiedBy ?? null };
        const id = byCourse.get(component.course);
        if (id !== undefined) {
          kept.add(id);
          await db("certification_components").where({ id }).update(values);
        } else {
          await db("certification_components").insert({ certification_id: certificationId, course_code: component.course, ...values });
        }
      }
      const removed = existing.map((row) => Number(row.id)).filter((id) => !kept.has(id));
      if (removed.length) await db("certification_components").whereIn("id", removed).delete();
      await refreshCourseSearch(db, [...existing.map((row) => String(row.course_code)), ...components.map((component) => component.course)]);
    },

    async upsertPosition(organisationId: number, name: string): Promise<number> {
      const existing = await db("positions").where({ organisation_id: organisationId, name }).first("id");
      if (existing) return Number(existing.id);
      const [row] = await db("positions").insert({ organisation_id: organisationId, name }).returning("id");
      return Number(row.id);
    },

    /** The file's requirement list becomes the position's. */
    async replaceRequirements(
      positionId: number,
      requirements: Array<{ competencyId: number; essential: boolean; minLevel?: string | undefined; dueWithinDays?: number | undefined }>,
    ): Promise<void> {
      const wanted = new Set(requirements.map((requirement) => requirement.competencyId));
      const existing = await db("competence_requirements").where({ position_id: positionId });
      const stale = existing.filter((row) => !wanted.has(Number(row.competency_id))).map((row) => Number(row.id));
      if (stale.length) await db("competence_requirements").whereIn("id", stale).delete();
      const held = new Set(existing.map((row) => Number(row.competency_id)));
      for (const requirement of requirements) {
        const values = { essential: requirement.essential, min_level: requirement.minLevel ?? null, due_within_days: requirement.dueWithinDays ?? null };
        if (held.has(requirement.competencyId)) {
          await db("competence_requirements").where({ position_id: positionId, competency_id: requirement.competencyId }).update(values);
        } else {
          await db("competence_requirements").insert({ position_id: positionId, competency_id: requirement.competencyId, ...values });
        }
      }
    },

    // The catalog edited one row at a time in the browser (editing.ts): its checks against the
    // database, and its writes by id.

    /** Names differing only in case are the same name to a reader: one of them is taken. */
    async nameTaken(table: CatalogTable, name: string, id: number | undefined): Promise<boolean> {
      const row = await db(table).whereRaw("lower(name) = lower(?)", [name]).andWhereNot("id", id ?? 0).first("id");
      return Boolean(row);
    },

    async competencyExists(id: number): Promise<boolean> {
      return Boolean(await db("competencies").where({ id }).first("id"));
    },

    /** Of these course codes, those an imported course has. */
    async importedCourseCodes(codes: string[]): Promise<string[]> {
      return (await db("courses").whereIn("code", codes).select("code")).map((row) => String(row.code));
    },

    /** The course codes the certification's components name now, imported or not. */
    async componentCourseCodes(certificationId: number): Promise<string[]> {
      return (await db("certification_components").where({ certification_id: certificationId }).select("course_code")).map((row) => String(row.course_code));
    },

    /** The names of those of these competencies that exist, by id. */
    async competencyNames(ids: number[]): Promise<Map<number, string>> {
      return new Map((await db("competencies").whereIn("id", ids).select("id", "name")).map((row) => [Number(row.id), String(row.name)]));
    },

    /** Those of these competencies that exist. */
    async existingCompetencyIds(ids: number[]): Promise<Set<number>> {
      return new Set((await db("competencies").whereIn("id", ids).select("id")).map((row) => Number(row.id)));
    },

    async organisationOfPosition(positionId: number): Promise<number | undefined> {
      const row = await db("positions").where({ id: positionId }).first("organisation_id");
      return row ? Number(row.organisation_id) : undefined;
    },

    async positionIdNamed(organisationId: number, name: string): Promise<number | undefined> {
      const row = await db("positions").where({ organisation_id: organisationId, name }).first("id");
      return row ? Number(row.id) : undefined;
    },

    /** The first two organisations' ids, enough to tell none, one and several apart. */
    async firstOrganisationIds(): Promise<number[]> {
      return (await db("organisations").orderBy("id").limit(2).select("id")).map((row) => Number(row.id));
    },

    async entry(table: CatalogTable, id: number): Promise<{ id: number; name: string } | undefined> {
      const row = await db(table).where({ id }).first("id", "name");
      return row ? { id: Number(row.id), name: String(row.name) } : undefined;
    },

    /** How many rows of another table refer to a catalog entry through `column`. */
    async referencesTo(table: string, column: string, id: number): Promise<number> {
      return Number((await db(table).where(column, id).count({ n: "*" }).first())?.n ?? 0);
    },

    async insertEntry(table: CatalogTable, row: Record<string, unknown>): Promise<number> {
      const [inserted] = await db(table).insert(row).returning("id");
      return Number(inserted.id);
    },

    /** How many rows changed: 0 when the entry is gone. */
    async updateEntry(table: CatalogTable, id: number, row: Record<string, unknown>): Promise<number> {
      return db(table).where({ id }).update(row);
    },

    async deleteEntry(table: CatalogTable, id: number): Promise<void> {
      await db(table).where({ id }).delete();
    },
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;

/** The tables the catalog editor saves a row of. */
export type CatalogTable = "competencies" | "certifications" | "positions";
