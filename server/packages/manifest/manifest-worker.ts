// The worker thread of readManifestOffThread (read-manifest.ts): counts the manifest against its
// limits, then parses it, off the server's event loop; posts back the reading, or the problem.
import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "../../errors.ts";
import { PackageError } from "../package-error.ts";
import { readWithinLimits } from "./read-manifest.ts";

const { xmlText, limits } = workerData as { xmlText: string; limits: import("./manifest-limits.ts").ManifestLimits };
try {
  parentPort!.postMessage({ reading: readWithinLimits(xmlText, limits) });
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  const findings = error instanceof PackageError ? { findings: error.findings, warnings: error.warnings } : {};
  parentPort!.postMessage({ refused: { code: error.code, message: error.message, status: error.status, details: error.details, ...findings } });
}
