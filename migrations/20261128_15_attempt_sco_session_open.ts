import type { Knex } from "knex";

// Whether a SCO's last session is still open: set when a session starts (state fetch), cleared by
// its terminate commit. Open at the next start means the last one never terminated (a crashed
// tab, a killed browser), and the SCO resumes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("attempt_scos", (table) => {
    table.boolean("session_open").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE ?? DROP COLUMN ??", ["attempt_scos", "session_open"]);
}
