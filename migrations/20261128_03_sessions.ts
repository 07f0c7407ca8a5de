import type { Knex } from "knex";

// The column names are the ones connect-session-knex reads and writes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sessions", (table) => {
    table.string("sid", 255).primary();
    table.json("sess").notNullable();
    table.timestamp("expired", { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("sessions");
}
