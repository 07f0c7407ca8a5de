import fs from "node:fs";
import { breachedPasswords } from "./breached-passwords.ts";
import { keyboardPatterns, LEAST_LEFT, tooLittleLeft } from "./keyboard-patterns.ts";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** What a password is checked against besides itself: whose it is, and where. */
export interface PasswordContext {
  username?: string;
  /** The trust's name (or names): its words are the first an attacker who knows the trust tries. */
  organisationNames?: string[];
  /** The account holder's names, from the people table: the first words an attacker who knows them tries (EmmaConroy1988). */
  personName?: { firstName: string; lastName: string };
}

const TRY_ANOTHER = "Choose another, such as three random words";
// Each says what is wrong and what to do, and none repeats the password: an error may be logged.
export const PASSWORD_PROBLEMS = {
  common: `That password is too common, even with symbols for letters (P@55w0rd), digits or a year added, or written twice: attackers try those first. ${TRY_ANOTHER}`,
  keyboard: `That password is mostly a keyboard pattern or a sequence, like qwerty, 1qaz2wsx, 12qwaszx, 147258, 1357 or aaaa: attackers try those first. ${TRY_ANOTHER}`,
  username: `That password contains your username, or the letters of it: attackers try that first. Choose another without it, such as three random words`,
  name: `That password is mostly your own name, or holds your first and last names together: attackers who know who you are try those first. Choose another without them, such as three random words`,
  service: `That password contains NHS or ESR, perhaps with symbols for letters: attackers try those first here. Choose another without them, such as three random words`,
  trust: `That password contains your trust's name or a word of it: attackers who know where you work try those first. Choose another without it, such as three random words`,
  context: `That password is mostly words an attacker would guess here, like trust, hospital, learning or password. ${TRY_ANOTHER}`,
} as const;

/**
 * Length, and not guessable (NIST SP 800-63B 3.1.1.2, NCSC): no rules about kinds of character,
 * but not a breached or common password, nor one dressed up (look-alike symbols and letters of other
 * alphabets undone, digits and symbols taken off its ends, the same text twice, letters spelt out
 * one by one), not one or two characters repeated, nothing of the username, NHS, ESR or the
 * trust's name anywhere in it, not the holder's name (ASVS V6.2.11's context words, after
 * look-alikes are undone), and not little more than keyboard walks, sequences or this place's words.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const folded = foldLetters(password);
  const spelled = spelledOut(folded);
  const lookedUp = new Set([lower, folded, spelled]);
  if (new Set(folded).size <= 2 || [...lookedUp].some((text) => [...lookupForms(text)].some(isCommon))) return PASSWORD_PROBLEMS.common;
  // Each family of spellings is as long as its base, so a word found in one is found in place.
  const families = [...new Set([folded, spelled])].map((base) => [base, ...plainSpellings(base)]);
  const spellings = families.flat();
  const words = contextWords(context);
  const contains = (wanted: string[], among = spellings) => wanted.some((word) => among.some((spelling) => spelling.includes(word)));
  if (contains(words.username)) return PASSWORD_PROBLEMS.username;
  const name = personWords(context.personName);
  const { text: joinedBase, wordStarts } = joined(withoutAccents(folded));
  const joinedSpellings = [joinedBase, ...plainSpellings(joinedBase)];
  // Both names spaced (Emma Conroy lantern) from the start of a word: "forward market" holds Ward Mark run together.
  const spacedName = joinedSpellings.flatMap((spelling) => occurrences(spelling, name.whole)).some(([start]) => wordStarts.has(start));
  if (contains(name.whole) || spacedName || mostlyName(joinedBase, joinedSpellings, name.parts)) return PASSWORD_PROBLEMS.name;
  if (contains(SERVICE_WORDS)) return PASSWORD_PROBLEMS.service;
  if (contains(words.trust)) return PASSWORD_PROBLEMS.trust;
  const patterns = keyboardPatterns(folded);
  if (tooLittleLeft(folded, patterns)) return PASSWORD_PROBLEMS.keyboard;
  const guessable = [...words.guessable, ...name.parts];
  // Only where a guessable word is found: a spelt-out family is shorter than the password, and is
  // not to be refused for the separators it has lost.
  const mostlyGuessable = (family: string[]) => {
    const found = family.flatMap((spelling) => occurrences(spelling, guessable));
    return found.length > 0 && tooLittleLeft(family[0]!, [...keyboardPatterns(family[0]!), ...found]);
  };
  if (families.some(mostlyGuessable)) return PASSWORD_PROBLEMS.context;
  return undefined;
}

// --- Other alphabets and spellings ---

/**
 * Letters of other alphabets drawn like Latin ones (Unicode's confusables), as they are once
 * lower-cased: pаssword with a Cyrillic а is password to a reader and to an attacker's list.
 * Cyrillic а е о р с у х і ј ѕ ԁ, Armenian ո, and Greek ο α ε ι κ ν ρ τ υ χ.
 */
const OTHER_ALPHABETS: Record<string, string> = {
  "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u0578": "n",
  "\u03bf": "o", "\u03b1": "a", "\u03b5": "e", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x",
};
const OTHER_ALPHABET_LETTERS = new RegExp(`[${Object.keys(OTHER_ALPHABETS).join("")}]`, "gu");

/** The password as the checks read it: NFKC (full-width Ｐ to P), lower case, other alphabets' look-alikes as Latin letters. */
function foldLetters(password: string): string {
  return password.normalize("NFKC").toLowerCase().replace(OTHER_ALPHABET_LETTERS, (letter) => OTHER_ALPHABETS[letter]!);
}

/** What separates words: anything but a letter, a digit, or a symbol that stands for a letter (@ $ !). */
const SEPARATOR = /[^\p{L}\p{N}@$!]+/gu;
/** The same, kept by split: the odd parts are separators. */
const SEPARATOR_KEPT = /([^\p{L}\p{N}@$!]+)/u;

/**
 * The text with a word spelt out a character at a time made whole again: three or more single
 * characters with the same separator between them, and that separator on either side of the run
 * (n.h.s.password1: nhspassword1; p a s s w o r d 2024: password2024). Other separators stay:
 * between longer words they would join a passphrase's words, and about 1 in 100 passphrases of
 * three random words hold "esr" across a join (canvases retching); between single characters
 * of different separators they are the random part of a random password (r:!\5_:>;C&4 would
 * otherwise be r!5c4, found on the list undressed).
 */
function spelledOut(text: string): string {
  const words = text.split(SEPARATOR);
  const between = text.match(SEPARATOR) ?? [];
  const keep = between.map(() => true);
  for (let start = 0; start < words.length; ) {
    let end = start;
    while (words[end]!.length === 1 && words[end + 1]?.length === 1 && between[end] === between[start]) end++;
    if (end - start + 1 >= SPELT_MIN) {
      for (let at = Math.max(0, start - 1); at <= Math.min(end, between.length - 1); at++) if (between[at] === between[start]) keep[at] = false;
    }
    start = end + 1;
  }
  return words.map((word, at) => (at > 0 && keep[at - 1] ? between[at - 1]! : "") + word).join("");
}
/** Fewer single characters in a row than this are an initial or two (j smith), not a word spelt out. */
const SPELT_MIN = 3;

/** Accents off (Zoë: zoe), as the holder's names are read. */
function withoutAccents(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "");
}

/**
 * The text with every separator taken out, and where each of its words starts in what is left:
 * the holder's name is theirs however it is spaced (Emma Conroy 1988).
 */
function joined(text: string): { text: string; wordStarts: Set<number> } {
  const wordStarts = new Set<number>([0]);
  let kept = "";
  text.split(SEPARATOR_KEPT).forEach((part, at) => {
    if (at % 2) wordStarts.add(kept.length);
    else kept += part;
  });
  return { text: kept, wordStarts };
}

// --- Dressed-up common passwords ---

/** Look-alikes people put for letters; "1" is tried as i and as l. */
const LOOK_ALIKES: Record<string, string> = { "@": "a", "4": "a", "3": "e", "0": "o", "5": "s", $: "s", "7": "t", "!": "i" };

/** The text with look-alikes put back as letters, character for character (so of the same length); none if it has none. */
function plainSpellings(text: string): string[] {
  if (!/[@43051$7!]/.test(text)) return [];
  const plain = text.replace(/[@4305$7!]/g, (symbol) => LOOK_ALIKES[symbol]!);
  return [...new Set([plain.replaceAll("1", "i"), plain.replaceAll("1", "l")])];
}

/** Shorter than this, what is left of a password is padding around a letter or two, not a password. */
const CORE_MIN = 4;
/** How many characters at one end are tried as padding: longer runs are taken off whole too. */
const PADDING_STEPS = 8;

/**
 * What a password is looked up as: itself, and with padding taken off its ends in every way
 * (P@55w0rd2024: p@55w0rd202, ..., p@55w0rd; a look-alike may stand at an end, as in $ummer, so
 * each is tried kept and taken off), each also with look-alikes undone, and each as the text it
 * repeats (trustno1trustno1: trustno1). The repeat is also undone first, and its padding taken off
 * after: Summer2024!Summer2024! repeats summer2024!, which is summer dressed up.
 */
function lookupForms(lower: string): Set<string> {
  const forms = new Set<string>();
  const unit = repeatedUnit(lower);
  for (const text of unit ? [lower, unit] : [lower]) addDressedDown(text, forms);
  return forms;
}

function addDressedDown(lower: string, forms: Set<string>): void {
  const lead = /^[^\p{L}]*/u.exec(lower)![0].length;
  const trail = lead === lower.length ? 0 : /[^\p{L}]*$/u.exec(lower)![0].length;
  const cuts = (run: number) => [...new Set([...Array.from({ length: Math.min(run, PADDING_STEPS) + 1 }, (_, n) => n), run])];
  for (const start of lead === lower.length ? [0] : cuts(lead)) {
    if (!isPadding(lower.slice(0, start))) continue;
    for (const end of cuts(trail)) {
      const core = lower.slice(start, lower.length - end);
      if (core.length < CORE_MIN || !isPadding(lower.slice(lower.length - end))) continue;
      for (const spelling of [core, ...plainSpellings(core)]) {
        forms.add(spelling);
        const unit = repeatedUnit(spelling);
        if (unit && unit.length >= CORE_MIN && !forms.has(unit)) {
          forms.add(unit);
          // Its own padding off too: !!Summer2024Summer2024 is summer2024 twice, which is summer dressed up.
          addDressedDown(unit, forms);
        }
      }
    }
  }
}

/**
 * What people add to reach a length: a few digits or symbols (1!, 2024), or a number and a run of
 * symbols in either order (1987!!!!, !!123456). Not a mixed run such as 95!_5+)1: that is the random
 * part of a random password, and taking it off would leave a few letters that any list holds.
 */
function isPadding(end: string): boolean {
  return end.length <= 4 || /^(?:\d*[^\p{L}\p{N}]*|[^\p{L}\p{N}]*\d*)$/u.test(end);
}

/** The shortest text that the whole is two or more copies of (abcabc: abc), if it is. */
function repeatedUnit(text: string): string | undefined {
  const period = (text + text).indexOf(text, 1);
  return period < text.length ? text.slice(0, period) : undefined;
}

function isCommon(lowerCase: string): boolean {
  return ourList().has(lowerCase) || breachedPasswords().has(lowerCase);
}

/** Ours, beside the breached list: what people add to reach 12 characters, the NHS's own words. */
let ours: Set<string> | undefined;
function ourList(): Set<string> {
  ours ??= new Set(
    fs.readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8").split("\n").map((line) => line.trim().toLowerCase()).filter((line) => line && !line.startsWith("#")),
  );
  return ours;
}

// --- Context words ---

/**
 * Refused anywhere in a password, as the issue asks: the service's own names. The cost, measured:
 * about 1 in 100 passphrases of three random words run together holds "esr" across a join
 * (canvasesretching); none written with spaces or hyphens does.
 */
const SERVICE_WORDS = ["nhs", "esr"];
/** Words most NHS bodies' names share: they name no one trust, so they only count towards "mostly". */
const SHARED_WORDS = new Set(
  ["nhs", "trust", "foundation", "university", "universities", "hospital", "hospitals", "teaching", "health", "healthcare", "care", "community", "partnership", "services", "mental", "general", "royal", "national", "integrated", "ambulance", "county", "district", "acute", "children", "specialist", "group", "and", "the", "for"],
);
/** This place's words, guessable beside the trust's and the username's. */
const PLACE_WORDS = ["trust", "hospital", "hospitals", "password", "learning"];
/**
 * A word of the trust's name is refused anywhere from five letters: shorter ones sit inside too many
 * ordinary words ("test" in contest, "demo" in democracy and in the demo trust's own core-skills-demo,
 * "bath" in bathroom), so those only count towards "mostly" with the shared words.
 */
const TRUST_WORD_MIN = 5;

function contextWords({ username, organisationNames = [] }: PasswordContext): { username: string[]; trust: string[]; guessable: string[] } {
  const nameWords = organisationNames.flatMap((name) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((word) => word.length >= 3);
  const wholeNames = organisationNames.map((name) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""));
  const trust = [...wholeNames, ...nameWords.filter((word) => !SHARED_WORDS.has(word))].filter((word) => word.length >= TRUST_WORD_MIN);
  // The username whole, without the organisation's number (297JSMITH01: jsmith01) and as its letters (jsmith).
  const name = username?.toLowerCase() ?? "";
  const usernameForms = [name, name.replace(/^\d+/, ""), name.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "")].filter((form) => form.length >= 4);
  return { username: [...new Set(usernameForms)], trust: [...new Set(trust)], guessable: [...new Set([...PLACE_WORDS, ...nameWords])] };
}

/**
 * The holder's names as they are looked for. Both together (either way round) are refused anywhere
 * when run together (emmaconroy), and from the start of a word when spaced (Emma Conroy lantern):
 * spaced, they meet by chance across ordinary words (forWARD MARKet). Each name of four letters or
 * more, or each word of it, is refused only as most of the password, not anywhere as the trust's
 * longer words are: names sit inside ordinary words (Emma in dilemma, Hall in shallow, Mark in
 * market, Rose in prose), and a passphrase that holds one is still mostly other words. What an
 * attacker who knows the holder tries is the name dressed up (Conroy2024!, EmmaEmma1988): little
 * but the name and padding.
 */
function personWords(person: PasswordContext["personName"]): { whole: string[]; parts: string[] } {
  if (!person) return { whole: [], parts: [] };
  const words = (name: string) => withoutAccents(foldLetters(name)).split(/[^\p{L}]+/u).filter(Boolean);
  const first = words(person.firstName);
  const last = words(person.lastName);
  const whole = first.length && last.length ? [first.join("") + last.join(""), last.join("") + first.join("")].filter((both) => both.length >= NAMES_MIN) : [];
  const parts = [first.join(""), last.join(""), ...first, ...last].filter((part) => part.length >= NAME_PART_MIN);
  return { whole: [...new Set(whole)], parts: [...new Set(parts)] };
}
/** Both names together, shorter than this (Li, Al: alli), sit inside ordinary words (tallies). */
const NAMES_MIN = 6;
/** A name shorter than this (Al, Jo, Li) is a syllable of many words, not a guess at a person. */
const NAME_PART_MIN = 4;

/**
 * Whether the password is its holder's names and little else: once they are taken out (from the
 * joined spelling, so that Emma 1988 emma! counts), fewer than four letters are left, or fewer than
 * LEAST_LEFT characters of any kind. Digits and symbols left are the padding people add to a name.
 */
function mostlyName(joinedBase: string, spellings: string[], parts: string[]): boolean {
  if (!parts.length) return false;
  const found = spellings.flatMap((spelling) => occurrences(spelling, parts));
  if (!found.length) return false;
  const covered = new Array<boolean>(joinedBase.length).fill(false);
  for (const [start, end] of found) covered.fill(true, start, end);
  const left = [...joinedBase].filter((_, at) => !covered[at]);
  return left.filter((character) => /\p{L}/u.test(character)).length < CORE_MIN || left.length < LEAST_LEFT;
}

function occurrences(lower: string, words: string[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) found.push([at, at + word.length]);
  }
  return found;
}
