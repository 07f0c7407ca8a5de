import type { Db } from "../db/connect.ts";

// The one writer of competence_records, the table compliance is computed from (DESIGN.md rule 5,
// in server/compliance/): crediting a completed certification, a record sent for approval, a
// transfer from another organisation and the demo trust all add theirs here, and L&D's decisions
// change them here. Called inside the caller's transaction, which also audits the change.

/** A competence record as it is added. */
export interface NewCompetenceRecord {
  personId: number;
  competencyId: number;
  level: string;
  achievedOn: string;
  /** Null for a record that never expires. */
  expiresOn: string | null;
  /** A certification completed here, a record someone added by hand, or one transferred in. */
  source: "certification" | "manual" | "transfer";
  /** Credited records are approved at once; added and transferred ones wait for L&D. */
  status: "approved" | "awaiting_approval";
  certificationId?: number | null;
  evidence?: string;
  at: string;
}

export async function addCompetenceRecord(trx: Db, record: NewCompetenceRecord): Promise<number> {
  const [row] = await trx("competence_records")
    .insert({
      person_id: record.personId,
      competency_id: record.competencyId,
      level: record.level,
      achieved_on: record.achievedOn,
      expires_on: record.expiresOn,
      source: record.source,
      status: record.status,
      ...(record.certificationId !== undefined ? { certification_id: record.certificationId } : {}),
      ...(record.evidence !== undefined ? { evidence: record.evidence } : {}),
      created_at: record.at,
    })
    .returning("id");
  return Number(row.id);
}

/** L&D's decision on a record awaiting approval; false when it was decided already (by another administrator, say). */
export async function decideCompetenceRecord(trx: Db, decision: { recordId: number; approve: boolean; decidedBy: number; at: string; reason: string | null }): Promise<boolean> {
  const changed = await trx("competence_records")
    .where({ id: decision.recordId, status: "awaiting_approval" })
    .update({ status: decision.approve ? "approved" : "rejected", decided_by: decision.decidedBy, decided_at: decision.at, decision_reason: decision.reason });
  return changed > 0;
}
