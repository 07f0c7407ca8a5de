import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("accounts", (table) => {
    table.increments("id");
    table.integer("person_id").notNullable().unique().references("people.id").onDelete("CASCADE");
    table.string("username", 50).notNullable();
    // Usernames are case-insensitive; the canonical upper-case form carries the uniqueness.
    table.string("username_key", 50).notNullable().unique();
    table.string("password_hash", 200).notNullable();
    table.string("role", 20).notNullable().defaultTo("learner");
    table.integer("failed_logins").notNullable().defaultTo(0);
    table.string("locked_until", 30);
    table.string("last_login_at", 30);
    table.string("created_at", 30).notNullable();
    table.string("updated_at", 30).notNullable();
  });
  // Reset, unlock and username-lookup links: only a hash of the token is kept.
  await knex.schema.createTable("account_tokens", (table) => {
    table.increments("id");
    table.integer("account_id").notNullable().references("accounts.id").onDelete("CASCADE");
    table.string("purpose", 20).notNullable();
    table.string("token_hash", 128).notNullable().unique();
    table.string("expires_at", 30).notNullable();
    table.string("used_at", 30);
    table.string("created_at", 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("account_tokens");
  await knex.schema.dropTable("accounts");
}
