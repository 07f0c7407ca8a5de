import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Response } from "supertest";
import type { Db } from "../../server/db/connect.ts";
import { random } from "../support/random.ts";

/**
 * The seed of the fuzz tests of forms and uploads; every case's name carries it, so that
 * FUZZ_SEED=<seed> runs a failing case again. FUZZ_SHOW=1 prints each case's refusal.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261205);

/** A seeded source of choices. */
export function fuzzer(seed: number) {
  const next = random(seed);
  const int = (below: number) => Math.floor(next() * below);
  return { int, pick: <T,>(items: readonly T[]): T => items[int(items.length)]!, chance: (p: number) => next() < p };
}
export type Fuzzer = ReturnType<typeof fuzzer>;

/**
 * Values a person or a script might put in any text field: empty, NUL and control characters,
 * other scripts (one whose search key is 18 times its length), markup and SQL, numbers and dates
 * where text is expected and the other way round, and names of Object.prototype's own properties.
 */
export const ODD_TEXT: readonly string[] = [
  "", " ", "\t", "x", "a\u0000b", "\u0001\u001b[31m\u007f", "line\r\nbreak", "Zoë Ørsted", "💥".repeat(40), "\u202eevil", "\uFDFA".repeat(30),
  "<script>alert(1)</script>", "' or 1=1 --", "%00", "0", "-1", "1.5", "1e309", "NaN", "Infinity", "99999999999999999999", "2147483648",
  "2026-02-30", "99999-01-01", "0000-00-00", "2026-13-01", "31/02/2026", "true", "null", "__proto__", "constructor", "toString",
];

/** Text past every field's limit: 60 kB, so that one still fits the 100 kB form limit (and meets the field's), and two do not (and meet the form's). */
export const HUGE = "y".repeat(60_000);

/** A form body in urlencoded form from name-value pairs, so that names repeat (arrays) and carry brackets as a script sends them. */
export function urlencoded(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join("&");
}

/** Pairs that try to reach Object.prototype through a parser. */
export const POLLUTERS: Array<[string, string]> = [
  ["__proto__[polluted]", "1"],
  ["constructor[prototype][polluted]", "1"],
  ["__proto__", "polluted"],
];

/** One field's value as a script might send it: missing, once, twice (an array), or with a polluter beside it. */
export function fieldPairs(f: Fuzzer, name: string, value: string | undefined): Array<[string, string]> {
  if (value === undefined) return [];
  if (f.chance(0.1)) return [[name, value], [name, f.pick(ODD_TEXT)]];
  if (f.chance(0.05)) return [[`${name}[]`, value]];
  return [[name, value]];
}

/** How many rows each table holds. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables =
    db.client.config.client === "pg"
      ? (await db.raw("select tablename as name from pg_tables where schemaname = current_schema()")).rows
      : await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  const counts: Record<string, number> = {};
  for (const { name } of tables as Array<{ name: string }>) counts[name] = Number((await db(name).count({ n: "*" }).first())?.n);
  return counts;
}

/** Every file under DATA_DIR but the SQLite database's own: package storage, evidence, their upload folders. */
export function filesUnder(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) return [];
  return (fs.readdirSync(dataDir, { recursive: true }) as string[])
    .filter((name) => !/^lms\.sqlite/.test(name) && fs.statSync(path.join(dataDir, name)).isFile())
    .sort();
}

/** The text of an HTML fragment, as a screen reader would say it. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();

/**
 * A refusal a person can act on: a 4xx (never a 5xx, never a redirect as if it had worked), an
 * HTML page, and on it the problem in words: the form's NHS error summary, or the message of the
 * error page (or of the page for an email link that does not work). Gives those words.
 */
export function expectClearRefusal(response: Response, name: string): string {
  const context = `${name}: ${response.status} ${response.text?.slice(0, 300)}`;
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  expect(response.headers["content-type"], context).toMatch(/^text\/html/);
  const summary = /class="nhsuk-error-summary__body">([\s\S]*?)<\/div>/.exec(response.text)?.[1];
  const errorPage = /<title>(?:Page not found|You do not have permission to see this page|There is a problem|This link does not work) [\s\S]*?<h1>[^<]*<\/h1>\s*<p>([\s\S]*?<\/p>\s*(?:<ul[\s\S]*?<\/ul>)?)/.exec(response.text)?.[1];
  const problem = textOf(summary ?? errorPage ?? "");
  expect(problem.length, `${context}\n(no problem named on the page)`).toBeGreaterThan(8);
  expect(problem, context).not.toMatch(/Something went wrong on our side/);
  return problem;
}

export function expectPrototypeClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty("polluted");
}
