import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipArchive } from "archiver";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import type { PackageStorage } from "./storage.ts";
import { createCourseStore } from "./store.ts";
import { quote } from "./zip-scan.ts";

export interface ExportDeps {
  db: Db;
  storage: PackageStorage;
}

export interface ExportOptions {
  /** The course version to export; defaults to the newest. */
  version?: number;
}

export interface ExportedPackage {
  course: string;
  version: number;
  files: number;
  /** Size of the zip written. */
  bytes: number;
}

export interface PackageExportStream {
  course: string;
  version: number;
  files: number;
  /** A download name, e.g. `297 NHS Fire Safety - 1 Year v2.zip` (give it to res.attachment()). */
  filename: string;
  /**
   * The zip, produced as it is read. It errors (and must then be destroyed by its consumer, as
   * `stream.pipeline` does) if a stored file cannot be read part-way through.
   */
  stream: Readable;
}

const MANIFEST = "imsmanifest.xml";
// Already compressed: deflating them again costs CPU and saves nothing.
const STORED_EXTENSIONS = new Set([
  ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4", ".m4v", ".webm", ".mp3", ".m4a", ".ogg", ".oga", ".ogv",
  ".zip", ".gz", ".woff", ".woff2",
]);

/**
 * Writes one stored course version back out as a SCORM package zip: the files published at
 * import, at the same paths, imsmanifest.xml at the root. The zip is written to a temporary file
 * beside `outFile`, flushed to disk and renamed over it, so a failed export leaves no zip (and
 * never a half-written one) at `outFile`.
 */
export async function exportPackage(deps: ExportDeps, code: string, outFile: string, options: ExportOptions = {}): Promise<ExportedPackage> {
  const target = path.resolve(outFile);
  const exported = await exportPackageStream(deps, code, options);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(6).toString("hex")}.partial`);
  try {
    // "wx": the partial name is ours alone; never write through something already there.
    await pipeline(exported.stream, fs.createWriteStream(partial, { flags: "wx" }));
    const handle = await fsp.open(partial, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const { size } = await fsp.stat(partial);
    await fsp.rename(partial, target);
    return { course: exported.course, version: exported.version, files: exported.files, bytes: size };
  } catch (error) {
    exported.stream.destroy();
    await fsp.rm(partial, { force: true });
    throw error;
  }
}

/**
 * The same zip as a stream, for an HTTP download. Everything that can be known before the first
 * byte (the course, the version, the stored file list) is checked before this resolves, so an
 * unknown course or version is an ordinary error response rather than a broken download.
 */
export async function exportPackageStream(deps: ExportDeps, code: string, options: ExportOptions = {}): Promise<PackageExportStream> {
  const { db, storage } = deps;
  const version = await findVersion(db, code, options.version);
  const folder = packageFolder(storage, version.storageKey);
  const files = await listStoredFiles(folder);
  if (files.length !== version.fileCount) {
    throw new AppError(
      "package.storage_mismatch",
      `Course ${quote(version.course)} version ${version.version} should have ${version.fileCount} stored files but has ${files.length}; it cannot be exported as imported`,
      500,
    );
  }

  const archive = new ZipArchive({ zlib: { level: 6 } });
  // archiver reports some unreadable sources only as a "warning", leaving the entry out, and
  // neither passes on a source stream's error nor ends (the download would hang). An export
  // that drops a file is a broken package: either way the archive fails with the error.
  const fail = (error: Error) => archive.destroy(error);
  archive.on("warning", fail);
  // The version's import time, not the files' mtimes: one stored version always makes the same zip.
  const date = new Date(version.importedAt);
  for (const file of files) {
    const source = openLazily(storage.pathOf(version.storageKey, file));
    source.on("error", fail);
    archive.append(source, { name: file, date, store: STORED_EXTENSIONS.has(path.extname(file).toLowerCase()) });
  }
  // Errors reach the stream's reader as an "error" event; the promise would only repeat them.
  archive.finalize().catch(() => {});
  return {
    course: version.course,
    version: version.version,
    files: files.length,
    filename: downloadName(version.course, version.version),
    stream: archive,
  };
}

interface StoredVersion {
  course: string;
  version: number;
  storageKey: string;
  fileCount: number;
  importedAt: string;
}

async function findVersion(db: Db, code: string, wanted: number | undefined): Promise<StoredVersion> {
  const courses = createCourseStore(db);
  const courseId = await courses.courseIdByCode(code);
  if (courseId === undefined) throw new AppError("package.unknown_course", `There is no course with the code ${quote(code)}`, 404);
  const rows = await courses.versionsToExport(courseId);
  const versions = rows.map((row) => ({
    course: code,
    version: Number(row.version),
    storageKey: row.storage_key,
    fileCount: Number(row.file_count),
    importedAt: row.imported_at,
  }));
  const chosen = wanted === undefined ? versions.at(-1) : versions.find((candidate) => candidate.version === wanted);
  if (!chosen) {
    const existing = versions.length ? `its versions are ${versions.map((candidate) => candidate.version).join(", ")}` : "it has no imported versions";
    const asked = wanted === undefined ? "any version" : `version ${wanted}`;
    throw new AppError("package.unknown_version", `Course ${quote(code)} has no ${asked}: ${existing}`, 404);
  }
  return chosen;
}

/**
 * `<root>/<key>` (storage.ts). Found through pathOf, which checks the key's shape, so a damaged
 * row cannot point the walk at another folder.
 */
function packageFolder(storage: PackageStorage, key: string): string {
  return path.dirname(storage.pathOf(key, MANIFEST));
}

/**
 * Regular files under the package folder as sorted forward-slash paths, the manifest first (the
 * first thing a reader of the zip meets). Import writes regular files and folders only; anything
 * else found here is left out and then caught by the file-count check.
 */
async function listStoredFiles(folder: string): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(folder, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("package.storage_missing", "The stored files of this course version are missing; it cannot be exported", 500);
    }
    throw error;
  }
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const manifestAt = files.findIndex((file) => file.toLowerCase() === MANIFEST);
  if (manifestAt > 0) files.unshift(...files.splice(manifestAt, 1));
  return files;
}

/**
 * A file stream that opens its file only when archiver first reads it (archiver reads entries one
 * at a time, so a 2,000-file package holds one descriptor, not 2,000), and refuses to follow a
 * symbolic link: import never makes one, so one here was planted.
 */
function openLazily(file: string): Readable {
  return Readable.from(
    (async function* () {
      const handle = await fsp.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        yield* handle.createReadStream({ autoClose: false });
      } finally {
        await handle.close();
      }
    })(),
    { objectMode: false },
  );
}

/** `<code> v<version>.zip`, without the characters no file system or Content-Disposition takes. */
function downloadName(code: string, version: number): string {
  const safe = code.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, "_").trim() || "package";
  return `${safe} v${version}.zip`;
}
