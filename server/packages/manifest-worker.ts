// The worker thread of startManifestReader (read-manifest.ts): decodes the manifest, counts it against its
// limits, parses it and checks the files it names, off the server's event loop; posts back the
// result, or the problem.
import { parentPort } from "node:worker_threads";
import { AppError } from "../errors.ts";
import { PackageError } from "./package-error.ts";
import { checkManifest } from "./read-manifest.ts";
import { decodeXml } from "../scorm/manifest/xml-encoding.ts";

parentPort!.once("message", ({ manifest, limits, files, skipped }: { manifest: Uint8Array | string; limits: import("../scorm/manifest/manifest-limits.ts").ManifestLimits; files: string[]; skipped: string[] }) => {
  try {
    const xmlText = typeof manifest === "string" ? manifest : decodeXml(manifest);
    parentPort!.postMessage({ checked: checkManifest(xmlText, limits, files, skipped) });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const findings = error instanceof PackageError ? { findings: error.findings, warnings: error.warnings } : {};
    parentPort!.postMessage({ refused: { code: error.code, message: error.message, status: error.status, details: error.details, ...findings } });
  }
});
