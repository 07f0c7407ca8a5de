import crypto from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/store.ts";
import { scanZip, quote, type ZipLimits, type ZipScan } from "./zip-scan.ts";
import { extractToTemp, type ExtractedPackage } from "./extract.ts";
import { parseManifest, type Manifest } from "./manifest/parse-manifest.ts";
import type { PackageStorage } from "./storage.ts";
import { packageWarnings, type Finding, type ValidationReport } from "./validation-report.ts";

export interface ImportDeps {
  db: Db;
  clock: Clock;
  storage: PackageStorage;
}

export interface ImportOptions {
  /** The course code; defaults to the manifest's organization title. */
  code?: string;
  importedBy?: number | null;
  limits?: Partial<ZipLimits>;
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
  courseVersionId: number;
  /** What the validation report warned about; none of it blocked the import. */
  warnings: Finding[];
}

const MANIFEST = "imsmanifest.xml";
const MAX_MANIFEST_BYTES = 20 * 1024 * 1024;

/**
 * Imports one SCORM package as a new version of its course (the one import service: the CLI,
 * the demo seed and the upload page all call this). All or nothing: on any failure there is no
 * row, no published folder and no temporary folder left behind.
 */
export async function importPackage(deps: ImportDeps, zipPath: string, options: ImportOptions = {}): Promise<ImportedPackage> {
  const { db, clock, storage } = deps;
  options.onProgress?.({ stage: "checking", done: 0, total: 1 });
  const scan = await scanZip(zipPath, options.limits);
  const workDir = await storage.tempDir();
  try {
    const { extracted, manifest } = await unpackAndCheck(scan, workDir, (done, total) => options.onProgress?.({ stage: "extracting", done, total }));
    options.onProgress?.({ stage: "saving", done: 0, total: 1 });
    const code = courseCode(options.code ?? manifest.title);
    const title = manifest.title.trim().slice(0, 300) || code;
    const now = clock.now().toISOString();
    let published: string | null = null;
    try {
      return await db.transaction(async (trx) => {
        // ON CONFLICT ... DO UPDATE also locks the course row on PostgreSQL, so two imports of one
        // course take version numbers one after the other.
        const [courseRow] = await trx("courses")
          .insert({ code, title, kind: "elearning", created_at: now })
          .onConflict("code")
          .merge(["title"])
          .returning("id");
        const courseId = Number(courseRow.id);
        const previous = await trx("course_versions").where({ course_id: courseId }).max("version as version").first();
        const version = Number(previous?.version ?? 0) + 1;
        const storageKey = `course-${courseId}-v${version}-${crypto.randomBytes(6).toString("hex")}`;
        const [versionRow] = await trx("course_versions")
          .insert({
            course_id: courseId,
            version,
            scorm_version: manifest.scormVersion,
            title,
            storage_key: storageKey,
            manifest: JSON.stringify(manifest),
            file_count: extracted.fileCount,
            total_bytes: extracted.totalBytes,
            imported_at: now,
            imported_by: options.importedBy ?? null,
          })
          .returning("id");
        const courseVersionId = Number(versionRow.id);
        const existingClass = await trx("classes").where({ course_id: courseId, kind: "elearning" }).first("id");
        if (!existingClass) await trx("classes").insert({ course_id: courseId, kind: "elearning", title: code, status: "open" });
        await recordAudit(trx, {
          kind: "package.imported",
          at: now,
          actorAccountId: options.importedBy ?? null,
          detail: { course: code, version, courseVersionId, scormVersion: manifest.scormVersion, storageKey, files: extracted.fileCount },
        });
        // Published inside the transaction, after every row is written: a failure before this
        // point leaves no folder; a failed publish or commit after it is undone by the catch
        // below (noted first, since removing a key that never arrived is harmless).
        published = storageKey;
        await storage.publish(extracted.dir, storageKey);
        const warnings = packageWarnings(manifest, extracted.files);
        return { course: code, version, scormVersion: manifest.scormVersion, title, scos: manifest.launchables.length, courseVersionId, warnings };
      });
    } catch (error) {
      if (published !== null) await storage.remove(published);
      throw error;
    }
  } finally {
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Everything importPackage checks, without importing: the validation report. A blocking problem
 * becomes the report's error rather than an exception, so the author sees it beside the rest.
 */
export async function validatePackage(zipPath: string, limits?: Partial<ZipLimits>): Promise<ValidationReport> {
  const report: ValidationReport = { ok: false, scormVersion: null, title: null, fileCount: 0, totalBytes: 0, launchables: [], errors: [], warnings: [] };
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), "lms-validate-"));
  try {
    const scan = await scanZip(zipPath, limits);
    const { extracted, manifest } = await unpackAndCheck(scan, workDir);
    report.ok = true;
    report.scormVersion = manifest.scormVersion;
    report.title = manifest.title;
    report.fileCount = extracted.fileCount;
    report.totalBytes = extracted.totalBytes;
    report.launchables = manifest.launchables.map(({ identifier, title, scormType, launch }) => ({ identifier, title, scormType, launch }));
    report.warnings = packageWarnings(manifest, extracted.files);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    report.errors.push({ code: error.code, message: error.message });
  } finally {
    await fsp.rm(workDir, { recursive: true, force: true });
  }
  return report;
}

async function unpackAndCheck(
  scan: ZipScan,
  workDir: string,
  onBytes?: (done: number, total: number) => void,
): Promise<{ extracted: ExtractedPackage; manifest: Manifest }> {
  const extracted = await extractToTemp(scan, workDir, onBytes);
  const manifestPath = findManifest(extracted.files);
  const manifestFile = path.join(extracted.dir, manifestPath);
  if ((await fsp.stat(manifestFile)).size > MAX_MANIFEST_BYTES) {
    throw new AppError("package.manifest_too_large", `imsmanifest.xml is larger than ${MAX_MANIFEST_BYTES} bytes`);
  }
  const manifest = parseManifest(decodeText(await fsp.readFile(manifestFile)));
  checkLaunchFiles(manifest, new Set(extracted.files));
  return { extracted, manifest };
}

/** The manifest must sit at the zip's root; one level down is the common "zipped the folder" mistake. */
function findManifest(files: string[]): string {
  const atRoot = files.find((file) => file.toLowerCase() === MANIFEST);
  if (atRoot) return atRoot;
  const nested = files.find((file) => file.split("/").length === 2 && file.toLowerCase().endsWith(`/${MANIFEST}`));
  if (nested) {
    throw new AppError(
      "package.manifest_nested",
      `imsmanifest.xml must be at the top of the zip, but it was found at ${quote(nested)}: zip the folder's contents, not the folder`,
    );
  }
  throw new AppError("package.manifest_missing", "The package has no imsmanifest.xml at the top of the zip: it is not a SCORM package");
}

/** Every launchable's file must be in the package: a missing one would only fail in the learner's player. */
function checkLaunchFiles(manifest: Manifest, files: Set<string>) {
  for (const launchable of manifest.launchables) {
    const file = launchFile(launchable.launch);
    if (file === null || !files.has(file)) {
      throw new AppError(
        "package.launch_missing",
        `Item ${quote(launchable.identifier)} launches ${quote(launchable.launch)}, which is not a file in the package`,
      );
    }
  }
}

/** The package-relative file a launch URL names, or null for external URLs and undecodable names. */
function launchFile(launch: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(launch) || launch.startsWith("/")) return null;
  const pathPart = launch.split(/[?#]/, 1)[0] ?? "";
  try {
    return decodeURIComponent(pathPart);
  } catch {
    return pathPart;
  }
}

function courseCode(candidate: string): string {
  const code = candidate.trim().replace(/\s+/g, " ");
  if (!code || code.length > 200) {
    throw new AppError("package.code_invalid", "The course code must be between 1 and 200 characters; give one with the code option");
  }
  return code;
}

/** Manifests are UTF-8 in practice; a few tools write UTF-16 with a byte-order mark. */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes);
}
