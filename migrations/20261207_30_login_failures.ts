import type { Knex } from "knex";

// Failed log ins counted per username and source address (server/accounts/login-failures.ts), so
// that guessing from one place slows only that place: an attacker who knows a username can no
// longer lock its owner out with five wrong passwords. The username is kept as a hash: what was
// typed may be a password typed into the wrong box, and is never stored readable.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("login_failures", (table) => {
    table.string("username_hash", 64).notNullable();
    table.string("source", 100).notNullable();
    table.integer("failures").notNullable();
    table.string("last_failed_at", 30).notNullable();
    // Until when this source must wait before trying this username again; null before the threshold.
    table.string("wait_until", 30);
    table.primary(["username_hash", "source"]);
    table.index(["last_failed_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("login_failures");
}
