// The audit area's public surface: every area records what it changed, in the same transaction,
// and Administration reads the trail. Other areas import this file, never the store behind it.
export { auditKinds, auditPage, listAudit, recordAudit, type Actor, type AuditEvent } from "./store.ts";
export { auditWords, kindLabel, type AuditRow, type AuditWords } from "./sentences.ts";
