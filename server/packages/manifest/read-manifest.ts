import { Worker } from "node:worker_threads";
import { AppError } from "../../errors.ts";
import { PackageError, throwIfAny } from "../package-error.ts";
import type { Finding } from "../validation-report.ts";
import { countManifest, manifestLimitFindings, type ManifestLimits } from "./manifest-limits.ts";
import { readManifest, type ManifestReading } from "./parse-manifest.ts";

/** The limits first (a manifest past one is refused unparsed), then the reading. */
export function readWithinLimits(xmlText: string, limits: ManifestLimits): ManifestReading {
  throwIfAny(manifestLimitFindings(countManifest(xmlText), limits));
  return readManifest(xmlText);
}

const WORKER_HEAP_MB = 256;

type WorkerAnswer = { reading: ManifestReading } | { refused: { code: string; message: string; status: number; details: string[]; findings?: Finding[]; warnings?: Finding[] } };

/**
 * readWithinLimits in a worker thread. Parsing the largest manifest allowed takes a second or two
 * of CPU and a few hundred MB while it lasts: on the server's own thread that would stall every
 * learner's commits and the health check (a load balancer would take the process out). The
 * worker is TypeScript like the rest, loaded through tsx (see breached-passwords.ts).
 */
export function readManifestOffThread(xmlText: string, limits: ManifestLimits): Promise<ManifestReading> {
  return new Promise((resolve, reject) => {
    const program = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("./manifest-worker.ts", import.meta.url).href)}); })`;
    // A bound on the worker's heap: a manifest within the limits needs far less.
    const worker = new Worker(program, { eval: true, workerData: { xmlText, limits }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.once("message", (answer: WorkerAnswer) => {
      if ("reading" in answer) return resolve(answer.reading);
      const { refused } = answer;
      reject(refused.findings ? new PackageError(refused.findings, refused.warnings) : new AppError(refused.code, refused.message, refused.status, refused.details));
    });
    worker.once("error", (error: Error & { code?: string }) =>
      reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new AppError("package.manifest_too_large", `imsmanifest.xml needs more than ${WORKER_HEAP_MB} MB to read: make it smaller`) : error),
    );
    worker.once("exit", (code) => reject(new Error(`the manifest reader stopped (exit code ${code}) without an answer`)));
  });
}
