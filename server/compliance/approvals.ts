import { addCompetenceRecord, decideCompetenceRecord } from "../records/index.ts";
import { isRowId, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { addDays } from "../clock.ts";
import { dateProblem, ProblemList } from "../problems.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { queueMail } from "../mail/index.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { attachEvidenceFile, checkEvidenceFile, evidenceQuotaProblem, type CheckedEvidence, type EvidenceStorage, type EvidenceUpload } from "./evidence-files.ts";
import { evidenceUse } from "./evidence-store.ts";
import type { Config } from "../config.ts";
import { createComplianceStore } from "./store.ts";
import { createApprovalStore } from "./approval-store.ts";

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
  // Every problem at once, each naming the form's field (the NHS error pattern, problems.ts).
  const problems = new ProblemList();
  const competency = isRowId(input.competencyId) ? await createComplianceStore(db).competency(input.competencyId) : undefined;
  if (!competency) problems.add("competencyId", "Choose the competency you hold");
  const achieved = input.achievedOn ? dateProblem(input.achievedOn, "The date achieved") : "Enter the date you achieved it, for example 2026-01-31";
  if (achieved) problems.add("achievedOn", achieved);
  else if (input.achievedOn > today) problems.add("achievedOn", "The date achieved cannot be in the future");
  const expiry = input.expiresOn ? dateProblem(input.expiresOn, "The expiry date") : undefined;
  if (expiry) problems.add("expiresOn", `${expiry}, or leave it empty`);
  else if (input.expiresOn && !achieved && input.expiresOn <= input.achievedOn) problems.add("expiresOn", "The expiry date must come after the date achieved");
  if (!input.evidence.trim()) problems.add("evidence", "Say where it was achieved (evidence), so that Learning and Development can check it");
  if (input.evidence.length > 2000) problems.add("evidence", "Keep the evidence to 2,000 characters");
  let file: CheckedEvidence | undefined;
  if (input.file) {
    const checked = checkEvidenceFile(input.file.upload);
    if ("problem" in checked) problems.add("file", checked.problem);
    else file = checked.checked;
  }
  problems.refuseIfAny("approvals.invalid");
  // No competency always came with its problem above: this only tells TypeScript so.
  if (!competency) throw notFound("That competency");
  // Without an expiry given, the validity of the certification that gives the competency here.
  const certification = await createApprovalStore(db).certificationGiving(competency.id);
  const expiresOn = input.expiresOn || (certification ? addDays(input.achievedOn, certification.validDays) : null);
  const at = clock.now().toISOString();
  // The record and its file are kept together or not at all: a file kept by a transaction that
  // then fails to commit is removed again.
  let kept: string | undefined;
  try {
    return await db.transaction(async (trx) => {
      const store = createApprovalStore(trx);
      // One person's saves one at a time (PostgreSQL; SQLite writes one at a time anyway), so that
      // two at once cannot both fit in the room one of them leaves.
      await store.lockPerson(input.personId);
      if ((await store.awaitingCount(input.personId)) >= input.quotas.awaitingApproval) {
        throw new AppError("approvals.too_many_awaiting", `${input.quotas.awaitingApproval} records are awaiting approval for this person, the most kept at once. Nothing was saved; wait for Learning and Development to decide on them`, 409);
      }
      const roomProblem = file && evidenceQuotaProblem(await evidenceUse(trx, input.personId), { files: 1, bytes: file.size }, input.quotas);
      if (roomProblem) throw new AppError("evidence.quota", roomProblem, 413);
      const recordId = await addCompetenceRecord(trx, { personId: input.personId, competencyId: competency.id, level: certification?.competenceLevel ?? "1 - Assessed", achievedOn: input.achievedOn, expiresOn, source: "manual", status: "awaiting_approval", evidence: input.evidence.trim(), at });
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
    const store = createApprovalStore(trx);
    const record = await store.recordToDecide(input.recordId);
    if (!record) throw notFound("That record");
    // Four eyes: nobody approves or rejects a competence of their own.
    const actorPersonId = await store.personOfAccount(input.actorAccountId);
    if (actorPersonId !== undefined && actorPersonId === record.personId) throw new AppError("approvals.own_record", "You cannot decide on your own competence record: another administrator must", 403);
    const changed = await decideCompetenceRecord(trx, { recordId: input.recordId, approve: input.approve, decidedBy: input.actorAccountId, at, reason: reason || null });
    if (!changed) throw new AppError("approvals.decided", "That record has been decided already", 409);
    await recordAudit(trx, { kind: input.approve ? "competence.approved" : "competence.rejected", at, actorAccountId: input.actorAccountId, personId: record.personId, ip: input.ip, detail: { recordId: input.recordId, reason: reason || undefined } });
    // The learner hears the outcome, with the reason when it is a rejection (also on their Awaiting Approval tab).
    const what = `${competencyLabel(record.competency)}, achieved ${guideDate(record.achievedOn)}`;
    await queueMail(
      trx,
      {
        to: record.email,
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
