import type { Knex } from "knex";

// What the commit service keeps per SCO beside its CMI: the open session's latest session_time
// (so that a SCO reporting it with every commit is counted once), the SCO's own Performance
// Status (merged, never downgraded), and the last accepted commit's digest and answer (so that a
// repeated commit is answered the same without being applied again).
const COLUMNS = ["session_time_ms", "performance_status", "last_commit_digest", "last_commit_status", "last_commit_at", "completed_at"];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempt_scos", (table) => {
    table.bigInteger("session_time_ms").notNullable().defaultTo(0);
    table.string("performance_status", 20).notNullable().defaultTo("Not Attempted");
    table.string("last_commit_digest", 64);
    table.string("last_commit_status", 20);
    table.string("last_commit_at", 30);
    table.string("completed_at", 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite 3.35+ drops a column in place; knex's own dropColumn would rebuild the table.
  for (const column of COLUMNS) await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempt_scos", column]);
}
