import { AppError } from "../errors.ts";
import { quoteName as quote } from "./package-error.ts";

// Common file system limits (ext4, NTFS, APFS: 255 bytes a name); a whole path past 1,024 bytes
// is no real course's and would near PATH_MAX once under the server's own folders.
export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 1024;

/**
 * Refuses names that could land outside the extraction folder on any OS, or that the file system
 * would refuse with an error naming the server's folders. Returns the normalised relative path:
 * forward slashes, no `.` or empty segments, no trailing slash.
 */
export function safeRelativePath(name: string): string {
  const unsafe = (why: string) => new AppError("package.unsafe_path", `The package entry ${quote(name)} ${why}`);
  if (name.includes("\\")) throw unsafe("contains a backslash");
  if (name.startsWith("/")) throw unsafe("is an absolute path");
  if (/^[A-Za-z]:/.test(name)) throw unsafe("starts with a drive letter");
  if (/[\u0000-\u001f\u007f]/.test(name)) throw unsafe("contains control characters");
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw unsafe("climbs out of the package with '..'");
  if (segments.length === 0) throw unsafe("has no name");
  const tooLong = (why: string) => new AppError("package.name_too_long", `The package entry ${quote(name)} ${why}`);
  if (segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) {
    throw tooLong(`has a file or folder name longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  const path = segments.join("/");
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw tooLong(`has a path longer than ${MAX_PATH_BYTES} bytes`);
  return path;
}

/**
 * Files archivers add on their own (macOS resource forks and Finder settings, Windows thumbnail
 * caches): never part of a course, so never written, counted or exported.
 */
export function isArchiverJunk(path: string): boolean {
  const segments = path.split("/");
  const last = segments[segments.length - 1]!;
  return segments[0] === "__MACOSX" || last === ".DS_Store" || last.toLowerCase() === "thumbs.db";
}

/**
 * Two entries may not claim one path, nor paths that differ only in case or Unicode form (they
 * collide on Windows and macOS file systems, and on any copy made there), nor may a file stand
 * where another entry needs a folder.
 */
export function claimPath(seen: Map<string, { name: string; isDirectory: boolean }>, path: string, name: string, isDirectory: boolean): void {
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
