import type { Knex } from "knex";

// A person's name and employee number folded for search (lower case, accents and letters like Ø
// spelt plainly), written by the people store: SQLite's lower() folds ASCII only, so "Ørsted"
// would never match "ørsted" in SQL alone.
// The folding below is this migration's own copy of server/people/names.ts's searchKey as it stood
// on 2026-12-02: history must not change when the live code does (the store writes search_text
// for every person saved since). Neither database folds Unicode like this in SQL, so the keys are
// made here, and written set by set: one UPDATE for each 200 people (a CASE on the id), not one per
// person, which at 200,000 staff was 200,000 statements.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.string("search_text", 400);
  });
  const people = await knex("people").select("id", "last_name", "first_name", "employee_number");
  for (let start = 0; start < people.length; start += 200) {
    const set = people.slice(start, start + 200);
    const keys = set.flatMap((person) => [Number(person.id), searchKey(`${person.last_name} ${person.first_name} ${person.employee_number}`)]);
    await knex("people")
      .whereIn("id", set.map((person) => Number(person.id)))
      .update({ search_text: knex.raw(`CASE id ${set.map(() => "WHEN ? THEN ?").join(" ")} END`, keys) });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.dropColumn("search_text");
  });
}

const PLAIN: Record<string, string> = { ø: "o", Ø: "O", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ß: "ss", đ: "d", Đ: "D", ł: "l", Ł: "L", þ: "th", Þ: "TH", ð: "d", Ð: "D", ı: "i" };

function searchKey(text: string): string {
  const plain = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[øØæÆœŒßđĐłŁþÞðÐı]/g, (letter) => PLAIN[letter]!);
  return plain.toLowerCase().replace(/[^\p{L}\p{N}@.]+/gu, " ").trim();
}
