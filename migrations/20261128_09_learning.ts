import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  // Timestamps matter here: learning only counts toward a subscription that existed before the
  // attempt started.
  await knex.schema.createTable("subscriptions", (table) => {
    table.increments("id");
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("certification_id").notNullable().references("certifications.id");
    // Subscribed | Completed | Expired | Unsubscribed
    table.string("status", 20).notNullable();
    table.string("subscribed_at", 30).notNullable();
    table.string("complete_by", 10).notNullable();
    table.string("completed_at", 30);
    table.string("ended_at", 30);
    table.index(["person_id", "certification_id"]);
  });
  await knex.schema.createTable("enrolments", (table) => {
    table.increments("id");
    table.integer("person_id").notNullable().references("people.id").onDelete("CASCADE");
    table.integer("class_id").notNullable().references("classes.id");
    table.integer("subscription_id").references("subscriptions.id");
    // Planned -> Enrolled -> In Progress -> Completed (Component Status)
    table.string("status", 20).notNullable();
    table.string("enrolled_at", 30).notNullable();
    table.string("completed_at", 30);
    table.index(["person_id"]);
    table.index(["class_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("enrolments");
  await knex.schema.dropTable("subscriptions");
}
