import type { Knex } from "knex";
import { refreshCourseSearch } from "../server/catalog/course-search-index.ts";

// Search Course: one row per course code (a course, or a component's code not imported yet) with
// its code, title, certification and competency names as plain words (the course itself is
// joined by code when searching, so its title and classes are read as they are then)
// (server/catalog/course-search-index.ts), and the database's own full-text index over them:
// FTS5 on SQLite (an external-content table kept in step by triggers on this one), a generated
// 'simple' tsvector column with a GIN index on PostgreSQL ('simple': no stemming or stop words, so "297" and "level 1"
// are words like any other).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("course_search", (table) => {
    table.increments("id");
    table.string("code", 200).notNullable().unique();
    // The code's VPD prefix: the trust's own ("297") or national ("000") content.
    table.string("organisation", 10);
    table.text("search_text").notNullable();
    table.index(["organisation", "code"]);
  });
  if (onPostgres(knex)) {
    // Stored, not an expression index only: a plan that reads many rows then reads the vector
    // rather than parsing every course's text again.
    await knex.raw("ALTER TABLE course_search ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED");
    await knex.raw("CREATE INDEX course_search_words ON course_search USING gin (search_vector)");
  } else {
    await knex.raw("CREATE VIRTUAL TABLE course_search_fts USING fts5(search_text, content='course_search', content_rowid='id', prefix='2 3')");
    await knex.raw("CREATE TRIGGER course_search_fts_insert AFTER INSERT ON course_search BEGIN INSERT INTO course_search_fts (rowid, search_text) VALUES (new.id, new.search_text); END");
    await knex.raw("CREATE TRIGGER course_search_fts_delete AFTER DELETE ON course_search BEGIN INSERT INTO course_search_fts (course_search_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END");
    await knex.raw(`CREATE TRIGGER course_search_fts_update AFTER UPDATE OF search_text ON course_search BEGIN
      INSERT INTO course_search_fts (course_search_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
      INSERT INTO course_search_fts (rowid, search_text) VALUES (new.id, new.search_text); END`);
  }
  await refreshCourseSearch(knex);
}

export async function down(knex: Knex): Promise<void> {
  if (!onPostgres(knex)) {
    for (const name of ["insert", "delete", "update"]) await knex.raw(`DROP TRIGGER course_search_fts_${name}`);
    await knex.raw("DROP TABLE course_search_fts");
  }
  await knex.schema.dropTable("course_search");
}

// As server/db/connect.ts's isPostgres, which this file cannot import: connect.ts imports the migrations.
function onPostgres(knex: Knex): boolean {
  return knex.client.config.client === "pg";
}
