import type { Knex } from "knex";

// Dates are stored as text (YYYY-MM-DD) and instants as ISO 8601 UTC text: they compare and sort
// the same way on SQLite and PostgreSQL, and no driver turns them into local-time Date objects.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("organisations", (table) => {
    table.increments("id");
    // The VPD code prefixes usernames (297JSMITH01) and course codes; 000 is national content.
    table.string("vpd", 3).notNullable().unique();
    table.string("name", 200).notNullable();
  });
  await knex.schema.createTable("people", (table) => {
    table.increments("id");
    table.integer("organisation_id").notNullable().references("organisations.id");
    table.string("employee_number", 20).notNullable().unique();
    table.string("last_name", 100).notNullable();
    table.string("first_name", 100).notNullable();
    table.string("email", 254).notNullable();
    table.string("date_of_birth", 10).notNullable();
    table.string("created_at", 30).notNullable();
    // Forgotten Username looks a person up by email and date of birth.
    table.index(["email"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("people");
  await knex.schema.dropTable("organisations");
}
