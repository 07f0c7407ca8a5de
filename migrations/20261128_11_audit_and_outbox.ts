import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("audit_events", (table) => {
    table.increments("id");
    table.string("at", 30).notNullable();
    table.string("kind", 60).notNullable();
    table.integer("actor_account_id").references("accounts.id").onDelete("SET NULL");
    table.integer("person_id").references("people.id").onDelete("SET NULL");
    table.string("ip", 64);
    table.text("detail").notNullable().defaultTo("{}");
    table.index(["person_id", "at"]);
    table.index(["kind", "at"]);
  });
  // Every message is written here first, in the transaction that caused it, then sent: a failed
  // send is retried and never loses the message.
  await knex.schema.createTable("mail_outbox", (table) => {
    table.increments("id");
    table.string("to_address", 254).notNullable();
    table.string("subject", 300).notNullable();
    table.text("text_body").notNullable();
    table.string("status", 20).notNullable().defaultTo("queued");
    table.integer("send_attempts").notNullable().defaultTo(0);
    table.text("last_error");
    table.string("created_at", 30).notNullable();
    table.string("sent_at", 30);
    table.index(["status"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("mail_outbox");
  await knex.schema.dropTable("audit_events");
}
