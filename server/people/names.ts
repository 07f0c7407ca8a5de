import { plainLetters } from "../format.ts";

/** An email address as far as it can be told without sending to it: something@somewhere.tld. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The people table's column sizes (migration 01): PostgreSQL refuses a longer value with a 500
 * and SQLite kept it, so every way in checks them first (found by test/reliability/fuzz-forms.test.ts).
 */
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_TOO_LONG = `last name and first name must each be at most ${NAME_MAX_LENGTH} characters`;

/** True when both parts of "Last, First" fit their columns (or the name is not in that form: told elsewhere). */
export function namePartsFit(name: string): boolean {
  const parts = parsePersonName(name);
  return !parts || (parts.lastName.length <= NAME_MAX_LENGTH && parts.firstName.length <= NAME_MAX_LENGTH);
}

/** "Smith, Jane" -> { lastName: "Smith", firstName: "Jane" }: the guide shows names "Last, First". */
export function parsePersonName(name: string): { lastName: string; firstName: string } | undefined {
  const match = /^\s*([^,]+?)\s*,\s*(.+?)\s*$/.exec(name);
  if (!match) return undefined;
  return { lastName: match[1]!, firstName: match[2]! };
}

export function displayName(person: { lastName: string; firstName: string }): string {
  return `${person.lastName}, ${person.firstName}`;
}

/**
 * The guide's username form: VPD + first initial + surname + a two-digit number, e.g.
 * 297JSMITH01. Surnames are cut so the whole stays short; the number is the first one free.
 */
export function proposeUsername(vpd: string, name: { lastName: string; firstName: string }, taken: Set<string>): string {
  const letters = (text: string) => plainLetters(text).replace(/[^A-Za-z]/g, "").toUpperCase();
  const stem = `${vpd}${letters(name.firstName).slice(0, 1)}${letters(name.lastName).slice(0, 12)}`;
  for (let n = 1; n < 100; n++) {
    const candidate = `${stem}${String(n).padStart(2, "0")}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`No free username left for ${stem}`);
}

// Folding a text to plain letters is every area's (search, certificates): it lives in format.ts.
export { plainLetters, searchKey } from "../format.ts";
