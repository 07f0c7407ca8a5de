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
export const PASSWORD_PROBLEMS = {
  common: `That password is too common: attackers try it first. ${TRY_ANOTHER}`,
  keyboard: `That password is mostly a keyboard pattern or a sequence, like qwerty, 1qaz2wsx, 147258 or aaaa: attackers try those first. ${TRY_ANOTHER}`,
  context: `That password is mostly words an attacker would guess here: NHS, ESR, the trust's name or your username. ${TRY_ANOTHER}`,
  username: "Your password must not contain your username",
} as const;

/**
 * Length, and not guessable (NIST SP 800-63B 3.1.1.2, NCSC): no rules about kinds of character,
 * but not a breached or common password (whole, or its word once the digits and symbols at its
 * ends are taken off: Summer2024! is summer), not one or two characters repeated, not the
 * username, and not little more than a keyboard walk or the words of this service and trust. A
 * passphrase may hold any of those as one part among others ("nhs garden lantern").
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  if (isCommon(lower) || isCommon(core) || new Set(lower).size <= 2) return PASSWORD_PROBLEMS.common;
  if (context.username && context.username.length >= 4 && lower.includes(context.username.toLowerCase())) return PASSWORD_PROBLEMS.username;
  const walks = keyboardWalks(lower);
  if (tooLittleLeft(lower, walks)) return PASSWORD_PROBLEMS.keyboard;
  if (tooLittleLeft(lower, [...walks, ...occurrences(lower, contextWords(context))])) return PASSWORD_PROBLEMS.context;
  return undefined;
}

/** Fewer letters and digits than this outside the guessable parts, and the password is those parts. */
const LEAST_LEFT = 6;

function tooLittleLeft(lower: string, guessable: Array<[number, number]>): boolean {
  const covered = new Array<boolean>(lower.length).fill(false);
  for (const [start, end] of guessable) covered.fill(true, start, end);
  let left = 0;
  for (let at = 0; at < lower.length; at++) if (!covered[at] && /[\p{L}\p{N}]/u.test(lower[at]!)) left++;
  return left < LEAST_LEFT;
}

// Rows, columns and the zigzag of a UK keyboard, the number pad's rows, columns and diagonals, and
// the alphabet and digits in order: each also walked backwards.
const KEYBOARD_LINES = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0"];
const NUMBER_PAD = ["789", "456", "123", "147", "258", "369", "159", "357", "0123456789"];
const IN_ORDER = ["abcdefghijklmnopqrstuvwxyz"];
const LINES = [...KEYBOARD_LINES, ...NUMBER_PAD, ...IN_ORDER];
const WALKS = [...LINES, ...LINES.map((line) => [...line].reverse().join(""))];
/**
 * A run this long along one line of keys is a walk. Three keys are enough (qwe asd zxc, 147 258):
 * a walk only refuses a password it covers nearly whole (LEAST_LEFT), and the three-key runs inside
 * ordinary words (the "ert" of "alert") leave a passphrase most of its letters.
 */
const WALK_MIN = 3;
/** A character three times or more in a row (aaaa, 0000) is as guessable as a walk. */
const REPEATS = /(.)\1{2,}/gu;

/** Where the password walks along the keyboard, or repeats a key: [start, end) of each longest run. */
function keyboardWalks(lower: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let start = 0; start < lower.length; start++) {
    let longest = 0;
    for (const line of WALKS) {
      for (let length = Math.min(line.length, lower.length - start); length >= WALK_MIN && length > longest; length--) {
        if (line.includes(lower.slice(start, start + length))) longest = length;
      }
    }
    if (longest) found.push([start, start + longest]);
  }
  for (const repeat of lower.matchAll(REPEATS)) found.push([repeat.index, repeat.index + repeat[0].length]);
  return found;
}

/** The service's words, the trust's (of three letters or more) and the username, whole and without the organisation's leading digits (297JSMITH01: jsmith01). */
function contextWords({ username, organisationNames = [] }: PasswordContext): string[] {
  const words = ["nhs", "esr", "trust", "hospital", "hospitals", "password", "learning", ...organisationNames.flatMap((name) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u))];
  if (username) words.push(username.toLowerCase(), username.toLowerCase().replace(/^\d+/, ""));
  return [...new Set(words.filter((word) => word.length >= 3))];
}

function occurrences(lower: string, words: string[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) found.push([at, at + word.length]);
  }
  return found;
}

function isCommon(lowerCase: string): boolean {
  return ourList().has(lowerCase) || breachedPasswords(PASSWORD_MIN_LENGTH).has(lowerCase);
}

/** Ours, beside the breached list: what people add to reach 12 characters, the NHS's own words. */
let ours: Set<string> | undefined;
function ourList(): Set<string> {
  ours ??= new Set(
    fs.readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8").split("\n").map((line) => line.trim().toLowerCase()).filter((line) => line && !line.startsWith("#")),
  );
  return ours;
}
