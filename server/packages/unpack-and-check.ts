import fsp from "node:fs/promises";
import path from "node:path";
import { findManifest } from "./find-manifest.ts";
import { extractToTemp, type ExtractedPackage } from "./extract.ts";
import { startManifestReader, type ManifestSummary } from "./read-manifest.ts";
import { DEFAULT_MANIFEST_LIMITS, manifestSizeFindings, type ManifestLimits } from "../scorm/manifest/manifest-limits.ts";
import { capFindings, fileSystemFailure, isFileSystemError, throwIfAny } from "./package-error.ts";
import type { Finding } from "./validation-report.ts";
import type { ZipScan } from "./zip-scan.ts";

export interface CheckedPackage {
  extracted: ExtractedPackage;
  manifest: ManifestSummary;
  /** The whole Manifest as JSON, as it is stored. */
  manifestJson: string;
  /** What the validation report warns about; none of it blocks import. */
  warnings: Finding[];
}

const MANIFEST = "imsmanifest.xml";

/**
 * Extracts a scanned zip into `workDir` and checks it as import does. A zip that cannot be read
 * or unpacked fails on its first problem; once the manifest is readable, every blocking problem
 * of the manifest and its files is thrown together, as one PackageError (with the warnings).
 */
export async function unpackAndCheck(scan: ZipScan, workDir: string, limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS, onBytes?: (done: number, total: number) => void): Promise<CheckedPackage> {
  // Before unpacking: a package that is not SCORM (AICC, xAPI, cmi5) is named from its file names alone.
  const found = findManifest(scan.entries.flatMap((entry) => (entry.isDirectory ? [] : [entry.path])));
  // The manifest's size is its declared one (extraction holds every entry to its declaration).
  throwIfAny(manifestSizeFindings(scan.entries.find((entry) => entry.path === found.path)?.size ?? 0, limits), found.warnings);
  // The manifest's reader loads while the zip is extracted.
  const reader = startManifestReader();
  try {
    const extracted = await extractToTemp(scan, workDir, onBytes);
    const bytes = await readManifestFile(path.join(extracted.dir, found.path), limits);
    const checked = await reader.check(bytes, limits, extracted.files, scan.skipped);
    const warnings = [...found.warnings, ...checked.warnings];
    throwIfAny(capFindings(checked.errors), warnings);
    return { extracted, manifest: checked.summary, manifestJson: checked.manifestJson, warnings };
  } finally {
    await reader.stop();
  }
}

async function readManifestFile(file: string, limits: ManifestLimits): Promise<Buffer> {
  try {
    // Checked before unpacking too; read, it is never more than the limit, whatever happened between.
    throwIfAny(manifestSizeFindings((await fsp.stat(file)).size, limits));
    return await fsp.readFile(file);
  } catch (error) {
    if (isFileSystemError(error)) throw fileSystemFailure(error, MANIFEST);
    throw error;
  }
}
