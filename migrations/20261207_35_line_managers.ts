import type { Knex } from "knex";

// An assignment's line manager, as ESR holds a supervisor on each assignment (issue 20): the
// people behind a report's figure are listed with the manager who can act on them. Another
// person, or none; a manager who leaves the LMS leaves their staff with none (SET NULL), never
// takes their assignments with them.
//
// Written as SQL, the same on both databases: knex adds a foreign key to an existing SQLite table
// by copying the table, and a copy would drop the requirement_holdings triggers that migration 18
// put on assignments. SQLite accepts a REFERENCES clause on ADD COLUMN when the column's default
// is NULL, and drops such a column again without copying.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE ?? ADD COLUMN ?? integer NULL REFERENCES ?? (??) ON DELETE SET NULL", ["assignments", "line_manager_id", "people", "id"]);
  await knex.schema.alterTable("assignments", (table) => table.index(["line_manager_id"], "assignments_line_manager_idx"));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("assignments", (table) => table.dropIndex(["line_manager_id"], "assignments_line_manager_idx"));
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["assignments", "line_manager_id"]);
}
