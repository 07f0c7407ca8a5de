import { randomUUID } from "node:crypto";
import type { Db } from "../db/connect.ts";
import { addDays, localDate, type Clock } from "../clock.ts";
import { newStarterDueBy } from "./assignment-compliance.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { AppError } from "../errors.ts";
import { queueMail } from "../mail/index.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { createReminderStore, type ReminderStore } from "./reminder-store.ts";

/**
 * Training reminders, from `lms send-reminders` or L&D's Reminders page: each learner whose
 * essential competency turned Amber or Red (or, for a new starter, came due) since they were last
 * told is emailed once, listing each with what to do. reminder_state remembers what each person was
 * last told, per competency, so a change is emailed once and never twice (however often, and from
 * however many places, a run starts), and a competency renewed to Green and later Amber again is
 * told again. Statuses come from one set-based statement.
 *
 * New people are left alone for their grace days (REMINDER_GRACE_DAYS): staff uploaded this minute
 * were emailed a 9-item reminder beside their invitation. Nothing is remembered of them meanwhile,
 * so their first reminder, after the grace, tells them everything still outstanding.
 */

/** One competency a reminder names, with the words the email gives it. */
export interface ReminderItem {
  competencyId: number;
  competency: string;
  status: "Amber" | "Red" | "Due";
  /** "expires on 15-Apr-2026", "not held" ... */
  standing: string;
}

export interface PlannedReminder {
  personId: number;
  name: string;
  email: string;
  items: ReminderItem[];
}

/** Who would be emailed, and who is held back by the grace for new people (and until when). */
export interface ReminderPlan {
  asOf: string;
  graceDays: number;
  reminders: PlannedReminder[];
  heldBack: Array<PlannedReminder & { until: string }>;
  /** People past their grace with something Amber, Red or due who have been told of it already: why no one may need a reminder. */
  alreadyTold: number;
}

export interface ReminderOptions {
  asOf: string;
  graceDays: number;
}

/** What a run as of the date would send, without sending it (the page's preview, and the run's own plan). */
export async function planReminders(db: Db, options: ReminderOptions): Promise<ReminderPlan & { changed: Map<number, Array<Record<string, unknown>>> }> {
  const store = createReminderStore(db);
  await refuseBackwards(store, options.asOf);
  const rows = await withNewStarterDues(store, await store.statuses(options.asOf), options.asOf);
  const known = await store.toldStatuses();
  const changed = new Map<number, Array<Record<string, unknown>>>();
  const told = new Set<number>();
  for (const row of rows) {
    if (known.get(`${row.person_id}:${row.competency_id}`) === row.status) {
      if (row.status !== "Green") told.add(Number(row.person_id));
      continue;
    }
    changed.set(Number(row.person_id), [...(changed.get(Number(row.person_id)) ?? []), row]);
  }
  const plan: ReminderPlan & { changed: typeof changed } = { asOf: options.asOf, graceDays: options.graceDays, reminders: [], heldBack: [], alreadyTold: 0, changed };
  for (const [personId, rowsOf] of changed) {
    const first = rowsOf[0]!;
    const until = graceUntil(String(first.person_created_at), options.graceDays);
    const tell = rowsOf.filter((row) => row.status !== "Green");
    const reminder = { personId, name: `${String(first.last_name)}, ${String(first.first_name)}`, email: String(first.email), items: tell.map(itemOf) };
    if (until > options.asOf) {
      changed.delete(personId);
      if (tell.length) plan.heldBack.push({ ...reminder, until });
    } else if (tell.length) plan.reminders.push(reminder);
  }
  plan.alreadyTold = [...told].filter((personId) => !plan.reminders.some((reminder) => reminder.personId === personId)).length;
  return plan;
}

/** The day a person's first reminder may go: their grace days after they were added. */
export function graceUntil(createdAt: string, graceDays: number): string {
  return addDays(localDate(createdAt), graceDays);
}

/**
 * Sends what planReminders found, a person at a time: each in a transaction that takes the person's
 * row lock and reads again what they were told, so a second run at once (a double click, the
 * command and the page together) finds them told and sends nothing more.
 */
export async function sendReminders(
  db: Db,
  clock: Clock,
  options: ReminderOptions & { publicUrl: string; actor?: Actor },
): Promise<{ emails: number; changes: number; heldBack: number; runEventId: number }> {
  const plan = await planReminders(db, options);
  const at = clock.now().toISOString();
  const run = randomUUID();
  const by = { actorAccountId: options.actor?.accountId ?? null, ip: options.actor?.ip ?? null };
  let emails = 0;
  let changes = 0;
  for (const [personId, planned] of plan.changed) {
    await db.transaction(async (trx) => {
      const store = createReminderStore(trx);
      const told = await store.lockAndReadTold(personId);
      const changed = planned.filter((row) => told.get(Number(row.competency_id)) !== row.status);
      for (const row of changed) await store.rememberTold(personId, Number(row.competency_id), String(row.status), at);
      changes += changed.length;
      const tell = changed.filter((row) => row.status !== "Green");
      if (tell.length === 0) return;
      const first = tell[0]!;
      const messageId = await queueMail(trx, { to: String(first.email), subject: `${String(first.vpd)} Your mandatory training needs attention`, text: reminderText(String(first.first_name), tell.map(itemOf), options.asOf, options.publicUrl) }, at);
      await recordAudit(trx, { kind: "reminder.sent", at, personId, ...by, detail: { run, asOf: options.asOf, messageId, competencies: tell.map((row) => ({ competencyId: Number(row.competency_id), competency: competencyLabel(String(row.competency)), status: row.status })) } });
      emails++;
    });
  }
  const runEventId = await recordAudit(db, { kind: "reminders.run", at, ...by, detail: { run, asOf: options.asOf, emails, changes, heldBack: plan.heldBack.length, graceDays: options.graceDays } });
  return { emails, changes, heldBack: plan.heldBack.length, runEventId };
}

/** Going back in time would undo what people were told and tell them again. */
async function refuseBackwards(store: ReminderStore, asOf: string): Promise<void> {
  const lastAsOf = await store.lastRunAsOf();
  if (lastAsOf && asOf < lastAsOf) {
    throw new AppError("reminders.backwards", `Reminders have been sent as of ${guideDate(lastAsOf)} already: a run as of the earlier ${guideDate(asOf)} would tell people again what they have been told. Send them as of ${guideDate(lastAsOf)} or later`);
  }
}

function reminderText(firstName: string, items: ReminderItem[], asOf: string, publicUrl: string): string {
  return [
    `Dear ${firstName},`,
    "",
    `As of ${guideDate(asOf)}, these competencies your role requires need you:`,
    "",
    ...items.flatMap((item) => [`- ${item.competency}: ${item.standing}`, `  Find Learning, then Subscribe before you play: ${publicUrl}/compliance/competencies/${item.competencyId}/learning`]),
    "",
    `Your compliance: ${publicUrl}/compliance`,
  ].join("\n");
}

function itemOf(row: Record<string, unknown>): ReminderItem {
  return { competencyId: Number(row.competency_id), competency: competencyLabel(String(row.competency)), status: row.status as ReminderItem["status"], standing: standing(row) };
}

/** What the email says of one competency. */
function standing(row: Record<string, unknown>): string {
  if (row.status === "Amber") return `expires on ${guideDate(String(row.held_until))}`;
  if (row.held_until) return `expired on ${guideDate(String(row.held_until))}`;
  if (row.status === "Due") return `not held yet; due by ${guideDate(String(row.due_by))}, as you started in your role on ${guideDate(String(row.started_on))}`;
  return row.due_by ? `not held; was due by ${guideDate(String(row.due_by))}` : "not held";
}

/**
 * A new starter's competency never held is coming due rather than Red until its due date (within
 * NEW_STARTER_DAYS of the assignment's start, or the requirement's own Due Within): "Due", told
 * once, and told again as Red once the date has passed. Someone with several assignments needing
 * it is judged by the soonest; one assignment with no start date (no grace) makes it plainly Red.
 */
async function withNewStarterDues(store: ReminderStore, rows: Array<Record<string, unknown>>, asOf: string): Promise<Array<Record<string, unknown>>> {
  const neverHeld = rows.filter((row) => row.held_until === null || row.held_until === undefined);
  if (neverHeld.length === 0) return rows;
  const requiring = await store.neverHeldRequirementsOf([...new Set(neverHeld.map((row) => Number(row.person_id)))]);
  const dues = new Map<string, { dueBy: string; startedOn: string } | null>();
  for (const row of requiring) {
    const key = `${row.person_id}:${row.competency_id}`;
    const due = row.start_date ? { dueBy: newStarterDueBy(String(row.start_date), row.due_within_days === null ? null : Number(row.due_within_days)), startedOn: String(row.start_date) } : null;
    const known = dues.get(key);
    if (known === null) continue;
    dues.set(key, due === null || known === undefined || due.dueBy < known.dueBy ? due : known);
  }
  return rows.map((row) => {
    const due = row.held_until ? undefined : dues.get(`${row.person_id}:${row.competency_id}`);
    if (!due) return row;
    return { ...row, status: due.dueBy >= asOf ? "Due" : "Red", due_by: due.dueBy, started_on: due.startedOn };
  });
}
