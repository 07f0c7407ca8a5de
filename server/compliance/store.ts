import type { Db } from "../db/connect.ts";
import type { CompetenceRecordRow, Requirement } from "./assignment-compliance.ts";

export function createComplianceStore(db: Db) {
  return {
    async requirementsOfPosition(positionId: number): Promise<Requirement[]> {
      const rows = await db("competence_requirements")
        .join("competencies", "competencies.id", "competence_requirements.competency_id")
        .where("competence_requirements.position_id", positionId)
        .select("competencies.id", "competencies.name", "competence_requirements.essential", "competence_requirements.min_level");
      return rows.map((row) => ({
        competencyId: Number(row.id),
        competencyName: String(row.name),
        essential: Boolean(row.essential),
        minLevel: row.min_level ?? null,
      }));
    },

    /** Only approved records count toward compliance. */
    async approvedRecordsOf(personId: number): Promise<CompetenceRecordRow[]> {
      const rows = await db("competence_records")
        .join("competencies", "competencies.id", "competence_records.competency_id")
        .where({ "competence_records.person_id": personId, "competence_records.status": "approved" })
        .select("competencies.id", "competencies.name", "competence_records.level", "competence_records.expires_on");
      return rows.map((row) => ({
        competencyId: Number(row.id),
        competencyName: String(row.name),
        level: String(row.level),
        expiresOn: row.expires_on ?? null,
      }));
    },
  };
}
