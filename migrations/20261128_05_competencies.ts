import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("competencies", (table) => {
    table.increments("id");
    // Kept verbatim, e.g. "NHS|CSTF|Fire Safety - 1 Year|".
    table.string("name", 300).notNullable().unique();
    table.text("description").notNullable().defaultTo("");
  });
  // A position's requirement of a competency; only essential ones count toward compliance.
  await knex.schema.createTable("competence_requirements", (table) => {
    table.increments("id");
    table.integer("position_id").notNullable().references("positions.id").onDelete("CASCADE");
    table.integer("competency_id").notNullable().references("competencies.id");
    table.boolean("essential").notNullable().defaultTo(true);
    table.string("min_level", 100);
    // New starters: due within this many days of the assignment's start (null: no due date).
    table.integer("due_within_days");
    table.unique(["position_id", "competency_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("competence_requirements");
  await knex.schema.dropTable("competencies");
}
