import { rawRows, type Db } from "../db/connect.ts";
import { heldOnSql, organisationSummaryBindings } from "./organisation-summary-reads.ts";

/**
 * What `lms send-reminders` reads and remembers (reminders.ts): each person's status per
 * essential competency as of a date, and reminder_state, what each person was last told.
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
