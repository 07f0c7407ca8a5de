import type { Db } from "../db/connect.ts";
import type { CompetenceRecordRow, Requirement } from "./assignment-compliance.ts";

export function createComplianceStore(db: Db) {
  return {
    /** Every competency, by name: what a record may be added for. */
    async competencies(): Promise<Array<{ id: number; name: string }>> {
      return (await db("competencies").orderBy("name").select("id", "name")).map((row) => ({ id: Number(row.id), name: String(row.name) }));
    },

    async competency(id: number): Promise<{ id: number; name: string } | undefined> {
      const row = await db("competencies").where({ id }).first("id", "name");
      return row ? { id: Number(row.id), name: String(row.name) } : undefined;
    },

    /** Whose records a page shows: the person's name, or undefined when there is no such person. */
    async person(id: number): Promise<{ id: number; first_name: string; last_name: string } | undefined> {
      const row = await db("people").where({ id }).first("id", "first_name", "last_name");
      return row ? { id: Number(row.id), first_name: String(row.first_name), last_name: String(row.last_name) } : undefined;
    },

    async requirementsOfPosition(positionId: number): Promise<Requirement[]> {
      const rows = await db("competence_requirements")
        .join("competencies", "competencies.id", "competence_requirements.competency_id")
        .where("competence_requirements.position_id", positionId)
        .select("competencies.id", "competencies.name", "competence_requirements.essential", "competence_requirements.min_level", "competence_requirements.due_within_days");
      return rows.map((row) => ({
        competencyId: Number(row.id),
        competencyName: String(row.name),
        essential: Boolean(row.essential),
        minLevel: row.min_level ?? null,
        dueWithinDays: row.due_within_days === null || row.due_within_days === undefined ? null : Number(row.due_within_days),
      }));
    },

    /** Only approved records count toward compliance, and only those achieved by the date asked about. */
    async approvedRecordsOf(personId: number, asOf: string): Promise<CompetenceRecordRow[]> {
      const rows = await db("competence_records")
        .join("competencies", "competencies.id", "competence_records.competency_id")
        .where({ "competence_records.person_id": personId, "competence_records.status": "approved" })
        .andWhere("competence_records.achieved_on", "<=", asOf)
        .select("competencies.id", "competencies.name", "competence_records.level", "competence_records.expires_on");
      return rows.map((row) => ({
        competencyId: Number(row.id),
        competencyName: String(row.name),
        level: String(row.level),
        expiresOn: row.expires_on ?? null,
      }));
    },

    /** Every record the person holds, any status (the All Competencies and Awaiting Approval tabs). */
    async recordsOf(personId: number): Promise<HeldRecordRow[]> {
      const rows = await db("competence_records")
        .join("competencies", "competencies.id", "competence_records.competency_id")
        .where("competence_records.person_id", personId)
        .leftJoin("certifications", "certifications.id", "competence_records.certification_id")
        .orderBy([{ column: "competencies.name" }, { column: "competence_records.achieved_on", order: "desc" }, { column: "competence_records.id", order: "desc" }])
        .select("competence_records.*", "competencies.name", "certifications.name as certification_name");
      return rows.map((row) => ({
        id: Number(row.id),
        competencyId: Number(row.competency_id),
        competency: String(row.name),
        level: String(row.level),
        achievedOn: String(row.achieved_on),
        expiresOn: row.expires_on ?? null,
        source: String(row.source),
        status: String(row.status),
        decisionReason: row.decision_reason ?? null,
        certification: row.certification_name ?? null,
      }));
    },

    /** The certifications that give each of these competencies, by competency id, by name. */
    async certificationsGiving(competencyIds: number[]): Promise<Map<number, Array<{ id: number; name: string; validDays: number }>>> {
      const rows = competencyIds.length ? await db("certifications").whereIn("competency_id", competencyIds).orderBy("name").select("id", "name", "competency_id", "valid_days") : [];
      const giving = new Map<number, Array<{ id: number; name: string; validDays: number }>>();
      for (const row of rows) {
        const list = giving.get(Number(row.competency_id)) ?? [];
        list.push({ id: Number(row.id), name: String(row.name), validDays: Number(row.valid_days) });
        giving.set(Number(row.competency_id), list);
      }
      return giving;
    },

    /** Per competency, the person's open subscription progress: components credited of all. */
    async openProgress(personId: number): Promise<Map<number, { certification: string; done: number; of: number }>> {
      const rows = await db("subscriptions")
        .join("certifications", "certifications.id", "subscriptions.certification_id")
        .where({ "subscriptions.person_id": personId, "subscriptions.status": "Subscribed" })
        .select("certifications.competency_id", "certifications.name")
        // Only credits of courses that are components now: one dropped from the catalog keeps its credit, uncounted.
        .select(db.raw("(select count(*) from component_credits join certification_components on certification_components.certification_id = certifications.id and certification_components.course_code = component_credits.course_code where component_credits.subscription_id = subscriptions.id) as done"))
        .select(db.raw("(select count(*) from certification_components where certification_components.certification_id = certifications.id) as total"));
      return new Map(rows.map((row) => [Number(row.competency_id), { certification: String(row.name), done: Number(row.done), of: Number(row.total) }]));
    },
  };
}

export interface HeldRecordRow {
  id: number;
  competencyId: number;
  competency: string;
  level: string;
  achievedOn: string;
  expiresOn: string | null;
  source: string;
  status: string;
  /** A rejection's reason, which the learner sees. */
  decisionReason: string | null;
  /** The certification whose completion gave it, when one did. */
  certification: string | null;
}
