import fs, { type FileHandle } from "node:fs/promises";
import { AppError } from "../errors.ts";
import { YIELD_EVERY, yieldToEventLoop } from "../yield.ts";
import { readCentralDirectory, readDataOffset, readZipEnd, type CentralDirectory, type CentralRecord } from "./central-directory.ts";
import { claimPath, isArchiverJunk, safeRelativePath } from "./entry-names.ts";
import { capFindings, quoteName, throwIfAny } from "./package-error.ts";
import type { Finding } from "./validation-report.ts";

export { quoteName as quote } from "./package-error.ts";

/**
 * Pre-scan of a package zip's central directory (DESIGN.md, "Content isolation"): every entry is
 * judged on what the archive *declares* before one byte is extracted, and every problem found is
 * reported together. Extraction then enforces that the declarations were true (see extract.ts).
 */
export interface ZipLimits {
  maxEntries: number;
  /** Sum of declared uncompressed sizes. */
  maxTotalBytes: number;
  /**
   * Declared uncompressed : compressed, for each entry of at least ratioMinBytes, and declared
   * total : zip file size for the whole archive once the total reaches ratioMinBytes (so a
   * thousand entries just under the per-entry threshold still count).
   */
  maxRatio: number;
  /** Below this, an entry (or a whole archive) skips the ratio test: a small, very compressible file is no bomb. */
  ratioMinBytes: number;
}

export const defaultZipLimits: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 1024 ** 3,
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
};

export interface ScannedEntry {
  /** Normalised relative path: forward slashes, no `.` or empty segments, no trailing slash. */
  path: string;
  isDirectory: boolean;
  size: number;
  compressedSize: number;
  crc32: number;
  /** 0 stored, 8 deflated (the only methods judgeEntry lets through). */
  method: number;
  /** Where the entry's local header starts (zip64 resolved). */
  localHeaderOffset: number;
  /** Where its data starts, after the local header; the data lies in no other entry's range. */
  dataOffset: number;
}

export interface ZipScan {
  /** The zip the entries are in. */
  zipPath: string;
  zipSize: number;
  /** The entries to extract: archiver junk (see `skipped`) left out. */
  entries: ScannedEntry[];
  declaredBytes: number;
  /** Files archivers add on their own (`__MACOSX/`, `.DS_Store`, `Thumbs.db`), never extracted. */
  skipped: string[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
// APPNOTE 4.4.4: bit 0 = encrypted, bit 6 = strong encryption; method 99 = WinZip AES.
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_AES = 99;
const SUPPORTED_METHODS = new Set([0, 8]); // stored, deflated
const HEADER_READS = 8;

export async function scanZip(zipPath: string, limits: Partial<ZipLimits> = {}): Promise<ZipScan> {
  const limit = { ...defaultZipLimits, ...limits };
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(zipPath, "r");
    const end = await readZipEnd(handle);
    // Counted before the directory is walked, so a forged count cannot make it allocate.
    if (end.entryCount > limit.maxEntries) {
      throw new AppError("package.too_many_entries", `The package has ${end.entryCount} entries; at most ${limit.maxEntries} are allowed`);
    }
    const directory = await readCentralDirectory(handle, end);
    const { offsets, problems: rangeProblems } = await checkDataRanges(handle, directory);
    const problems: Finding[] = [];
    const seen = new Map<string, { name: string; isDirectory: boolean }>();
    const entries: ScannedEntry[] = [];
    const skipped: string[] = [];
    let declaredBytes = 0;
    let tooLarge = false;
    for (const [index, record] of directory.records.entries()) {
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      try {
        const entry = judgeEntry(record, offsets[index] ?? record.localHeaderOffset, limit);
        if (isArchiverJunk(entry.path)) {
          if (!entry.isDirectory) skipped.push(entry.path);
          continue;
        }
        claimPath(seen, entry.path, record.name, entry.isDirectory);
        declaredBytes += entry.size;
        if (declaredBytes > limit.maxTotalBytes && !tooLarge) {
          tooLarge = true;
          problems.push({ code: "package.too_large", message: `The package unpacks to more than ${limit.maxTotalBytes} bytes (reached at ${quoteName(record.name)})`, file: record.name });
        }
        entries.push(entry);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push({ code: error.code, message: error.message, file: record.name });
      }
    }
    // Entries that share data make the declared total a fiction: the overlap is the diagnosis.
    const explained = [...problems, ...rangeProblems].some((problem) => problem.code === "package.compression_ratio" || problem.code === "package.overlapping_entries");
    if (!explained && declaredBytes >= limit.ratioMinBytes && declaredBytes > limit.maxRatio * end.zipSize) {
      problems.push({
        code: "package.compression_ratio",
        message: `The package as a whole expands its ${end.zipSize} bytes to ${declaredBytes} (more than ${limit.maxRatio}:1)`,
      });
    }
    throwIfAny(capFindings([...rangeProblems, ...problems]));
    return { zipPath, zipSize: end.zipSize, entries, declaredBytes, skipped };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("package.unreadable", `The package file cannot be read: ${(error as Error).message}`);
  } finally {
    await handle?.close();
  }
}

function judgeEntry(record: CentralRecord, dataOffset: number, limit: ZipLimits): ScannedEntry {
  const name = record.name;
  const isDirectory = name.endsWith("/");
  const path = safeRelativePath(name);
  const mode = (record.externalAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) throw new AppError("package.symlink", `The package entry ${quoteName(name)} is a symbolic link`);
  if (record.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) || record.method === METHOD_AES) {
    throw new AppError("package.encrypted", `The package entry ${quoteName(name)} is encrypted`);
  }
  if (!SUPPORTED_METHODS.has(record.method)) {
    throw new AppError("package.unsupported_compression", `The package entry ${quoteName(name)} uses compression method ${record.method}; re-zip it with ordinary (deflate) compression`);
  }
  const { size, compressedSize } = record;
  if (isDirectory && size > 0) throw new AppError("package.corrupt", `The folder entry ${quoteName(name)} has content`);
  if (size >= limit.ratioMinBytes && size > limit.maxRatio * compressedSize) {
    throw new AppError(
      "package.compression_ratio",
      `The package entry ${quoteName(name)} expands ${compressedSize} bytes to ${size} (more than ${limit.maxRatio}:1)`,
    );
  }
  return { path, isDirectory, size, compressedSize, crc32: record.crc32 >>> 0, method: record.method, localHeaderOffset: record.localHeaderOffset, dataOffset };
}

/**
 * Each entry's bytes, [local header, end of data), must be its own and lie before the central
 * directory. Directory records that share or overlap data are the classic overlapping-file zip
 * bomb: a few kilobytes of zip that unpack one block of zeros a thousand times.
 */
async function checkDataRanges(handle: FileHandle, directory: CentralDirectory): Promise<{ offsets: Array<number | null>; problems: Finding[] }> {
  const { records } = directory;
  const offsets: Array<number | null> = new Array(records.length).fill(null);
  let next = 0;
  const reader = async () => {
    while (next < records.length) {
      const index = next++;
      offsets[index] = await readDataOffset(handle, records[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HEADER_READS, records.length) }, reader));

  const problems: Finding[] = [];
  const order = records.map((_, index) => index).sort((a, b) => records[a]!.localHeaderOffset - records[b]!.localHeaderOffset);
  let previous: { name: string; end: number } | null = null;
  let overlaps = 0;
  let firstOverlap = "";
  for (const index of order) {
    const record = records[index]!;
    const start = offsets[index];
    if (start == null) {
      problems.push({ code: "package.corrupt", message: `The package entry ${quoteName(record.name)} has no local header where the central directory says it starts`, file: record.name });
      continue;
    }
    const end = start + record.compressedSize;
    if (previous && record.localHeaderOffset < previous.end) {
      if (overlaps++ === 0) firstOverlap = `${quoteName(previous.name)} and ${quoteName(record.name)}`;
    }
    if (end > directory.directoryOffset) {
      problems.push({ code: "package.overlapping_entries", message: `The package entry ${quoteName(record.name)} runs into the zip's central directory`, file: record.name });
    }
    if (!previous || end > previous.end) previous = { name: record.name, end };
  }
  if (overlaps > 0) {
    problems.unshift({
      code: "package.overlapping_entries",
      message: `The package entries ${firstOverlap}${overlaps > 1 ? ` (and ${overlaps - 1} more)` : ""} share or overlap their data in the zip, a zip bomb trick`,
    });
  }
  return { offsets, problems };
}
