import type { Knex } from "knex";

// SCORM 2004's learner attempt on an activity ends with any session that does not suspend it
// (RTE 4.2.8, SN UP.4); the next launch starts a new attempt with a fresh data model. Until now
// every launch resumed the SCO's saved CMI, so a SCO left with exit "" came back to its old
// bookmark. Three columns let a launch tell the two apart and start afresh:
//   - suspended: how the last session ended (exit "suspend", or a suspendAll request, which
//     suspends whatever the exit). A terminate commit sets it; rows older than this column keep
//     their last exit in their CMI, which the runtime reads too;
//   - activity_attempt: which attempt on the activity the row's CMI belongs to (1 for the first);
//   - activity_attempt_base_ms: the SCO's total time when that attempt began, so that
//     cmi.total_time counts the current attempt only (RTE 4.2.26) while total_time_ms keeps
//     counting every session for reports.
// The CMI a new attempt replaces is kept in attempt_sco_archive, whole: learner data (the answers
// of an earlier try) is never thrown away.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempt_scos", (table) => {
    table.boolean("suspended").notNullable().defaultTo(false);
    table.integer("activity_attempt").notNullable().defaultTo(1);
    table.bigInteger("activity_attempt_base_ms").notNullable().defaultTo(0);
  });
  await knex.schema.createTable("attempt_sco_archive", (table) => {
    table.increments("id");
    table.integer("attempt_id").notNullable().references("attempts.id").onDelete("CASCADE");
    table.string("sco_identifier", 200).notNullable();
    table.integer("activity_attempt").notNullable();
    table.text("cmi").notNullable();
    table.string("performance_status", 20).notNullable();
    table.string("archived_at", 30).notNullable();
    table.index(["attempt_id", "sco_identifier"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("attempt_sco_archive");
  for (const column of ["suspended", "activity_attempt", "activity_attempt_base_ms"]) await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempt_scos", column]);
}
