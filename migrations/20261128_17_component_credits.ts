import type { Knex } from "knex";

// Which component of a subscription is done, by which attempt, and when: written once, in the
// transaction of the commit that earned it, and never taken back (DESIGN.md rule 6). Component
// Status and certification completion are read from here, not worked out again from attempts
// whose later commits or re-imports must not undo anything.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("component_credits", (table) => {
    table.increments("id");
    table.integer("subscription_id").notNullable().references("subscriptions.id").onDelete("CASCADE");
    table.integer("component_id").notNullable().references("certification_components.id").onDelete("CASCADE");
    table.integer("attempt_id").notNullable().references("attempts.id");
    // "done" by its own attempt, or "satisfied" by passing the course its rule names.
    table.string("how", 20).notNullable();
    table.string("credited_at", 30).notNullable();
    table.unique(["subscription_id", "component_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("component_credits");
}
