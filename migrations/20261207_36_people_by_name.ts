import type { Knex } from "knex";

// People in the order every report lists them: last name, first name, then employee number
// (unique, so the order is total). The reports' CSVs read the whole trust a range of people at a
// time (server/compliance/requirement-people-reads.ts), each range starting after the last
// person of the one before: with this index a range is found by a seek, not by sorting 200,000
// people again for each of the hundred ranges of a 200,000-staff trust.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.index(["last_name", "first_name", "employee_number"], "people_name_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.dropIndex(["last_name", "first_name", "employee_number"], "people_name_index");
  });
}
