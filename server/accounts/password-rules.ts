import fs from "node:fs";
import { breachedPasswords } from "./breached-passwords.ts";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** What a password is checked against besides itself: whose it is, and where. */
export interface PasswordContext {
  username?: string;
  /** The trust's name (or names): its words are the first an attacker who knows the trust tries. */
  organisationNames?: string[];
}

const TRY_ANOTHER = "Choose another, such as three random words";
// Each says what is wrong and what to do, and none repeats the password: an error may be logged.
export const PASSWORD_PROBLEMS = {
  common: `That password is too common, even with symbols for letters (P@55w0rd), digits or a year added, or written twice: attackers try those first. ${TRY_ANOTHER}`,
  keyboard: `That password is mostly a keyboard pattern or a sequence, like qwerty, 1qaz2wsx, 12qwaszx, 147258 or aaaa: attackers try those first. ${TRY_ANOTHER}`,
  username: `That password contains your username, or the letters of it: attackers try that first. Choose another without it, such as three random words`,
  service: `That password contains NHS or ESR, perhaps with symbols for letters: attackers try those first here. Choose another without them, such as three random words`,
  trust: `That password contains your trust's name or a word of it: attackers who know where you work try those first. Choose another without it, such as three random words`,
  context: `That password is mostly words an attacker would guess here, like trust, hospital, learning or password. ${TRY_ANOTHER}`,
} as const;

/**
 * Length, and not guessable (NIST SP 800-63B 3.1.1.2, NCSC): no rules about kinds of character,
 * but not a breached or common password, nor one dressed up (look-alike symbols undone, digits and
 * symbols taken off its ends, the same text twice), not one or two characters repeated, nothing
 * of the username, NHS, ESR or the trust's name anywhere in it (ASVS V6.1.2's context words, after
 * look-alikes are undone), and not little more than keyboard walks or this place's words.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2 || [...lookupForms(lower)].some(isCommon)) return PASSWORD_PROBLEMS.common;
  // The plain spellings are as long as the password, so a word found in one is found in place.
  const spellings = [lower, ...plainSpellings(lower)];
  const words = contextWords(context);
  const contains = (wanted: string[]) => wanted.some((word) => spellings.some((spelling) => spelling.includes(word)));
  if (contains(words.username)) return PASSWORD_PROBLEMS.username;
  if (contains(SERVICE_WORDS)) return PASSWORD_PROBLEMS.service;
  if (contains(words.trust)) return PASSWORD_PROBLEMS.trust;
  const patterns = keyboardPatterns(lower);
  if (tooLittleLeft(lower, patterns)) return PASSWORD_PROBLEMS.keyboard;
  if (tooLittleLeft(lower, [...patterns, ...spellings.flatMap((spelling) => occurrences(spelling, words.guessable))])) return PASSWORD_PROBLEMS.context;
  return undefined;
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
 * repeats (trustno1trustno1: trustno1).
 */
function lookupForms(lower: string): Set<string> {
  const forms = new Set<string>();
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
        if (unit && unit.length >= CORE_MIN) forms.add(unit);
      }
    }
  }
  return forms;
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

function occurrences(lower: string, words: string[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) found.push([at, at + word.length]);
  }
  return found;
}

// --- Keyboard walks ---

/**
 * Fewer characters (spaces aside) than this outside the guessable parts, and the password is those
 * parts. Six: a 12-character password must then be more than half walks to be refused
 * (12qwaszx34er, qwertyuiop!!), and a longer one nearly all walks, so that a walk may be one part
 * of a passphrase ("asdf lemon tree"). Every walk counts, not only the longest one or two: qaz wsx
 * edc rfv is four short ones. Measured with the words of a British English dictionary, refused as
 * keyboard patterns: 1 in 20,000 random three-word passphrases (seesaws awash needs), 1 in 1,000
 * of two words and two digits (dressesfirst64), 1 in 300 single words of 12 letters or more
 * (hairdressers), and 1 in 1,000 random strings of 12 printable characters.
 */
const LEAST_LEFT = 6;
/**
 * A run of keys this long, each next to the one before, is a walk. Three is enough (qaz, 147): a
 * walk refuses only a password that it nearly covers, and the three-key runs inside ordinary words
 * (the "ert" of "alert") leave a passphrase most of its letters.
 */
const WALK_MIN = 3;

/**
 * A UK keyboard's rows with each key's shifted characters (the US ones too: !@#$), and where each
 * row starts under the one above, in key widths: keys touch along a row, and across rows when they
 * are less than a key apart, so q touches 1, 2, w, a and s.
 */
const MAIN_ROWS: Array<[offset: number, faces: string[]]> = [
  [0, ["`1234567890-=", "¬!\"£$%^&*()_+", "~!@#$%^&*()_+"]],
  [1.5, ["qwertyuiop[]\\", "qwertyuiop{}|"]],
  [1.75, ["asdfghjkl;'#", "asdfghjkl:@~", "asdfghjkl:\""]],
  [1.25, ["\\zxcvbnm,./", "|zxcvbnm<>?"]],
];
/** The number pad, a grid whose keys touch their eight neighbours (0 is two keys wide). */
const NUMBER_PAD = [" /*-", "789+", "456+", "123", "00."];

// A walk keeps to one board: o9- touches on neither alone.
const MAIN_ADJACENT = adjacentPairs(MAIN_ROWS.map(([offset, faces]) => faces.map((face) => [...face].map((character, at) => [character, offset + at] as const))), (across, down) => (down === 0 && across === 1) || (down === 1 && across < 1));
const PAD_ADJACENT = adjacentPairs([NUMBER_PAD.map((line) => [...line].map((character, at) => [character, at] as const).filter(([character]) => character !== " "))], (across, down) => across <= 1 && down <= 1);

/** Every ordered pair of different characters on touching keys ("qw", "wq", ...): rows of faces of (character, across). */
function adjacentPairs(rows: Array<Array<Array<readonly [string, number]>>>, touching: (across: number, down: number) => boolean): Set<string> {
  const keys = rows.flatMap((faces, row) => faces.flat().map(([character, x]) => ({ character, row, x })));
  const pairs = new Set<string>();
  for (const a of keys) {
    for (const b of keys) if (a.character !== b.character && touching(Math.abs(a.x - b.x), Math.abs(a.row - b.row))) pairs.add(a.character + b.character);
  }
  return pairs;
}

/** Where the password walks the keyboard, runs along the alphabet (abcd, zyx) or repeats a character (aaa): [start, end) of each. */
function keyboardPatterns(lower: string): Array<[number, number]> {
  const found = [...runs(lower, (a, b) => MAIN_ADJACENT.has(a + b)), ...runs(lower, (a, b) => PAD_ADJACENT.has(a + b)), ...alphabetRuns(lower)];
  for (const repeat of lower.matchAll(/(.)\1{2,}/gu)) found.push([repeat.index, repeat.index + repeat[0].length]);
  return found;
}

/** The longest runs of WALK_MIN characters or more whose every neighbouring pair passes. */
function runs(text: string, next: (a: string, b: string) => boolean): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  let start = 0;
  for (let at = 1; at <= text.length; at++) {
    if (at < text.length && next(text[at - 1]!, text[at]!)) continue;
    if (at - start >= WALK_MIN) found.push([start, at]);
    start = at;
  }
  return found;
}

function alphabetRuns(lower: string): Array<[number, number]> {
  const step = (a: string, b: string, by: number) => /[a-z]/.test(a) && /[a-z]/.test(b) && b.charCodeAt(0) - a.charCodeAt(0) === by;
  return [...runs(lower, (a, b) => step(a, b, 1)), ...runs(lower, (a, b) => step(a, b, -1))];
}

/** Whether fewer than LEAST_LEFT characters other than spaces stand outside the guessable parts. */
function tooLittleLeft(lower: string, guessable: Array<[number, number]>): boolean {
  const covered = new Array<boolean>(lower.length).fill(false);
  for (const [start, end] of guessable) covered.fill(true, start, end);
  let left = 0;
  for (let at = 0; at < lower.length; at++) if (!covered[at] && !/\s/u.test(lower[at]!)) left++;
  return left < LEAST_LEFT;
}
