import { AppError } from "../errors.ts";
import { typeScriptWorker } from "../worker-threads.ts";
import { capFindings, PackageError, throwIfAny } from "./package-error.ts";
import type { Finding } from "./validation-report.ts";
import { countManifest, manifestLimitFindings, type ManifestLimits } from "../scorm/manifest/manifest-limits.ts";
import { readManifest, type Manifest } from "../scorm/manifest/parse-manifest.ts";
import { checkPackageFiles } from "./validation-report.ts";

const WORKER_HEAP_MB = 256;

/** What import needs of a manifest on its own thread: the rest travels as the JSON it is stored as. */
export type ManifestSummary = Pick<Manifest, "title" | "scormVersion" | "launchables">;

/** A manifest read and checked against the package's files, every problem found listed. */
export interface CheckedManifest {
  summary: ManifestSummary;
  /** The whole Manifest, as course_versions.manifest keeps it. */
  manifestJson: string;
  errors: Finding[];
  warnings: Finding[];
}

/** The worker's whole job: the limits (a manifest past one is refused unparsed), the reading, the check of the files it names. */
export function checkManifest(xmlText: string, limits: ManifestLimits, files: string[], skipped: string[]): CheckedManifest {
  throwIfAny(manifestLimitFindings(countManifest(xmlText), limits));
  const reading = readManifest(xmlText);
  const checked = checkPackageFiles(reading.manifest, files, skipped);
  const { title, scormVersion, launchables } = reading.manifest;
  // Capped here, in the worker: the largest manifest allowed may list 100,000 files that are not
  // there, and as many findings held the server's event loop for 240 ms on their way back (then
  // went to the author whole). Twenty of each kind, and how many more, say as much.
  const errors = capFindings([...reading.errors, ...checked.errors]);
  const warnings = capFindings([...reading.warnings, ...checked.warnings]);
  return { summary: { title, scormVersion, launchables }, manifestJson: JSON.stringify(reading.manifest), errors, warnings };
}

type WorkerAnswer = { checked: CheckedManifest } | { refused: { code: string; message: string; status: number; details: string[]; findings?: Finding[]; warnings?: Finding[] } };

/** A worker thread ready to check one manifest: started early, so that it loads while the zip is extracted. */
export interface ManifestReader {
  /** The manifest as the file's bytes (handed over, not copied, and decoded in the worker) or as text. */
  check(manifest: Uint8Array | string, limits: ManifestLimits, files: string[], skipped: string[]): Promise<CheckedManifest>;
  /** Ends the worker, whether or not it was used. */
  stop(): Promise<void>;
}

/**
 * checkManifest in a worker thread. Reading the largest manifest allowed takes a second or two of
 * CPU and a hundred MB or more while it lasts: on the server's own thread that would stall every
 * learner's commits and the health check (a load balancer would take the process out). The
 * manifest comes back as its JSON, one string, rather than as objects for this thread to rebuild.
 * The worker (worker-threads.ts) takes a third of a second to start, which startManifestReader lets
 * overlap the extraction.
 */
export function startManifestReader(): ManifestReader {
  // A bound on the worker's heap, and a small young generation: the reading's peak is the
  // process's, and a manifest within the limits needs far less.
  const worker = typeScriptWorker(new URL("./manifest-worker.ts", import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
  const answer = new Promise<CheckedManifest>((resolve, reject) => {
    worker.once("message", (message: WorkerAnswer) => {
      if ("checked" in message) return resolve(message.checked);
      const { refused } = message;
      reject(refused.findings ? new PackageError(refused.findings, refused.warnings) : new AppError(refused.code, refused.message, refused.status, refused.details));
    });
    worker.once("error", (error: Error & { code?: string }) =>
      reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new AppError("package.manifest_too_large", `imsmanifest.xml needs more than ${WORKER_HEAP_MB} MB to read: make it smaller`) : error),
    );
    worker.once("exit", (code) => reject(new Error(`the manifest reader stopped (exit code ${code}) without an answer`)));
  });
  // Not waited for unless asked: a reader stopped unused must not leave a rejection unhandled.
  answer.catch(() => undefined);
  return {
    check(manifest, limits, files, skipped) {
      // Bytes are moved to the worker, not copied, and decoded there: decoding the largest
      // manifest allowed and copying its text across took 80 ms of this thread (bench:import-healthz).
      if (typeof manifest === "string") worker.postMessage({ manifest, limits, files, skipped });
      else {
        const own = new Uint8Array(manifest); // a buffer of its own, which can be handed over whole
        worker.postMessage({ manifest: own, limits, files, skipped }, [own.buffer]);
      }
      return answer;
    },
    async stop() {
      await worker.terminate();
    },
  };
}
