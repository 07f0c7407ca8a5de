import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { newStarterDueBy } from "./assignment-compliance.ts";
import { recordAudit } from "../audit/index.ts";
import { AppError } from "../errors.ts";
import { queueMail } from "../mail/index.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { createReminderStore, type ReminderStore } from "./reminder-store.ts";

/**
 * `lms send-reminders`: emails each learner whose essential competency turned Amber or Red (or, for
 * a new starter, came due) since the last run, listing each with what to do. reminder_state remembers what each person was last
 * told, per competency, so a change is emailed once and never twice, and a competency renewed to
 * Green and later Amber again is told again. Statuses come from one set-based statement.
 */
export async function sendReminders(db: Db, clock: Clock, options: { asOf: string; publicUrl: string }): Promise<{ emails: number; changes: number }> {
  const store = createReminderStore(db);
  // Going back in time would undo what people were told and tell them again.
  const lastAsOf = await store.lastRunAsOf();
  if (lastAsOf && options.asOf < lastAsOf) {
    throw new AppError("reminders.backwards", `Reminders have been sent as of ${lastAsOf} already: a run as of the earlier ${options.asOf} would tell people again what they have been told. Run it as of ${lastAsOf} or later`);
  }
  const rows = await withNewStarterDues(store, await store.statuses(options.asOf), options.asOf);
  const known = await store.toldStatuses();
  const byPerson = new Map<number, Array<Record<string, unknown>>>();
  for (const row of rows) {
    if (known.get(`${row.person_id}:${row.competency_id}`) === row.status) continue;
    byPerson.set(Number(row.person_id), [...(byPerson.get(Number(row.person_id)) ?? []), row]);
  }
  const at = clock.now().toISOString();
  let emails = 0;
  let changes = 0;
  for (const [personId, changed] of byPerson) {
    const tell = changed.filter((row) => row.status !== "Green");
    await db.transaction(async (trx) => {
      for (const row of changed) {
        await createReminderStore(trx).rememberTold(personId, row.competency_id as number, row.status as string, at);
      }
      changes += changed.length;
      if (tell.length === 0) return;
      const first = tell[0]!;
      await queueMail(trx, {
        to: String(first.email),
        subject: `${String(first.vpd)} Your mandatory training needs attention`,
        text: [
          `Dear ${String(first.first_name)},`,
          "",
          `As of ${guideDate(options.asOf)}, these competencies your role requires need you:`,
          "",
          ...tell.flatMap((row) => [
            `- ${competencyLabel(String(row.competency))}: ${standing(row)}`,
            `  Find Learning, then Subscribe before you play: ${options.publicUrl}/compliance/competencies/${row.competency_id}/learning`,
          ]),
          "",
          `Your compliance: ${options.publicUrl}/compliance`,
        ].join("\n"),
      }, at);
      await recordAudit(trx, { kind: "reminder.sent", at, personId, detail: { asOf: options.asOf, competencies: tell.map((row) => ({ competencyId: Number(row.competency_id), status: row.status })) } });
      emails++;
    });
  }
  await recordAudit(db, { kind: "reminders.run", at, detail: { asOf: options.asOf, emails, changes } });
  return { emails, changes };
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
