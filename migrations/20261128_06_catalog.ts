import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("courses", (table) => {
    table.increments("id");
    // The course code learners see, e.g. "297 NHS Conflict Resolution - Part 1".
    table.string("code", 200).notNullable().unique();
    table.string("title", 300).notNullable();
    table.string("kind", 20).notNullable().defaultTo("elearning");
    table.string("created_at", 30).notNullable();
  });
  // One imported package each; attempts point at a version, so a new upload never changes an
  // attempt already started.
  await knex.schema.createTable("course_versions", (table) => {
    table.increments("id");
    table.integer("course_id").notNullable().references("courses.id").onDelete("CASCADE");
    table.integer("version").notNullable();
    table.string("scorm_version", 30).notNullable();
    table.string("title", 300).notNullable();
    table.string("storage_key", 200).notNullable();
    table.text("manifest").notNullable();
    table.integer("file_count").notNullable();
    table.bigInteger("total_bytes").notNullable();
    table.string("imported_at", 30).notNullable();
    table.integer("imported_by").references("accounts.id");
    table.unique(["course_id", "version"]);
  });
  // An offering of a course. E-learning classes are always open; classroom ones have places.
  await knex.schema.createTable("classes", (table) => {
    table.increments("id");
    table.integer("course_id").notNullable().references("courses.id").onDelete("CASCADE");
    table.string("kind", 20).notNullable().defaultTo("elearning");
    table.string("title", 300).notNullable();
    table.string("starts_at", 30);
    table.string("ends_at", 30);
    table.string("venue", 300);
    table.integer("capacity");
    table.boolean("requires_approval").notNullable().defaultTo(false);
    table.string("status", 20).notNullable().defaultTo("open");
    table.index(["course_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("classes");
  await knex.schema.dropTable("course_versions");
  await knex.schema.dropTable("courses");
}
