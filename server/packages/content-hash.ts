import crypto from "node:crypto";
import type { ZipScan } from "./zip-scan.ts";

/**
 * A package's content hash: SHA-256 over every file's path, size and CRC-32, sorted by path. Two
 * zips of the same files hash alike however they were zipped (order, compression, timestamps,
 * the archiver's junk, which the scan leaves out); a changed file changes its size or CRC.
 * Extraction holds every entry to its declared size and CRC, so these are the files imported,
 * and no byte is read twice to learn it. (A CRC-32 can collide, one change in four billion: the
 * hash only prompts the author, who may still import.)
 */
export function contentHash(scan: Pick<ZipScan, "entries">): string {
  const files = scan.entries.filter((entry) => !entry.isDirectory).map((entry) => `${entry.path}\0${entry.size}\0${entry.crc32 >>> 0}\n`);
  files.sort();
  const hash = crypto.createHash("sha256");
  for (const line of files) hash.update(line);
  return hash.digest("hex");
}
