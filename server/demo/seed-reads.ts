import type { Db } from "../db/connect.ts";

/**
 * What seeding the demo trust (seed.ts) reads to stay safe to run again: whether the database is
 * new, which demo courses are already imported, whether the demo learner has records yet, and the
 * competencies and certifications the learner's records name. Read-only: the writes go through the
 * areas that own these tables.
 */

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db("organisations").count({ count: "*" }).first();
  return Number(row?.count ?? 0) === 0;
}

export async function courseExists(db: Db, code: string): Promise<boolean> {
  return Boolean(await db("courses").where({ code }).first("id"));
}

export async function hasCompetenceRecords(db: Db, personId: number): Promise<boolean> {
  return Boolean(await db("competence_records").where({ person_id: personId }).first("id"));
}

/** The competency with this name (it must exist), and the certification that awards it, if any. */
export async function competencyAndCertification(db: Db, name: string): Promise<{ competencyId: number; certification: { id: number; competenceLevel: string | null } | undefined }> {
  const competency = await db("competencies").where({ name }).first("id");
  const certification = await db("certifications").where({ competency_id: competency.id }).first("id", "competence_level");
  return { competencyId: competency.id, certification: certification ? { id: certification.id, competenceLevel: certification.competence_level } : undefined };
}
