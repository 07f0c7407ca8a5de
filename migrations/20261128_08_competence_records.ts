import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("competence_records", (table) => {
    table.increments("id");
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("competency_id").notNullable().references("competencies.id");
    table.string("level", 100).notNullable();
    table.string("achieved_on", 10).notNullable();
    table.string("expires_on", 10);
    // certification | manual | transfer
    table.string("source", 20).notNullable();
    // approved | awaiting_approval | rejected: only approved records count.
    table.string("status", 20).notNullable().defaultTo("approved");
    table.integer("certification_id").references("certifications.id");
    table.text("evidence");
    table.integer("decided_by").references("accounts.id");
    table.string("decided_at", 30);
    table.text("decision_reason");
    table.string("created_at", 30).notNullable();
    table.index(["person_id", "competency_id"]);
    table.index(["competency_id", "status"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("competence_records");
}
