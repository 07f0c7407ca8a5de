import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { newStarterDueBy } from "./assignment-compliance.ts";
import { recordAudit } from "../audit/index.ts";
import { AppError } from "../errors.ts";
import { queueMail } from "../mail/index.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { heldOnSql, organisationSummaryBindings } from "./organisation-summary.ts";
import { rawRows } from "../db/connect.ts";

/**
 * `lms send-reminders`: emails each learner whose essential competency turned Amber or Red (or, for
 * a new starter, came due) since the last run, listing each with what to do. reminder_state remembers what each person was last
 * told, per competency, so a change is emailed once and never twice, and a competency renewed to
 * Green and later Amber again is told again. Statuses come from one set-based statement.
 */
export async function sendReminders(db: Db, clock: Clock, options: { asOf: string; publicUrl: string }): Promise<{ emails: number; changes: number }> {
  // Going back in time would undo what people were told and tell them again.
  const last = await db("audit_events").where({ kind: "reminders.run" }).orderBy("id", "desc").first("detail");
  const lastAsOf = last ? String(JSON.parse(String(last.detail)).asOf) : undefined;
  if (lastAsOf && options.asOf < lastAsOf) {
    throw new AppError("reminders.backwards", `Reminders have been sent as of ${lastAsOf} already: a run as of the earlier ${options.asOf} would tell people again what they have been told. Run it as of ${lastAsOf} or later`);
  }
  const rows = await withNewStarterDues(db, rawRows(await db.raw(STATUS_SQL, organisationSummaryBindings(options.asOf))), options.asOf);
  const known = new Map((await db("reminder_state").select("person_id", "competency_id", "status")).map((row) => [`${row.person_id}:${row.competency_id}`, String(row.status)]));
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
        await trx("reminder_state").insert({ person_id: personId, competency_id: row.competency_id, status: row.status, changed_at: at }).onConflict(["person_id", "competency_id"]).merge(["status", "changed_at"]);
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
async function withNewStarterDues(db: Db, rows: Array<Record<string, unknown>>, asOf: string): Promise<Array<Record<string, unknown>>> {
  const neverHeld = rows.filter((row) => row.held_until === null || row.held_until === undefined);
  if (neverHeld.length === 0) return rows;
  const requiring = await db("requirement_holdings")
    .join("assignments", "assignments.id", "requirement_holdings.assignment_id")
    .join("competence_requirements", (join) => join.on("competence_requirements.position_id", "requirement_holdings.position_id").andOn("competence_requirements.competency_id", "requirement_holdings.competency_id"))
    .where("requirement_holdings.essential", true)
    .whereNull("requirement_holdings.held_until")
    .whereIn("assignments.person_id", [...new Set(neverHeld.map((row) => Number(row.person_id)))])
    .select("assignments.person_id", "requirement_holdings.competency_id", "assignments.start_date", "competence_requirements.due_within_days");
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

// Each person's status per essential competency, as of the date: the best held across their
// assignments (the same record serves every assignment), judged as rule 5 judges it.
const STATUS_SQL = `
with held_on as (
  select holdings.assignment_id, holdings.competency_id, ${heldOnSql("holdings")} as held_until
  from requirement_holdings holdings
  where holdings.essential = :essential
), per_person as (
  select assignments.person_id, held_on.competency_id, max(held_on.held_until) as held_until
  from held_on join assignments on assignments.id = held_on.assignment_id
  group by assignments.person_id, held_on.competency_id
)
select per_person.person_id, per_person.competency_id, per_person.held_until, competencies.name as competency,
  people.email, people.first_name, organisations.vpd,
  case when per_person.held_until > :amberUntil then 'Green' when per_person.held_until > :asOf then 'Amber' else 'Red' end as status
from per_person
join people on people.id = per_person.person_id
join organisations on organisations.id = people.organisation_id
join competencies on competencies.id = per_person.competency_id
order by per_person.person_id, competencies.name`;
