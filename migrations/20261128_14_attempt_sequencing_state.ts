import type { Knex } from "knex";

// SCORM 2004: the sequencer's activity tree as scorm-again serialises it (attempt counts, each
// activity's statuses, the suspended activity), saved by the player after each delivery and at
// the end of a sequencing session, so that a course resumed later sequences from where it was.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempts", (table) => {
    table.text("sequencing_state");
  });
}

export async function down(knex: Knex): Promise<void> {
  // In place: rebuilding attempts on SQLite would cascade-delete its SCOs and commit log.
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempts", "sequencing_state"]);
}
