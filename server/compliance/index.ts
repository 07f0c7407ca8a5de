import type { Db } from "../db/connect.ts";
import { createComplianceStore } from "./store.ts";

// The compliance area's public surface: a person's compliance and its reasons, the trust's
// summaries and expiring competences, Awaiting Approval, evidence files, record transfer and
// reminders, as Administration, the portal and the lms command use them. Other areas import this
// file, never the modules behind it.

export { awaitingApproval, decideRecord } from "./approvals.ts";
export { competencySummary, organisationSummary } from "./organisation-summary.ts";
export { compliancePercentage } from "./status.ts";
export { complianceReason } from "./reasons.ts";
export { evidenceFilesOf } from "./evidence-files.ts";
export { expiringCompetencies } from "./expiring.ts";
export { exportRecords, importRecords, recordsFileText } from "./record-transfer.ts";
export { personCompliance } from "./service.ts";
export { recordRoutes } from "./record-routes.ts";
export { complianceRoutes } from "./routes.ts";
export { sendReminders } from "./reminders.ts";

/** A person's competence records, newest first, as their compliance page lists them. */
export function recordsOf(db: Db, personId: number) {
  return createComplianceStore(db).recordsOf(personId);
}

/** The learning each competency has under way for the person, which the reasons beside statuses name. */
export function openProgress(db: Db, personId: number) {
  return createComplianceStore(db).openProgress(personId);
}
