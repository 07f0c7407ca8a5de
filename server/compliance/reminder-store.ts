import { isPostgres, rawRows, type Db } from "../db/connect.ts";
import { heldOnSql, organisationSummaryBindings } from "./organisation-summary-reads.ts";

/**
 * What reminders read and remember (reminders.ts): each person's status per essential competency
 * as of a date, and reminder_state, what each person was last told. Each run is an audit event
 * (reminders.run) and each email one more (reminder.sent, naming its run and outbox message): the
 * history L&D reads is the audit trail's, so nothing is kept twice.
 */
export function createReminderStore(db: Db) {
  return {
    /** The date the last run was as of, if any run has been. */
    async lastRunAsOf(): Promise<string | undefined> {
      const last = await db("audit_events").where({ kind: "reminders.run" }).orderBy("id", "desc").first("detail");
      return last ? String(JSON.parse(String(last.detail)).asOf) : undefined;
    },

    /** Every person's status per essential competency as of the date, with where to write to them. */
    async statuses(asOf: string): Promise<Array<Record<string, unknown>>> {
      return rawRows(await db.raw(STATUS_SQL, organisationSummaryBindings(asOf)));
    },

    /** What each person was last told, per competency, as "personId:competencyId" -> status. */
    async toldStatuses(): Promise<Map<string, string>> {
      return new Map((await db("reminder_state").select("person_id", "competency_id", "status")).map((row) => [`${row.person_id}:${row.competency_id}`, String(row.status)]));
    },

    /**
     * Takes the person's row lock, then reads what they were told, competencyId -> status. SQLite
     * has one writer, but a transaction that reads first and writes later fails at once (SQLITE_BUSY)
     * when another process wrote in between (the lms command beside the server): a write first takes
     * the writer's lock, waiting its busy timeout, before anything is read.
     */
    async lockAndReadTold(personId: number): Promise<Map<number, string>> {
      if (isPostgres(db)) await db("people").where({ id: personId }).forUpdate().first("id");
      else await db("reminder_state").where({ person_id: personId }).update({ status: db.ref("status") });
      return new Map((await db("reminder_state").where({ person_id: personId }).select("competency_id", "status")).map((row) => [Number(row.competency_id), String(row.status)]));
    },

    /** The runs, newest first, with who started them (none: the lms command). */
    async runs(limit: number, offset: number): Promise<ReminderRun[]> {
      const rows = await db("audit_events").leftJoin("accounts", "accounts.id", "audit_events.actor_account_id")
        .where("audit_events.kind", "reminders.run").orderBy("audit_events.id", "desc").limit(limit).offset(offset)
        .select("audit_events.id", "audit_events.at", "audit_events.ip", "audit_events.detail", "accounts.username");
      return rows.map(toRun);
    },

    async run(id: number): Promise<ReminderRun | undefined> {
      const row = await db("audit_events").leftJoin("accounts", "accounts.id", "audit_events.actor_account_id")
        .where({ "audit_events.kind": "reminders.run", "audit_events.id": id })
        .first("audit_events.id", "audit_events.at", "audit_events.ip", "audit_events.detail", "accounts.username");
      return row ? toRun(row) : undefined;
    },

    /** The emails a run sent, each with its person and outbox message; a run from before runs were named is matched by its moment. */
    async runMessages(run: ReminderRun) {
      const rows = await db("audit_events").join("people", "people.id", "audit_events.person_id")
        .where({ "audit_events.kind": "reminder.sent", "audit_events.at": run.at }).orderBy(["people.last_name", "people.first_name", "audit_events.id"])
        .select("audit_events.detail", "people.id as person_id", "people.last_name", "people.first_name", "people.email");
      return rows.map((row) => ({ personId: Number(row.person_id), name: `${String(row.last_name)}, ${String(row.first_name)}`, email: String(row.email), detail: JSON.parse(String(row.detail)) as SentDetail }))
        .filter((message) => run.detail.run === undefined || message.detail.run === run.detail.run);
    },

    async rememberTold(personId: number, competencyId: number, status: string, at: string): Promise<void> {
      await db("reminder_state").insert({ person_id: personId, competency_id: competencyId, status, changed_at: at }).onConflict(["person_id", "competency_id"]).merge(["status", "changed_at"]);
    },

    /** The essential requirements never held of these people's assignments, with each assignment's start and the requirement's Due Within. */
    async neverHeldRequirementsOf(personIds: number[]) {
      return db("requirement_holdings")
        .join("assignments", "assignments.id", "requirement_holdings.assignment_id")
        .join("competence_requirements", (join) => join.on("competence_requirements.position_id", "requirement_holdings.position_id").andOn("competence_requirements.competency_id", "requirement_holdings.competency_id"))
        .where("requirement_holdings.essential", true)
        .whereNull("requirement_holdings.held_until")
        .whereIn("assignments.person_id", personIds)
        .select("assignments.person_id", "requirement_holdings.competency_id", "assignments.start_date", "competence_requirements.due_within_days");
    },
  };
}
export type ReminderStore = ReturnType<typeof createReminderStore>;

export interface ReminderRun {
  id: number;
  at: string;
  ip: string | null;
  /** The administrator who sent it from the page; none when the lms command did. */
  by: string | null;
  detail: { run?: string; asOf: string; emails: number; changes: number; heldBack?: number; graceDays?: number };
}

export interface SentDetail {
  run?: string;
  asOf: string;
  messageId?: number;
  competencies: Array<{ competencyId: number; competency?: string; status: string }>;
}

function toRun(row: Record<string, unknown>): ReminderRun {
  return { id: Number(row.id), at: String(row.at), ip: (row.ip as string | null) ?? null, by: (row.username as string | null) ?? null, detail: JSON.parse(String(row.detail)) };
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
  people.email, people.first_name, people.last_name, people.created_at as person_created_at, organisations.vpd,
  case when per_person.held_until > :amberUntil then 'Green' when per_person.held_until > :asOf then 'Amber' else 'Red' end as status
from per_person
join people on people.id = per_person.person_id
join organisations on organisations.id = people.organisation_id
join competencies on competencies.id = per_person.competency_id
order by per_person.person_id, competencies.name`;
