import type { Knex } from "knex";
import { plainLetters } from "../format.ts";
import { createCourseSearchIndexStore } from "./course-search-index-store.ts";

/**
 * The words of a text as Search Course compares them: accents off, lower case, runs of a-z and
 * 0-9. Documents and queries are both cut up here, not by the databases' own parsers, so that
 * SQLite's FTS5 (unicode61) and PostgreSQL's 'simple' text search see the same plain words and
 * give the same results: left to themselves they differ on "e-learning", "1.2" and accents.
 * It also means no character of a query ever reaches FTS5's or tsquery's syntax.
 */
export function searchWords(text: string): string[] {
  return plainLetters(text).toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/**
 * One course's searchable text: its code, title, certification names and competency names, each
 * field's words joined by single spaces, fields apart by " | " and the whole wrapped in spaces.
 * The full-text indexes ignore the bars; Exact Phrase's check (`% w1 w2 %`) cannot match across them.
 */
export function searchDocument(fields: string[]): string {
  return ` ${fields.map((field) => searchWords(field).join(" ")).filter(Boolean).join(" | ")} `;
}

/** "297 Fire Safety - Part 1" -> "297": the organisation a course comes from (000: national). */
export function organisationOf(code: string): string | null {
  return /^(\d{3}) /.exec(code)?.[1] ?? null;
}

/**
 * Brings course_search up to date for these course codes (every code when none are given): a row
 * for each code that is a course or a component of a certification, none for a code that is
 * neither any more. Called in the transaction of every change to what it holds: package import
 * (a course and its title), the catalog store's component lists (import and editing), a
 * competency's or certification's rename or deletion. The full-text indexes follow this table
 * (FTS5 by triggers, PostgreSQL by an expression index).
 */
export async function refreshCourseSearch(db: Knex, codes?: string[]): Promise<void> {
  const wanted = codes === undefined ? undefined : [...new Set(codes)];
  if (wanted?.length === 0) return;
  const store = createCourseSearchIndexStore(db);
  const [courses, components] = await store.sources(wanted);
  const byCode = new Map<string, { title: string | null; certifications: Set<string>; competencies: Set<string> }>();
  const entry = (code: string) => {
    let found = byCode.get(code);
    if (!found) byCode.set(code, (found = { title: null, certifications: new Set(), competencies: new Set() }));
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
    organisation: organisationOf(code),
    search_text: searchDocument([code, found.title ?? "", ...found.certifications, ...found.competencies]),
  }));
  await store.save(rows);
  await store.removeAllBut([...byCode.keys()], wanted);
}
