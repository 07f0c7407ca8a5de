import type { Knex } from "knex";

// login_failures' usernames are now kept as an HMAC keyed with the server's secret
// (server/accounts/login-failures.ts), not a plain SHA-256: what was typed may be a password in the
// wrong box, and a plain hash of it could be searched for with a dictionary by anyone holding a
// copy of the database. The plain hashes still here would never match a keyed one again, so they
// go: at worst a guesser's delays of the last day start again.
export async function up(knex: Knex): Promise<void> {
  await knex("login_failures").delete();
}

export async function down(): Promise<void> {
  // Nothing to restore: the counts were forgotten on the way up.
}
