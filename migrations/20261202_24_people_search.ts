import type { Knex } from "knex";
import { searchKey } from "../server/people/names.ts";

// A person's name and employee number folded for search (lower case, accents and letters like Ø
// spelt plainly), written by the people store: SQLite's lower() folds ASCII only, so "Ørsted"
// would never match "ørsted" in SQL alone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.string("search_text", 400);
  });
  const people = await knex("people").select("id", "last_name", "first_name", "employee_number");
  for (const person of people) {
    await knex("people").where({ id: person.id }).update({ search_text: searchKey(`${person.last_name} ${person.first_name} ${person.employee_number}`) });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.dropColumn("search_text");
  });
}
