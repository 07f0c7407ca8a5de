import type { Knex } from "knex";

// A component's credit is kept by its course code, not by the component row. A catalog import
// replaces a certification's component rows: keyed by row, a component dropped from the file and
// added back (or a file imported by mistake, then the right one) took its credits with it, through
// the cascade, and completed learning read "not counted" (DESIGN.md rule 6: nothing completed is
// undone by a re-import). Keyed by course, a credit stays with the subscription, counts again as
// soon as the course is a component again, and is never deleted by a catalog change.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("component_credits_by_course", (table) => {
    table.increments("id");
    table.integer("subscription_id").notNullable().references("subscriptions.id").onDelete("CASCADE");
    table.string("course_code", 200).notNullable();
    table.integer("attempt_id").notNullable().references("attempts.id");
    // "done" by its own attempt, or "satisfied" by passing the course its rule names.
    table.string("how", 20).notNullable();
    table.string("credited_at", 30).notNullable();
    table.unique(["subscription_id", "course_code"]);
  });
  await knex.raw(`INSERT INTO component_credits_by_course (subscription_id, course_code, attempt_id, how, credited_at)
    SELECT c.subscription_id, k.course_code, c.attempt_id, c.how, c.credited_at
    FROM component_credits c JOIN certification_components k ON k.id = c.component_id ORDER BY c.id`);
  await knex.schema.dropTable("component_credits");
  await knex.schema.renameTable("component_credits_by_course", "component_credits");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable("component_credits_by_row", (table) => {
    table.increments("id");
    table.integer("subscription_id").notNullable().references("subscriptions.id").onDelete("CASCADE");
    table.integer("component_id").notNullable().references("certification_components.id").onDelete("CASCADE");
    table.integer("attempt_id").notNullable().references("attempts.id");
    table.string("how", 20).notNullable();
    table.string("credited_at", 30).notNullable();
    table.unique(["subscription_id", "component_id"]);
  });
  // Credits of courses that are no longer components have no row to belong to, and are dropped.
  await knex.raw(`INSERT INTO component_credits_by_row (subscription_id, component_id, attempt_id, how, credited_at)
    SELECT c.subscription_id, k.id, c.attempt_id, c.how, c.credited_at
    FROM component_credits c JOIN subscriptions s ON s.id = c.subscription_id
    JOIN certification_components k ON k.certification_id = s.certification_id AND k.course_code = c.course_code ORDER BY c.id`);
  await knex.schema.dropTable("component_credits");
  await knex.schema.renameTable("component_credits_by_row", "component_credits");
}
