import type { Knex } from "knex";

// Each course version keeps its package's content hash (server/packages/content-hash.ts), so an
// author uploading the same package again is told which version it already is and asked before
// a second, identical version is made (issue 20). Versions imported before this have none: they
// are not recognised, and nothing can rebuild the hash of a zip that is no longer kept.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("course_versions", (table) => {
    table.string("content_hash", 64).nullable();
    table.index(["course_id", "content_hash"], "course_versions_content_hash_idx");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("course_versions", (table) => {
    table.dropIndex(["course_id", "content_hash"], "course_versions_content_hash_idx");
    table.dropColumn("content_hash");
  });
}
