import fs from "node:fs/promises";
import unzipper from "unzipper";
import { AppError } from "../errors.ts";

/**
 * Pre-scan of a package zip's central directory (DESIGN.md, "Content isolation"): every entry is
 * judged on what the archive *declares* before one byte is extracted. Extraction then enforces
 * that the declarations were true (see extract.ts).
 */
export interface ZipLimits {
  maxEntries: number;
  /** Sum of declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Declared uncompressed : compressed, per entry. */
  maxRatio: number;
  /** Entries smaller than this skip the ratio test: a tiny, very compressible file is no bomb. */
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
  /** Where the entry's local header starts (zip64 resolved); extract.ts reads the data from there. */
  localHeaderOffset: number;
}

export interface ZipScan {
  /** The zip the entries are in. */
  zipPath: string;
  entries: ScannedEntry[];
  declaredBytes: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
// APPNOTE 4.4.4: bit 0 = encrypted, bit 6 = strong encryption; method 99 = WinZip AES.
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_AES = 99;
const SUPPORTED_METHODS = new Set([0, 8]); // stored, deflated: all unzipper can inflate

export async function scanZip(zipPath: string, limits: Partial<ZipLimits> = {}): Promise<ZipScan> {
  const limit = { ...defaultZipLimits, ...limits };
  const end = await readEndOfCentralDirectory(zipPath).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw new AppError("package.unreadable", `The package file cannot be read: ${(error as Error).message}`);
  });
  // Counted before unzipper walks the directory, so a forged count cannot make it allocate.
  if (end.entryCount > limit.maxEntries) {
    throw new AppError("package.too_many_entries", `The package has ${end.entryCount} entries; at most ${limit.maxEntries} are allowed`);
  }

  let files: unzipper.File[];
  try {
    // tailSize starts unzipper's search at the record found above, not at a look-alike in a comment.
    const open = unzipper.Open.file as (file: string, options: { tailSize: number }) => Promise<unzipper.CentralDirectory>;
    files = (await open(zipPath, { tailSize: end.tailSize })).files;
  } catch (error) {
    throw new AppError("package.corrupt", `The package's central directory cannot be read: ${(error as Error).message}`);
  }

  const seen = new Map<string, { name: string; isDirectory: boolean }>();
  const entries: ScannedEntry[] = [];
  let declaredBytes = 0;
  for (const file of files) {
    const entry = judgeEntry(file, limit);
    claimPath(seen, entry.path, file.path, entry.isDirectory);
    declaredBytes += entry.size;
    if (declaredBytes > limit.maxTotalBytes) {
      throw new AppError("package.too_large", `The package unpacks to more than ${limit.maxTotalBytes} bytes (reached at ${quote(file.path)})`);
    }
    entries.push(entry);
  }
  return { zipPath, entries, declaredBytes };
}

function judgeEntry(file: unzipper.File, limit: ZipLimits): ScannedEntry {
  const name = file.path;
  const isDirectory = name.endsWith("/");
  const path = safeRelativePath(name);
  const mode = (file.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) throw new AppError("package.symlink", `The package entry ${quote(name)} is a symbolic link`);
  if (file.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) || file.compressionMethod === METHOD_AES) {
    throw new AppError("package.encrypted", `The package entry ${quote(name)} is encrypted`);
  }
  if (!SUPPORTED_METHODS.has(file.compressionMethod)) {
    throw new AppError("package.unsupported_compression", `The package entry ${quote(name)} uses compression method ${file.compressionMethod}; re-zip it with ordinary (deflate) compression`);
  }
  const size = Number(file.uncompressedSize);
  const compressedSize = Number(file.compressedSize);
  const localHeaderOffset = Number(file.offsetToLocalFileHeader);
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(compressedSize) || !Number.isSafeInteger(localHeaderOffset)) {
    throw new AppError("package.corrupt", `The package entry ${quote(name)} has unreadable sizes`);
  }
  if (isDirectory && size > 0) throw new AppError("package.corrupt", `The folder entry ${quote(name)} has content`);
  if (size >= limit.ratioMinBytes && size > limit.maxRatio * compressedSize) {
    throw new AppError(
      "package.compression_ratio",
      `The package entry ${quote(name)} expands ${compressedSize} bytes to ${size} (more than ${limit.maxRatio}:1)`,
    );
  }
  return { path, isDirectory, size, compressedSize, crc32: file.crc32 >>> 0, method: file.compressionMethod, localHeaderOffset };
}

/** Refuses names that could land outside the extraction folder on any OS. */
function safeRelativePath(name: string): string {
  const unsafe = (why: string) => new AppError("package.unsafe_path", `The package entry ${quote(name)} ${why}`);
  if (name.includes("\\")) throw unsafe("contains a backslash");
  if (name.startsWith("/")) throw unsafe("is an absolute path");
  if (/^[A-Za-z]:/.test(name)) throw unsafe("starts with a drive letter");
  if (/[\u0000-\u001f\u007f]/.test(name)) throw unsafe("contains control characters");
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw unsafe("climbs out of the package with '..'");
  if (segments.length === 0) throw unsafe("has no name");
  return segments.join("/");
}

/**
 * Two entries may not claim one path, nor paths that differ only in case or Unicode form (they
 * collide on Windows and macOS file systems, and on any copy made there), nor may a file stand
 * where another entry needs a folder.
 */
function claimPath(seen: Map<string, { name: string; isDirectory: boolean }>, path: string, name: string, isDirectory: boolean) {
  const duplicate = (other: string) =>
    new AppError("package.duplicate_entry", `The package entries ${quote(other)} and ${quote(name)} name the same file`);
  const segments = path.split("/");
  for (let depth = 1; depth <= segments.length; depth++) {
    const key = segments.slice(0, depth).join("/").normalize("NFC").toLowerCase();
    const claimsFolder = depth < segments.length || isDirectory;
    const previous = seen.get(key);
    if (previous && !(previous.isDirectory && claimsFolder)) throw duplicate(previous.name);
    if (!previous) seen.set(key, { name, isDirectory: claimsFolder });
  }
}

/**
 * Finds the end-of-central-directory record ourselves: to tell "not a zip at all" from a damaged
 * zip, and to read the declared entry count (zip64 included) before anything is parsed.
 */
async function readEndOfCentralDirectory(zipPath: string): Promise<{ entryCount: number; tailSize: number }> {
  const notZip = () => new AppError("package.not_a_zip", "The file is not a zip archive");
  const handle = await fs.open(zipPath, "r");
  try {
    const { size } = await handle.stat();
    if (size < EOCD_SIZE) throw notZip();
    const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let at = -1;
    for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tailLength) {
        at = i;
        break;
      }
    }
    if (at < 0) throw notZip();
    const tailSize = tailLength - at;
    const entryCount = tail.readUInt16LE(at + 10);
    if (entryCount !== 0xffff) return { entryCount, tailSize };

    // Zip64: the real count lives in the zip64 end record, found through its locator.
    const eocdOffset = size - tailSize;
    const locator = Buffer.alloc(20);
    await handle.read(locator, 0, 20, Math.max(0, eocdOffset - 20));
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) return { entryCount, tailSize };
    const record = Buffer.alloc(56);
    await handle.read(record, 0, 56, Number(locator.readBigUInt64LE(8)));
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) {
      throw new AppError("package.corrupt", "The package's zip64 directory record is missing");
    }
    const count = record.readBigUInt64LE(32);
    return { entryCount: count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count), tailSize };
  } finally {
    await handle.close();
  }
}

/** Entry names are attacker-chosen: quoted and escaped so a message cannot be forged with them. */
export function quote(name: string): string {
  return JSON.stringify(name);
}
