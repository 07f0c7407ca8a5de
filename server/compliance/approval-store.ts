import type { Db } from "../db/connect.ts";

/**
 * What recording a competence held from elsewhere and deciding on it read, and the lock the
 * recording takes (approvals.ts). The records themselves are written by server/records/ alone.
 */
export function createApprovalStore(db: Db) {
  return {
    /** Without an expiry given, the certification that gives the competency here: the longest valid. */
    async certificationGiving(competencyId: number): Promise<{ validDays: number; competenceLevel: string } | undefined> {
      const row = await db("certifications").where({ competency_id: competencyId }).orderBy("valid_days", "desc").first("valid_days", "competence_level");
      return row ? { validDays: Number(row.valid_days), competenceLevel: String(row.competence_level) } : undefined;
    },

    /** Takes the person's row lock for the rest of the transaction (PostgreSQL; SQLite writes one at a time anyway). */
    async lockPerson(personId: number): Promise<void> {
      await db("people").where({ id: personId }).forUpdate().first("id");
    },

    async awaitingCount(personId: number): Promise<number> {
      const awaiting = await db("competence_records").where({ person_id: personId, status: "awaiting_approval" }).count({ count: "*" }).first();
      return Number(awaiting?.count ?? 0);
    },

    /** A record to decide on, with whose it is and where to tell them. */
    async recordToDecide(recordId: number): Promise<{ personId: number; achievedOn: string; competency: string; email: string; vpd: string } | undefined> {
      const record = await db("competence_records")
        .join("competencies", "competencies.id", "competence_records.competency_id")
        .join("people", "people.id", "competence_records.person_id")
        .join("organisations", "organisations.id", "people.organisation_id")
        .where("competence_records.id", recordId)
        .first("competence_records.id", "competence_records.person_id", "competence_records.achieved_on", "competencies.name as competency", "people.email", "organisations.vpd");
      return record ? { personId: Number(record.person_id), achievedOn: String(record.achieved_on), competency: String(record.competency), email: String(record.email), vpd: String(record.vpd) } : undefined;
    },

    /** Whose person an account is: four eyes need to know who is deciding. */
    async personOfAccount(accountId: number): Promise<number | undefined> {
      const actor = await db("accounts").where({ id: accountId }).first("person_id");
      return actor ? Number(actor.person_id) : undefined;
    },

    /** L&D's queue: every record awaiting approval, oldest first, with its person and any evidence file. */
    async awaitingApproval() {
      return db("competence_records")
        .join("people", "people.id", "competence_records.person_id")
        .join("competencies", "competencies.id", "competence_records.competency_id")
        .leftJoin("evidence_files", "evidence_files.competence_record_id", "competence_records.id")
        .where("competence_records.status", "awaiting_approval")
        .orderBy("competence_records.id")
        .select("competence_records.id", "competence_records.achieved_on", "competence_records.expires_on", "competence_records.evidence", "competence_records.source", "competence_records.created_at", "competencies.name as competency", "people.id as person_id", "people.first_name", "people.last_name", "people.employee_number", "evidence_files.id as evidence_file_id", "evidence_files.original_name as evidence_file_name");
    },
  };
}
