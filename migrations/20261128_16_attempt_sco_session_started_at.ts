import type { Knex } from "knex";

// When the SCO's open session started (its state fetch). A session that never terminated and
// never reported its session_time is counted from here to its last commit, so that a crashed
// tab's time is not lost.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempt_scos", (table) => {
    table.string("session_started_at", 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempt_scos", "session_started_at"]);
}
