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
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;
