import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ZipArchive } from "archiver";

/**
 * Builds a real zip with archiver, the way course authoring tools do, from an inline map of
 * entry name -> content: `buildZip({ "imsmanifest.xml": manifest, "index.html": "<p>Hi</p>" })`.
 * Returns the zip's path in a fresh temp folder (removed with the OS temp dir, or by the caller).
 */
export async function buildZip(
  entries: Record<string, string | Buffer>,
  options: { outFile?: string; forceZip64?: boolean } = {},
): Promise<string> {
  const target = options.outFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-zip-")), "package.zip");
  const archive = new ZipArchive({ zlib: { level: 9 }, forceZip64: options.forceZip64 ?? false });
  const written = pipeline(archive, fs.createWriteStream(target));
  for (const [name, content] of Object.entries(entries)) {
    archive.append(typeof content === "string" ? Buffer.from(content, "utf8") : content, { name, date: new Date("2026-01-01T00:00:00Z") });
  }
  await archive.finalize();
  await written;
  return target;
}

/** Writes bytes (e.g. from rawZip) to a fresh temp file and returns its path. */
export function writeTempFile(bytes: Buffer | string, name = "package.zip"): string {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lms-zip-")), name);
  fs.writeFileSync(target, bytes);
  return target;
}
