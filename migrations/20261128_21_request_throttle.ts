import type { Knex } from "knex";

// Per-IP counts of log-in and recovery requests in fixed windows, kept in the database so that a
// limit holds across every app process behind a load balancer.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("request_throttle", (table) => {
    table.string("bucket", 200).notNullable();
    table.string("window_start", 30).notNullable();
    table.integer("hits").notNullable();
    table.primary(["bucket", "window_start"]);
    table.index(["window_start"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("request_throttle");
}
