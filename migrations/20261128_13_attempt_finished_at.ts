import type { Knex } from "knex";

// When the attempt first had an outcome (Completed, Passed or Failed). completed_at stays the
// moment of first completion or pass; a Failed attempt has finished_at and no completed_at.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempts", (table) => {
    table.string("finished_at", 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  // In place: rebuilding attempts on SQLite would cascade-delete its SCOs and commit log.
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempts", "finished_at"]);
}
