import type { Db } from "../db/connect.ts";
import { createComplianceStore } from "./store.ts";
import { createApprovalStore } from "./approval-store.ts";
import { createReminderStore } from "./reminder-store.ts";

// The compliance area's public surface: a person's compliance and its reasons, the trust's
// summaries and expiring competences, Awaiting Approval, evidence files, record transfer and
// reminders, as Administration, the portal and the lms command use them. Other areas import this
// file, never the modules behind it.

export { decideRecord } from "./approvals.ts";
export { competencySummary, organisationSummary } from "./organisation-summary-reads.ts";
export { complianceTrend, trendDates, type TrendPoint } from "./compliance-trend-reads.ts";
export { requirementPeople, requirementPeoplePages, type RequirementFilter, type RequirementPerson, type RequirementStatus } from "./requirement-people-reads.ts";
export { compliancePercentage } from "./status.ts";
export { complianceReason } from "./reasons.ts";
export { evidenceFilesOf } from "./evidence-store.ts";
export { expiringCompetencies, expiringCompetencyPages, soonestExpiring } from "./expiring-reads.ts";
export { exportRecords, importRecords, recordsFileText } from "./record-transfer.ts";
export { personCompliance } from "./service.ts";
export { recordRoutes } from "./record-routes.ts";
export { complianceRoutes } from "./routes.ts";
export { graceUntil, planReminders, sendReminders, type PlannedReminder, type ReminderPlan } from "./reminders.ts";
export type { ReminderRun } from "./reminder-store.ts";

/** The history of reminder runs, newest first; a run; and the emails it sent. */
export function reminderHistory(db: Db) {
  const store = createReminderStore(db);
  return { runs: store.runs, run: store.run, runMessages: store.runMessages };
}

/** L&D's Awaiting Approval queue: every record awaiting a decision, with its person and evidence file. */
export function awaitingApproval(db: Db) {
  return createApprovalStore(db).awaitingApproval();
}

/** A person's competence records, newest first, as their compliance page lists them. */
export function recordsOf(db: Db, personId: number) {
  return createComplianceStore(db).recordsOf(personId);
}

/** The learning each competency has under way for the person, which the reasons beside statuses name. */
export function openProgress(db: Db, personId: number) {
  return createComplianceStore(db).openProgress(personId);
}
