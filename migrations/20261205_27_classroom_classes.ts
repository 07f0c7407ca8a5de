import type { Knex } from "knex";

// Classroom classes beside e-learning ones (issue 9): a classroom enrolment moves through
// Requested (awaiting L&D's approval), Waiting List (first come, first promoted), Enrolled,
// Attended or Did Not Attend, or ends Cancelled or Rejected; who decided, when and why is kept on
// the row. Attendance is recorded as a finished attempt of kind "classroom", so crediting reads it
// like any SCORM completion (rule 1 by its start, rules 2-4 as usual).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("classes", (table) => {
    table.string("created_at", 30);
    table.string("cancelled_at", 30);
    table.string("cancel_reason", 500);
  });
  await knex.schema.alterTable("enrolments", (table) => {
    // When the learner joined the waiting list: the list is served in this order (then by id).
    table.string("waiting_since", 30);
    // No foreign key: SQLite would rebuild the table to add one, and cascade through attempts.
    table.integer("decided_by");
    table.string("decided_at", 30);
    table.string("reason", 500);
    table.string("ended_at", 30);
    table.index(["class_id", "status"]);
  });
  await knex.schema.alterTable("attempts", (table) => {
    // "scorm", played in the player; "classroom", attendance marked by L&D.
    table.string("kind", 20).notNullable().defaultTo("scorm");
  });
}

export async function down(knex: Knex): Promise<void> {
  // In place: rebuilding these tables on SQLite would cascade-delete rows that point at them.
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempts", "kind"]);
  await knex.schema.alterTable("enrolments", (table) => table.dropIndex(["class_id", "status"]));
  for (const column of ["waiting_since", "decided_by", "decided_at", "reason", "ended_at"]) await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["enrolments", column]);
  for (const column of ["created_at", "cancelled_at", "cancel_reason"]) await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["classes", column]);
}
