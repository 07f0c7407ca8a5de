import crypto from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { claimDiskSpace, diskLow, type Shortfall } from "../disk-space.ts";
import { recordAudit } from "../audit/index.ts";
import { refreshCourseSearch } from "../learning/index.ts";
import { ensureElearningClass } from "../classroom/index.ts";
import { scanZip, type ZipLimits } from "./zip-scan.ts";
import { fileSystemFailure, findingsOf, isFileSystemError, PackageError } from "./package-error.ts";
import type { PackageStorage } from "./storage.ts";
import { createCourseStore } from "./store.ts";
import { unpackAndCheck } from "./unpack-and-check.ts";
import { contentHash } from "./content-hash.ts";
import { guideDateTime } from "../format.ts";
import { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from "../scorm/manifest/manifest-limits.ts";
import type { Launchable } from "../scorm/manifest/parse-manifest.ts";
import type { Finding, ValidationReport } from "./validation-report.ts";

export { PackageError, findingsOf } from "./package-error.ts";

/** Every limit on a package: its zip's (zip-scan.ts) and its manifest's (manifest-limits.ts). */
export type PackageLimits = ZipLimits & ManifestLimits;

function manifestLimitsOf(limits: Partial<PackageLimits> = {}): ManifestLimits {
  const chosen = { ...DEFAULT_MANIFEST_LIMITS };
  for (const key of Object.keys(chosen) as Array<keyof ManifestLimits>) if (limits[key] !== undefined) chosen[key] = limits[key]!;
  return chosen;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  storage: PackageStorage;
}

export interface ImportOptions {
  /** The course code; defaults to the manifest's organization title. */
  code?: string;
  importedBy?: number | null;
  limits?: Partial<PackageLimits>;
  /**
   * DISK_FREE_FLOOR_MB in bytes: a package whose files would leave the storage's disk with less
   * free is refused before one is unpacked. Unset: 0, a package that cannot fit at all.
   */
  diskFreeFloorBytes?: number;
  /**
   * When the course already has a version of exactly this content (content-hash.ts): "ask"
   * refuses with SamePackage, naming that version, so a person can be asked; "import" makes the
   * new version anyway. The upload page and the CLI ask first; by default, import.
   */
  ifSamePackage?: "ask" | "import";
  /** Told as import goes: for a progress bar. Extraction reports bytes; the other stages once. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  stage: "checking" | "extracting" | "saving";
  done: number;
  total: number;
}

export interface ImportedPackage {
  course: string;
  version: number;
  scormVersion: string;
  title: string;
  /** Launchable items (SCOs and assets) in organization order. */
  scos: number;
  launchables: Launchable[];
  fileCount: number;
  totalBytes: number;
  courseVersionId: number;
  /** What the validation report warned about; none of it blocked the import. */
  warnings: Finding[];
  /** content-hash.ts's hash of the package, stored with the version. */
  contentHash: string;
  /** The earlier version of exactly this content, when the import was told to make one anyway. */
  sameAsVersion?: number;
}

/** The course already has a version of exactly this package: nothing was imported. */
export class SamePackage extends AppError {
  constructor(
    readonly course: string,
    readonly version: number,
    readonly importedAt: string,
  ) {
    super("package.same_as_version", `This is the same package as version ${version}, imported on ${guideDateTime(importedAt)}`, 409);
    this.name = "SamePackage";
  }
}

/**
 * Imports one SCORM package as a new version of its course (the one import service: the CLI,
 * the demo seed and the upload page all call this). All or nothing: on any failure there is no
 * row, no published folder and no temporary folder left behind. A package with several blocking
 * problems is refused with a PackageError listing them all (`findings`; `code` is the first's).
 */
export async function importPackage(deps: ImportDeps, zipPath: string, options: ImportOptions = {}): Promise<ImportedPackage> {
  const { db, clock, storage } = deps;
  options.onProgress?.({ stage: "checking", done: 0, total: 1 });
  const scan = await scanZip(zipPath, options.limits);
  const hash = contentHash(scan);
  // What the zip declares is what extraction lets it write (extract.ts holds it to that), so the
  // room it needs is known before the first byte: claimed here, with every upload and import in
  // flight counted, and given back once the files are published (or thrown away).
  const needed = { bytes: scan.declaredBytes, files: scan.entries.length };
  const claim = await onDisk(() => claimDiskSpace(storage.root, needed, options.diskFreeFloorBytes ?? 0, (shortfall) => packageTooLargeForDisk(scan.declaredBytes, shortfall)));
  let workDir: string | null = null;
  try {
    workDir = await onDisk(() => storage.tempDir());
    const { extracted, manifest, manifestJson, warnings } = await unpackAndCheck(scan, workDir, manifestLimitsOf(options.limits), (done, total) => options.onProgress?.({ stage: "extracting", done, total }));
    options.onProgress?.({ stage: "saving", done: 0, total: 1 });
    await onDisk(() => storage.makeDurable(extracted.dir));
    const code = courseCode(options.code ?? manifest.title);
    const title = manifest.title.trim().slice(0, 300) || code;
    const now = clock.now().toISOString();
    let published: string | null = null;
    try {
      return await db.transaction(async (trx) => {
        const courses = createCourseStore(trx);
        // The course row is locked first (upsertCourse), so two imports of one course take
        // version numbers one after the other.
        const courseId = await courses.upsertCourse({ code, title, at: now });
        // Asked under the course row's lock, so two uploads of one package cannot both pass.
        const same = await courses.versionWithContent(courseId, hash);
        if (same && options.ifSamePackage === "ask") throw new SamePackage(code, same.version, same.importedAt);
        const version = (await courses.lastVersion(courseId)) + 1;
        const storageKey = `course-${courseId}-v${version}-${crypto.randomBytes(6).toString("hex")}`;
        const courseVersionId = await courses.insertVersion({
          courseId,
          version,
          scormVersion: manifest.scormVersion,
          title,
          storageKey,
          manifestJson,
          fileCount: extracted.fileCount,
          totalBytes: extracted.totalBytes,
          at: now,
          importedBy: options.importedBy ?? null,
          contentHash: hash,
        });
        await ensureElearningClass(trx, courseId, code);
        await refreshCourseSearch(trx, [code]);
        await recordAudit(trx, {
          kind: "package.imported",
          at: now,
          actorAccountId: options.importedBy ?? null,
          detail: { course: code, version, courseVersionId, scormVersion: manifest.scormVersion, storageKey, files: extracted.fileCount, ...(same ? { sameAsVersion: same.version } : {}) },
        });
        // Published inside the transaction, after every row is written: a failure before this
        // point leaves no folder; a failed publish or commit after it is undone by the catch
        // below (noted first, since removing a key that never arrived is harmless).
        published = storageKey;
        await storage.publish(extracted.dir, storageKey);
        return { course: code, version, scormVersion: manifest.scormVersion, title, scos: manifest.launchables.length, launchables: manifest.launchables, fileCount: extracted.fileCount, totalBytes: extracted.totalBytes, courseVersionId, warnings, contentHash: hash, ...(same ? { sameAsVersion: same.version } : {}) };
      });
    } catch (error) {
      if (published !== null) await storage.remove(published);
      throw error;
    }
  } finally {
    if (workDir !== null) await fsp.rm(workDir, { recursive: true, force: true });
    claim.release();
  }
}

/** The free-space refusal (storage.disk_low, as an upload's), saying what the package needs. */
function packageTooLargeForDisk(declaredBytes: number, { floor }: Shortfall): AppError {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en-GB", { maximumFractionDigits: 1 })} MB`;
  const kept = floor > 0 ? `would leave the server's disk with less than the ${mb(floor)} it keeps free (DISK_FREE_FLOOR_MB)` : "would not fit on the server's disk";
  return diskLow(`The server is short of disk space: this package unpacks to ${mb(declaredBytes)}, which ${kept}, so nothing was saved. Try again later, and tell the service desk if it lasts.`);
}

/**
 * Everything importPackage checks, without importing: the validation report. Blocking problems
 * become the report's errors rather than an exception, so the author sees them all together.
 */
export async function validatePackage(zipPath: string, limits?: Partial<PackageLimits>): Promise<ValidationReport> {
  const report: ValidationReport = { ok: false, scormVersion: null, title: null, fileCount: 0, totalBytes: 0, launchables: [], errors: [], warnings: [] };
  let workDir: string | null = null;
  try {
    workDir = await onDisk(() => fsp.mkdtemp(path.join(os.tmpdir(), "lms-validate-")));
    const scan = await scanZip(zipPath, limits);
    const { extracted, manifest, warnings } = await unpackAndCheck(scan, workDir, manifestLimitsOf(limits));
    report.ok = true;
    report.scormVersion = manifest.scormVersion;
    report.title = manifest.title;
    report.fileCount = extracted.fileCount;
    report.totalBytes = extracted.totalBytes;
    report.launchables = manifest.launchables.map(({ identifier, title, scormType, launch }) => ({ identifier, title, scormType, launch }));
    report.warnings = warnings;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    report.errors = findingsOf(error);
    if (error instanceof PackageError) report.warnings = error.warnings;
  } finally {
    if (workDir !== null) await fsp.rm(workDir, { recursive: true, force: true });
  }
  return report;
}

/** A temporary folder that cannot be made says so without naming the server's folders. */
async function onDisk<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isFileSystemError(error)) throw fileSystemFailure(error);
    throw error;
  }
}

function courseCode(candidate: string): string {
  const code = candidate.trim().replace(/\s+/g, " ");
  if (!code || code.length > 200) {
    throw new AppError("package.code_invalid", "The course code must be between 1 and 200 characters; give one with the code option");
  }
  return code;
}
