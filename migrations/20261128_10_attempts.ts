import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  // Attempts are first-class rows with summary columns (Performance Status and the rest), so that
  // compliance and reports never have to read CMI.
  await knex.schema.createTable("attempts", (table) => {
    table.increments("id");
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("course_version_id").notNullable().references("course_versions.id");
    table.integer("enrolment_id").references("enrolments.id");
    // Not Attempted | Incomplete | Completed | Passed | Failed
    table.string("performance_status", 20).notNullable().defaultTo("Not Attempted");
    table.float("score_scaled");
    table.bigInteger("total_time_ms").notNullable().defaultTo(0);
    table.boolean("preview").notNullable().defaultTo(false);
    table.string("started_at", 30).notNullable();
    table.string("last_commit_at", 30);
    table.string("completed_at", 30);
    table.index(["person_id"]);
    table.index(["enrolment_id"]);
  });
  // One row per SCO of an attempt: its whole CMI as JSON (not a row per element: Moodle had to
  // migrate away from that) and the last accepted commit sequence number.
  await knex.schema.createTable("attempt_scos", (table) => {
    table.increments("id");
    table.integer("attempt_id").notNullable().references("attempts.id").onDelete("CASCADE");
    table.string("sco_identifier", 200).notNullable();
    table.text("cmi").notNullable();
    table.integer("commit_sequence").notNullable().defaultTo(0);
    table.string("completion_status", 20);
    table.string("success_status", 20);
    table.float("score_scaled");
    table.bigInteger("total_time_ms").notNullable().defaultTo(0);
    table.string("updated_at", 30).notNullable();
    table.unique(["attempt_id", "sco_identifier"]);
  });
  // A bounded log of accepted commits per attempt, for audit and for proving nothing was lost.
  await knex.schema.createTable("commit_log", (table) => {
    table.increments("id");
    table.integer("attempt_id").notNullable().references("attempts.id").onDelete("CASCADE");
    table.string("sco_identifier", 200).notNullable();
    table.integer("commit_sequence").notNullable();
    table.text("body").notNullable();
    table.string("received_at", 30).notNullable();
    table.index(["attempt_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("commit_log");
  await knex.schema.dropTable("attempt_scos");
  await knex.schema.dropTable("attempts");
}
