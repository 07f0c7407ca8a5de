import type { Knex } from "knex";

// What each person was last told about each essential competency (Green, Amber or Red), so that
// `lms send-reminders` emails a change once and never twice, however often it runs.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("reminder_state", (table) => {
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("competency_id").notNullable().references("competencies.id").onDelete("CASCADE");
    table.string("status", 10).notNullable();
    table.string("changed_at", 30).notNullable();
    table.primary(["person_id", "competency_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("reminder_state");
}
