import type { Knex } from "knex";

// One row per certificate issued: a completed certification (its subscription) or a completed
// course (its attempt). The PDF is rebuilt from these facts on each download, so only the
// verification code is kept; each subscription or attempt has at most one (the unique columns),
// so two first downloads at once still agree on the code.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("certificates", (table) => {
    table.increments("id");
    // 16 characters of an unambiguous alphabet, stored without the dashes it is printed with.
    table.string("code", 16).notNullable().unique();
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    // certification | course
    table.string("kind", 20).notNullable();
    table.integer("subscription_id").unique().references("subscriptions.id").onDelete("CASCADE");
    table.integer("attempt_id").unique().references("attempts.id").onDelete("CASCADE");
    table.string("issued_at", 30).notNullable();
    table.index(["person_id"]);
    table.check("(kind = 'certification' and subscription_id is not null and attempt_id is null) or (kind = 'course' and attempt_id is not null and subscription_id is null)", [], "certificates_one_subject");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("certificates");
}
