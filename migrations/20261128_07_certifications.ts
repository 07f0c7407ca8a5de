import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("certifications", (table) => {
    table.increments("id");
    table.string("name", 300).notNullable().unique();
    table.integer("competency_id").notNullable().references("competencies.id");
    table.string("competence_level", 100).notNullable();
    table.integer("valid_days").notNullable();
    table.integer("complete_within_days").notNullable();
    table.boolean("renewable").notNullable().defaultTo(true);
    table.text("description").notNullable().defaultTo("");
    table.index(["competency_id"]);
  });
  // Components name their course by code, so a certification can be set up before its package is
  // imported: the component becomes playable once a course with that code exists.
  await knex.schema.createTable("certification_components", (table) => {
    table.increments("id");
    table.integer("certification_id").notNullable().references("certifications.id").onDelete("CASCADE");
    table.integer("position").notNullable();
    table.string("course_code", 200).notNullable();
    // "completion" for modules, "pass" for assessments (completed alone never passes).
    table.string("requires", 20).notNullable();
    // The guide's "complete the eAssessment alone; if you pass, you do not need this session".
    table.string("satisfied_by_course_code", 200);
    table.unique(["certification_id", "course_code"]);
    table.index(["course_code"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("certification_components");
  await knex.schema.dropTable("certifications");
}
