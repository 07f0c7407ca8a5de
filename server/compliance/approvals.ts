import { addCompetenceRecord, decideCompetenceRecord } from "../records/index.ts";
import { isRowId, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { addDays, isCalendarDate } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { queueMail } from "../mail/index.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { attachEvidenceFile, checkEvidenceFile, evidenceQuotaProblem, evidenceUse, type CheckedEvidence, type EvidenceStorage, type EvidenceUpload } from "./evidence-files.ts";
import type { Config } from "../config.ts";

/**
 * A competence held from elsewhere (another trust, a course outside the LMS), recorded by the
 * learner or L&D: it waits on the learner's Awaiting Approval tab and in L&D's queue, and counts
 * only once approved (the compliance queries read approved records alone).
 */
export async function recordHeldElsewhere(
  db: Db,
  clock: Clock,
  input: { personId: number; actorAccountId: number; competencyId: number; achievedOn: string; expiresOn?: string; evidence: string; ip: string | null; quotas: Config["quotas"]; file?: { upload: EvidenceUpload; storage: EvidenceStorage } },
): Promise<number> {
  const today = clock.today();
  const problems: string[] = [];
  const competency = isRowId(input.competencyId) ? await db("competencies").where({ id: input.competencyId }).first("id", "name") : undefined;
  if (!competency) problems.push("Choose the competency you hold");
  if (!isCalendarDate(input.achievedOn)) problems.push("Enter the date you achieved it as YYYY-MM-DD");
  else if (input.achievedOn > today) problems.push("The date achieved cannot be in the future");
  if (input.expiresOn && !isCalendarDate(input.expiresOn)) problems.push("Enter the expiry date as YYYY-MM-DD, or leave it empty");
  else if (input.expiresOn && input.expiresOn <= input.achievedOn) problems.push("The expiry date must come after the date achieved");
  if (!input.evidence.trim()) problems.push("Say where it was achieved (evidence), so that Learning and Development can check it");
  if (input.evidence.length > 2000) problems.push("Keep the evidence to 2,000 characters");
  let file: CheckedEvidence | undefined;
  if (input.file) {
    const checked = checkEvidenceFile(input.file.upload);
    if ("problem" in checked) problems.push(checked.problem);
    else file = checked.checked;
  }
  if (problems.length) throw new AppError("approvals.invalid", "The record cannot be saved", 400, problems);
  // Without an expiry given, the validity of the certification that gives the competency here.
  const certification = await db("certifications").where({ competency_id: competency.id }).orderBy("valid_days", "desc").first("valid_days", "competence_level");
  const expiresOn = input.expiresOn || (certification ? addDays(input.achievedOn, Number(certification.valid_days)) : null);
  const at = clock.now().toISOString();
  // The record and its file are kept together or not at all: a file kept by a transaction that
  // then fails to commit is removed again.
  let kept: string | undefined;
  try {
    return await db.transaction(async (trx) => {
      // One person's saves one at a time (PostgreSQL; SQLite writes one at a time anyway), so that
      // two at once cannot both fit in the room one of them leaves.
      await trx("people").where({ id: input.personId }).forUpdate().first("id");
      const awaiting = await trx("competence_records").where({ person_id: input.personId, status: "awaiting_approval" }).count({ count: "*" }).first();
      if (Number(awaiting?.count ?? 0) >= input.quotas.awaitingApproval) {
        throw new AppError("approvals.too_many_awaiting", `${input.quotas.awaitingApproval} records are awaiting approval for this person, the most kept at once. Nothing was saved; wait for Learning and Development to decide on them`, 409);
      }
      const roomProblem = file && evidenceQuotaProblem(await evidenceUse(trx, input.personId), { files: 1, bytes: file.size }, input.quotas);
      if (roomProblem) throw new AppError("evidence.quota", roomProblem, 413);
      const recordId = await addCompetenceRecord(trx, { personId: input.personId, competencyId: competency.id, level: certification?.competence_level ?? "1 - Assessed", achievedOn: input.achievedOn, expiresOn, source: "manual", status: "awaiting_approval", evidence: input.evidence.trim(), at });
      const evidenceFile = file && { name: file.originalName.slice(0, 255), bytes: file.size, type: file.kind.contentType };
      await recordAudit(trx, { kind: "competence.recorded", at, actorAccountId: input.actorAccountId, personId: input.personId, ip: input.ip, detail: { recordId, competency: competency.name, achievedOn: input.achievedOn, expiresOn, evidenceFile } });
      if (file && input.file) kept = await attachEvidenceFile(trx, input.file.storage, { recordId, file, uploadedBy: input.actorAccountId, at });
      return recordId;
    });
  } catch (error) {
    if (kept && input.file) input.file.storage.remove(kept);
    throw error;
  }
}

/** L&D's decision on a record awaiting approval; a rejection says why. Decided once. */
export async function decideRecord(db: Db, clock: Clock, input: { recordId: number; approve: boolean; reason: string; actorAccountId: number; ip: string | null }): Promise<void> {
  if (!isRowId(input.recordId)) throw notFound("That record");
  const reason = input.reason.trim().slice(0, 1000);
  if (!input.approve && !reason) throw new AppError("approvals.reason", "Give the reason for rejecting it: the learner sees it", 400);
  const at = clock.now().toISOString();
  await db.transaction(async (trx) => {
    const record = await trx("competence_records")
      .join("competencies", "competencies.id", "competence_records.competency_id")
      .join("people", "people.id", "competence_records.person_id")
      .join("organisations", "organisations.id", "people.organisation_id")
      .where("competence_records.id", input.recordId)
      .first("competence_records.id", "competence_records.person_id", "competence_records.achieved_on", "competencies.name as competency", "people.email", "organisations.vpd");
    if (!record) throw notFound("That record");
    // Four eyes: nobody approves or rejects a competence of their own.
    const actor = await trx("accounts").where({ id: input.actorAccountId }).first("person_id");
    if (actor && Number(actor.person_id) === Number(record.person_id)) throw new AppError("approvals.own_record", "You cannot decide on your own competence record: another administrator must", 403);
    const changed = await decideCompetenceRecord(trx, { recordId: input.recordId, approve: input.approve, decidedBy: input.actorAccountId, at, reason: reason || null });
    if (!changed) throw new AppError("approvals.decided", "That record has been decided already", 409);
    await recordAudit(trx, { kind: input.approve ? "competence.approved" : "competence.rejected", at, actorAccountId: input.actorAccountId, personId: Number(record.person_id), ip: input.ip, detail: { recordId: input.recordId, reason: reason || undefined } });
    // The learner hears the outcome, with the reason when it is a rejection (also on their Awaiting Approval tab).
    const what = `${competencyLabel(String(record.competency))}, achieved ${guideDate(String(record.achieved_on))}`;
    await queueMail(
      trx,
      {
        to: String(record.email),
        subject: `${record.vpd} Competence ${input.approve ? "approved" : "not approved"}`,
        text: (input.approve
          ? [`Learning and Development have approved your competence record: ${what}.`, "", "It now counts towards your compliance."]
          : [`Learning and Development have not approved your competence record: ${what}.`, "", `Reason: ${reason}`, "", "You can see it on the Awaiting Approval tab of your Compliance and Competency page, and record it again with better evidence."]
        ).join("\n"),
      },
      at,
    );
  });
}

export async function awaitingApproval(db: Db) {
  return db("competence_records")
    .join("people", "people.id", "competence_records.person_id")
    .join("competencies", "competencies.id", "competence_records.competency_id")
    .leftJoin("evidence_files", "evidence_files.competence_record_id", "competence_records.id")
    .where("competence_records.status", "awaiting_approval")
    .orderBy("competence_records.id")
    .select("competence_records.id", "competence_records.achieved_on", "competence_records.expires_on", "competence_records.evidence", "competence_records.source", "competence_records.created_at", "competencies.name as competency", "people.id as person_id", "people.first_name", "people.last_name", "people.employee_number", "evidence_files.id as evidence_file_id", "evidence_files.original_name as evidence_file_name");
}
