import type { Knex } from "knex";

// Delivery of the outbox: when a message may next be tried (a failed send waits longer each time;
// a message being sent is leased to its process for a few minutes, so that several app processes
// never send it twice unless one dies mid-send), and where its .eml copy is kept.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("mail_outbox", (table) => {
    table.string("next_attempt_at", 30);
    table.string("eml_file", 200);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("mail_outbox", (table) => {
    table.dropColumn("next_attempt_at");
    table.dropColumn("eml_file");
  });
}
