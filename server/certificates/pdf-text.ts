import { plainLetters } from "../format.ts";

/**
 * Text for the PDF's built-in Helvetica, which can show only WinAnsi (Windows-1252): Latin-1
 * (é, Ñ, Ø, ß...) and a few more (Š, Œ, €, dashes and curly quotes). pdfkit writes anything else
 * as a wrong glyph, so each other character is spelt the nearest way Helvetica can: accents off
 * the letters of other Latin alphabets (Ł -> L, ő -> o, ț -> t), Greek and Cyrillic letters
 * transliterated (Ψ -> Ps, Ж -> Zh), and "?" for what has no Latin spelling (Chinese, Arabic...).
 * `changed` says the certificate then points to its verification page, which shows the name as
 * recorded.
 */
export function pdfText(text: string): { text: string; changed: boolean } {
  let changed = false;
  let out = "";
  for (const char of text.normalize("NFC")) {
    if (isWinAnsi(char)) {
      out += char;
      continue;
    }
    changed = true;
    out += spelt(char);
  }
  return { text: out, changed };
}

/** The characters outside Latin-1 that WinAnsi has, by code point (pdfkit's own table). */
const WIN_ANSI_EXTRA = new Set([0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122]);

export function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  // 0x80-0x9F are control characters in Unicode, though WinAnsi puts glyphs at those bytes.
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code);
}

function spelt(char: string): string {
  if (/\s/u.test(char)) return " ";
  const plain = plainLetters(char);
  if (plain !== char && [...plain].every(isWinAnsi)) return plain;
  const lower = char.toLowerCase();
  const base = plainLetters(lower);
  const latin = TRANSLITERATION[base] ?? TRANSLITERATION[lower];
  if (latin === undefined) return "?";
  return char === lower || latin === "" ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
}

// Greek (ELOT 743, simplified) and Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian,
// Macedonian letters; BGN/PCGN-like, simplified): enough to read a name aloud.
const TRANSLITERATION: Record<string, string> = {
  α: "a", β: "v", γ: "g", δ: "d", ε: "e", ζ: "z", η: "i", θ: "th", ι: "i", κ: "k", λ: "l", μ: "m", ν: "n", ξ: "x", ο: "o", π: "p", ρ: "r", σ: "s", ς: "s", τ: "t", υ: "y", φ: "f", χ: "ch", ψ: "ps", ω: "o",
  а: "a", б: "b", в: "v", г: "g", ґ: "g", д: "d", ђ: "dj", ѓ: "gj", е: "e", ё: "e", є: "ye", ж: "zh", з: "z", ѕ: "dz", и: "i", і: "i", ї: "yi", й: "y", ј: "j", к: "k", л: "l", љ: "lj", м: "m", н: "n", њ: "nj", о: "o", п: "p", р: "r", с: "s", т: "t", ћ: "c", ќ: "kj", у: "u", ў: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", џ: "dz", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
};
