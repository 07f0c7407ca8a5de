import { localDate, localTime } from "./clock.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The guide's date form: 2020-10-18 -> 18-Oct-2020; a moment shows its date in the trust's time zone. */
export function guideDate(date: string | null): string {
  if (!date) return "";
  const [year, month, day] = (date.length > 10 ? localDate(date) : date).split("-");
  return `${day}-${MONTHS[Number(month) - 1]}-${year}`;
}

/** A moment as people there read it: 01-Jul-2026 00:30, in the trust's time zone. */
export function guideDateTime(moment: string | null): string {
  return moment ? `${guideDate(moment)} ${localTime(moment)}` : "";
}

/** "NHS|CSTF|Fire Safety - 1 Year|" as people read it: the trailing separator adds nothing. */
export function competencyLabel(name: string): string {
  return name.replace(/\|+$/, "");
}

/** 90 -> "90.0%", as the compliance page shows it. */
export function percentage(value: number): string {
  return `${value.toFixed(1)}%`;
}

/** A competence record's source in words: "manual" and "transfer" are the database's. */
export function sourceLabel(source: string): string {
  return ({ certification: "Learning certification", manual: "Recorded from elsewhere", transfer: "Transferred from another organisation" } as Record<string, string>)[source] ?? source;
}

/**
 * PostgreSQL text cannot hold the NUL character (U+0000): any query carrying one fails whole
 * ("invalid byte sequence for encoding UTF8: 0x00"), so a NUL typed into any form was a 500 there,
 * and SQLite kept it. Nobody types one on purpose, so a request carrying one is refused at the
 * door, with words, before any rule or store sees it (found by test/reliability/fuzz-forms.test.ts).
 */
export function containsNul(value: unknown): boolean {
  // A walk with a stack of its own: a JSON body may nest deeper than the call stack.
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (item.includes("\u0000")) return true;
    } else if (item !== null && typeof item === "object") {
      for (const [key, inner] of Object.entries(item)) {
        if (key.includes("\u0000")) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/** Letters no decomposition takes apart, spelt as an English keyboard would. */
const PLAIN: Record<string, string> = { ø: "o", Ø: "O", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ß: "ss", đ: "d", Đ: "D", ł: "l", Ł: "L", þ: "th", Þ: "TH", ð: "d", Ð: "D", ı: "i" };

/** "Ørsted, Åsa" -> "Orsted, Asa": accents off, and the letters above spelt plainly. */
export function plainLetters(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[øØæÆœŒßđĐłŁþÞðÐı]/g, (letter) => PLAIN[letter]!);
}

/** A text as search compares it: plain letters, lower case, punctuation as spaces. */
export function searchKey(text: string): string {
  return plainLetters(text).toLowerCase().replace(/[^\p{L}\p{N}@.]+/gu, " ").trim();
}
