/** Keyboard walks, sequences and repeats in a password, and how much of it they leave (password-rules.ts). */

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
export const LEAST_LEFT = 6;
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
export function keyboardPatterns(lower: string): Array<[number, number]> {
  const found = [...runs(lower, (a, b) => MAIN_ADJACENT.has(a + b)), ...runs(lower, (a, b) => PAD_ADJACENT.has(a + b)), ...alphabetRuns(lower), ...digitSequences(lower)];
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

/**
 * Runs of WALK_MIN digits or more that go up or down by one step (1357, 9753, 2468, 0369, 048).
 * A run's last digit may start the next, and the runs of a repeat each count (135791357913 is
 * 13579, 13579 and 13, too little left).
 */
function digitSequences(lower: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const digit = (at: number) => (/\d/.test(lower[at] ?? "") ? Number(lower[at]) : undefined);
  let start = 0;
  while (start < lower.length - 1) {
    const a = digit(start);
    const b = digit(start + 1);
    if (a === undefined || b === undefined || a === b) {
      start++;
      continue;
    }
    let end = start + 2;
    while (digit(end) !== undefined && digit(end)! - digit(end - 1)! === b - a) end++;
    if (end - start >= WALK_MIN) found.push([start, end]);
    start = end - 1;
  }
  return found;
}

/** Whether fewer than LEAST_LEFT characters other than spaces stand outside the guessable parts. */
export function tooLittleLeft(lower: string, guessable: Array<[number, number]>): boolean {
  const covered = new Array<boolean>(lower.length).fill(false);
  for (const [start, end] of guessable) covered.fill(true, start, end);
  let left = 0;
  for (let at = 0; at < lower.length; at++) if (!covered[at] && !/\s/u.test(lower[at]!)) left++;
  return left < LEAST_LEFT;
}
