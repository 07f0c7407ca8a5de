import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("positions", (table) => {
    table.increments("id");
    table.integer("organisation_id").notNullable().references("organisations.id");
    table.string("name", 200).notNullable();
    table.unique(["organisation_id", "name"]);
  });
  // An assignment is a person holding a position, e.g. "24552166 - E-Learning & Design Co-Ordinator".
  await knex.schema.createTable("assignments", (table) => {
    table.increments("id");
    table.string("number", 20).notNullable().unique();
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("position_id").notNullable().references("positions.id");
    table.boolean("is_primary").notNullable().defaultTo(false);
    table.string("start_date", 10);
    table.string("end_date", 10);
    table.index(["person_id"]);
    table.index(["position_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("assignments");
  await knex.schema.dropTable("positions");
}
