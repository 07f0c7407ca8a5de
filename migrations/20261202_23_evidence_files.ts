import type { Knex } from "knex";

// A file (PDF, PNG or JPEG) backing a competence recorded from elsewhere. The bytes live under
// DATA_DIR/evidence/ with a random name; only this row knows the name the learner gave it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("evidence_files", (table) => {
    table.increments("id");
    // One file per record; it goes when its record goes.
    table.integer("competence_record_id").notNullable().unique().references("competence_records.id").onDelete("CASCADE");
    table.string("stored_name", 64).notNullable().unique();
    table.string("original_name", 255).notNullable();
    table.string("content_type", 50).notNullable();
    table.integer("size_bytes").notNullable();
    table.string("sha256", 64).notNullable();
    table.integer("uploaded_by").references("accounts.id");
    table.string("created_at", 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("evidence_files");
}
