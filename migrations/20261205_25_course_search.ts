import type { Knex } from "knex";

// Search Course: one row per course code (a course, or a component's code not imported yet) with
// its code, title, certification and competency names as plain words (the course itself is
// joined by code when searching, so its title and classes are read as they are then)
// (server/catalog/course-search-index.ts then, server/learning/ now), and the database's own full-text index over them:
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
  await fillCourseSearch(knex);
}

export async function down(knex: Knex): Promise<void> {
  if (!onPostgres(knex)) {
    for (const name of ["insert", "delete", "update"]) await knex.raw(`DROP TRIGGER course_search_fts_${name}`);
    await knex.raw("DROP TABLE course_search_fts");
  }
  await knex.schema.dropTable("course_search");
}

// Filling the new table once: this migration's own copy of what server/catalog/course-search-index.ts
// wrote on 2026-12-05 (refreshCourseSearch for every code), so that history does not change when
// the live code does. Two reads and inserts of 200 rows at a time, not a statement per course.
async function fillCourseSearch(knex: Knex): Promise<void> {
  const courses = await knex("courses").select("code", "title");
  const components = await knex("certification_components")
    .join("certifications", "certifications.id", "certification_components.certification_id")
    .join("competencies", "competencies.id", "certifications.competency_id")
    .select("certification_components.course_code", "certifications.name as certification", "competencies.name as competency")
    .orderBy("certifications.name");
  const byCode = new Map<string, { title: string; certifications: Set<string>; competencies: Set<string> }>();
  const entry = (code: string) => {
    let found = byCode.get(code);
    if (!found) byCode.set(code, (found = { title: "", certifications: new Set(), competencies: new Set() }));
    return found;
  };
  for (const course of courses) entry(String(course.code)).title = String(course.title);
  for (const component of components) {
    const found = entry(String(component.course_code));
    found.certifications.add(String(component.certification));
    found.competencies.add(String(component.competency));
  }
  const rows = [...byCode].map(([code, found]) => ({
    code,
    organisation: /^(\d{3}) /.exec(code)?.[1] ?? null,
    search_text: ` ${[code, found.title, ...found.certifications, ...found.competencies].map((field) => words(field).join(" ")).filter(Boolean).join(" | ")} `,
  }));
  for (let start = 0; start < rows.length; start += 200) await knex("course_search").insert(rows.slice(start, start + 200));
}

const PLAIN: Record<string, string> = { ø: "o", Ø: "O", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ß: "ss", đ: "d", Đ: "D", ł: "l", Ł: "L", þ: "th", Þ: "TH", ð: "d", Ð: "D", ı: "i" };

function words(text: string): string[] {
  const plain = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[øØæÆœŒßđĐłŁþÞðÐı]/g, (letter) => PLAIN[letter]!);
  return plain.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

// As server/db/connect.ts's isPostgres, which this file cannot import: connect.ts imports the migrations.
function onPostgres(knex: Knex): boolean {
  return knex.client.config.client === "pg";
}
