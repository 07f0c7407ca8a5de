/**
 * The audit trail in L&D's words: each kind of event as a sentence of what happened ("Emma
 * Conroy's learner account was created"), and who did it and from where in their own columns on
 * every row (the sentence does not repeat them). Events the LMS did by itself (a daily expiry, the
 * lms command, a waiting list moving up, setting up the demo trust) say so, rather than leave the
 * columns empty. Pure: the page reads the rows, this words them.
 */
import { guideDate, guideDateTime } from "../format.ts";

export interface AuditRow {
  kind: string;
  detail: string | Record<string, unknown>;
  /** The acting account's username, when an account acted. */
  actor: string | null;
  ip: string | null;
  first_name?: string | null;
  last_name?: string | null;
  employee_number?: string | null;
}

export interface AuditWords {
  sentence: string;
  by: string;
  from: string;
}

type Detail = Record<string, unknown>;
const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const ROLE = (role: unknown) => ({ learner: "learner", author: "course author", admin: "L&D administrator" })[text(role)] ?? text(role);
const STATUS = (status: unknown) => text(status).replace(/(^|[\s-])(\w)/g, (_all, before: string, letter: string) => before + letter.toUpperCase());
const label = (name: unknown) => text(name).replace(/\|+$/, "");
const when = (moment: unknown) => (/^\d{4}-\d{2}-\d{2}T/.test(text(moment)) ? guideDateTime(text(moment)) : guideDate(text(moment) || null));

/** What happened, with `p` the person it concerns ("Emma Conroy") and `own` their possessive. */
const SENTENCES: Record<string, (p: string, own: string, d: Detail) => string> = {
  "account.created": (_p, own, d) => `${own} ${ROLE(d.role || "learner")} account was created`,
  "account.locked": (_p, own, d) => `${own} account was locked${d.until ? ` until ${when(d.until)}` : ""}${d.by === "change password" ? " after wrong passwords on Change Password" : " after guessing from many addresses"}`,
  "account.unlocked": (_p, own) => `${own} account was unlocked with an unlock link`,
  "account.reset": (p) => `${p} chose a new password with a reset link`,
  "account.reset_requested": (p) => `A password reset link was emailed to ${p}`,
  "account.unlock_requested": (p) => `An unlock link was emailed to ${p}`,
  "account.invited": (p) => `${p} was emailed their username and a link to choose a password`,
  "account.recovery_limited": (p, _own, d) => `A ${d.purpose === "unlock" ? "unlock" : "password reset"} link for ${p} was not sent: too many in the last hour`,
  "account.password_changed": (p) => `${p} changed their password`,
  "account.role_changed": (_p, own, d) => `${own} role was changed from ${ROLE(d.from)} to ${ROLE(d.to)}${d.by ? ` (${text(d.by)})` : ""}`,
  "password_change.failed": (p) => `${p} entered a wrong current password on Change Password`,
  login: (p) => `${p} logged in`,
  logout: (p) => `${p} logged out`,
  "login.failed": (p, _own, d) => `A log in as ${p === "someone" ? text(d.username) || "an unknown username" : p} failed: wrong username or password`,
  "login.refused_locked": (p) => `A log in as ${p} was refused: the account is locked`,
  "login.delayed": (p, _own, d) => `Log ins as ${p === "someone" ? text(d.username) || "an unknown username" : p} must wait${d.until ? ` until ${when(d.until)}` : ""}, after wrong passwords`,
  "login.source_delayed": (_p, _own, d) => `Log ins from this address must wait${d.until ? ` until ${when(d.until)}` : ""}, after ${text(d.failures) || "many"} wrong passwords`,
  "person.updated": (_p, own, d) => `${own} details were changed${d.by === "import" ? ` by an import${Array.isArray(d.changes) ? ` (${d.changes.join("; ")})` : ""}` : ""}`,
  "assignment.saved": (_p, own, d) => `${own} assignment ${text(d.number)} was saved: ${text(d.position)}${d.startDate ? `, started ${when(d.startDate)}` : ""}${d.lineManager ? `, line manager employee number ${text(d.lineManager)}` : ""}`,
  "assignment.removed": (_p, own, d) => `${own} assignment ${text(d.number)} was removed`,
  "subscription.subscribed": (p, _own, d) => `${p} subscribed to ${text(d.certification)}`,
  "subscription.unsubscribed": (p) => `${p} unsubscribed from a learning certification`,
  "component.credited": (_p, own, d) => `${own} ${text(d.course)} was credited to ${text(d.certification) || "their subscription"}`,
  "certification.completed": (p, _own, d) => `${p} completed ${text(d.certification) || "a learning certification"}`,
  "competency.awarded": (p, _own, d) => `${p} was awarded the competency of ${text(d.certification) || "a learning certification"}, expiring ${d.expiresOn ? when(d.expiresOn) : "never"}`,
  "subscription.expired": (_p, own, d) => `${own} subscription${d.certification ? ` to ${text(d.certification)}` : ""} expired: not completed in time`,
  "subscription.credits_carried_over": (_p, own, d) => `${own} ${text(d.components)} completed component(s) carried over to their new subscription`,
  "enrolment.enrolled": (p, _own, d) => `${p} enrolled in ${text(d.course)}`,
  "enrolment.requested": (p, _own, d) => `${p} requested a place on ${text(d.course)}`,
  "enrolment.waiting_listed": (p, _own, d) => `${p} joined the waiting list for ${text(d.course)}`,
  "enrolment.cancelled": (_p, own, d) => `${own} place on ${text(d.course)} was cancelled${d.reason ? `: ${text(d.reason)}` : ""}`,
  "enrolment.promoted": (p, _own, d) => `${p} was given a place on ${text(d.course)} from the waiting list`,
  "enrolment.approved": (_p, own, d) => `${own} request for ${text(d.course)} was approved`,
  "enrolment.rejected": (_p, own, d) => `${own} request for ${text(d.course)} was rejected${d.reason ? `: ${text(d.reason)}` : ""}`,
  "enrolment.attended": (p, _own, d) => `${p} was marked as attended ${text(d.course)}`,
  "enrolment.did_not_attend": (p, _own, d) => `${p} was marked as not attending ${text(d.course)}`,
  "attempt.started": (p, _own, d) => `${p} started playing a course${d.why ? ` (not counted: played before subscribing)` : ""}`,
  "attempt.preview_started": (p) => `${p} previewed a course version`,
  "attempt.status_changed": (_p, own, d) => `${own} ${d.preview ? "preview" : "attempt"} went from ${STATUS(d.from)} to ${STATUS(d.to)}`,
  "competence.recorded": (p, _own, d) => `A competence record of ${label(d.competency)} for ${p} was sent for approval`,
  "competence.approved": (_p, own) => `${own} competence record was approved`,
  "competence.rejected": (_p, own, d) => `${own} competence record was rejected${d.reason ? `: ${text(d.reason)}` : ""}`,
  "competence.exported": (_p, own, d) => `${own} ${text(d.records)} competence record(s) were exported for another trust`,
  "competence.imported": (_p, own, d) => `${own} competence records from ${text(d.from) || "another trust"} were imported`,
  "certificate.issued": (p) => `A certificate was issued to ${p}`,
  "class.created": (_p, _own, d) => `A class of ${text(d.course)} was created`,
  "class.updated": (_p, _own, d) => `A class of ${text(d.course)} was changed`,
  "class.cancelled": (_p, _own, d) => `A class of ${text(d.course)} was cancelled${d.reason ? `: ${text(d.reason)}` : ""}`,
  "catalog.imported": (_p, _own, d) => catalogImported(d),
  "people.uploaded": (_p, _own, d) => `A people file${d.file ? ` (${text(d.file)})` : ""} was uploaded: ${count(d.added, "person", "people")} added, ${text(d.changed) || 0} changed`,
  "package.imported": (_p, _own, d) => `Version ${text(d.version)} of ${text(d.course)} was uploaded`,
  "reminder.sent": (p, _own, d) => `A training reminder was emailed to ${p}${Array.isArray(d.competencies) ? `, listing ${d.competencies.length} competenc${d.competencies.length === 1 ? "y" : "ies"}` : ""}`,
  "reminders.run": (_p, _own, d) => `Training reminders were sent as of ${when(d.asOf)}: ${text(d.emails)} emailed${d.heldBack ? `, ${text(d.heldBack)} new people held back` : ""}`,
  "forum.post.reported": (_p, own, d) => `${own} post in "${text(d.topic)}" (Forums and Chats) was reported`,
  "forum.post.hidden": (_p, own, d) => `${own} post in "${text(d.topic)}" (Forums and Chats) was hidden`,
  "forum.post.restored": (_p, own, d) => `${own} post in "${text(d.topic)}" (Forums and Chats) was shown again`,
  "forum.reports.dismissed": (_p, own, d) => `The reports of ${own} post in "${text(d.topic)}" (Forums and Chats) were dismissed`,
  "forum.topic.locked": (_p, _own, d) => `The topic "${text(d.topic)}" (Forums and Chats) was locked`,
  "forum.topic.unlocked": (_p, _own, d) => `The topic "${text(d.topic)}" (Forums and Chats) was unlocked`,
};

/** Kinds the LMS does by itself, and how the By column names it. */
const BY_ITSELF: Record<string, string> = {
  "subscription.expired": "The LMS (the daily expiry)",
  "component.credited": "The LMS (crediting)",
  "certification.completed": "The LMS (crediting)",
  "competency.awarded": "The LMS (crediting)",
  "subscription.credits_carried_over": "The LMS (crediting)",
  "enrolment.promoted": "The LMS (the waiting list)",
  "reminders.run": "The daily reminders (lms send-reminders)",
  "reminder.sent": "The daily reminders (lms send-reminders)",
};

export function auditWords(row: AuditRow): AuditWords {
  const detail: Detail = typeof row.detail === "string" ? safeJson(row.detail) : row.detail;
  const person = row.first_name || row.last_name ? `${text(row.first_name)} ${text(row.last_name)}`.trim() : "";
  const p = person || "someone";
  const own = person ? `${person}'s` : "Someone's";
  const words = SENTENCES[row.kind] ?? catalogEdit(row.kind, detail) ?? (() => `${kindLabel(row.kind)}${person ? `: ${person}` : ""}`);
  // Everything the demo trust's setup wrote is signed alike, whichever part of the LMS wrote it.
  const by = row.actor ?? (row.kind.startsWith("login") ? "Whoever was at the log in page" : detail.cause === "demo trust" ? DEMO_SETUP : BY_ITSELF[row.kind] ?? "The LMS (the lms command or a scheduled task)");
  const from = row.ip ?? "No address: not from a browser";
  return { sentence: words(p, own, detail), by, from };
}

const DEMO_SETUP = "The LMS (setting up the demo trust)";

const count = (value: unknown, one: string, many: string) => `${Number(value) || 0} ${Number(value) === 1 ? one : many}`;

/** A catalog file's import; rows written before people uploads had their own kind were people uploads when they carried only people. */
function catalogImported(d: Detail): string {
  const catalogParts = [count(d.competencies, "competency", "competencies"), count(d.certifications, "learning certification", "learning certifications"), count(d.positions, "position", "positions")];
  if (!Number(d.competencies) && !Number(d.certifications) && !Number(d.positions) && Number(d.people)) return `A people file was uploaded: ${count(d.people, "person", "people")}`;
  return `A catalog file was imported: ${[...catalogParts, count(d.people, "person", "people")].join(", ")}`;
}

/** The catalog pages' saves and deletions (catalog.competency_saved, catalog.position_deleted ...). */
function catalogEdit(kind: string, detail: Detail): ((p: string, own: string, d: Detail) => string) | undefined {
  const match = /^catalog\.(\w+?)_(saved|created|updated|deleted)$/.exec(kind);
  if (!match) return undefined;
  const thing = match[1]!.replace(/_/g, " ");
  const done = match[2] === "deleted" ? "deleted" : detail.created ? "added" : "changed";
  return () => `The ${thing} ${label(detail.name)} was ${done} in the catalog`;
}

function safeJson(value: string): Detail {
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Detail) : {};
  } catch {
    return {};
  }
}

/** An event kind as the filter lists it: "account.role_changed" -> "Account role changed". */
export function kindLabel(kind: string): string {
  const words = kind.replace(/[._]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
