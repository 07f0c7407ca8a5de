import type { Db } from "../db/connect.ts";
import type { Manifest } from "../packages/manifest/parse-manifest.ts";
import { scoRuntimeSettings, type ScoRuntimeSettings } from "../packages/manifest/runtime-settings.ts";
import type { ScormVersion } from "./contract.ts";
import { SCORM12_ERRORS, ScormRefusal } from "./scorm-errors.ts";
import { createRuntimeStore, type RuntimeAttempt, type RuntimeSco, type RuntimeStore } from "./store.ts";

export interface AttemptScoContext {
  store: RuntimeStore;
  attempt: RuntimeAttempt;
  scormVersion: ScormVersion;
  manifest: Manifest;
  settings: ScoRuntimeSettings;
  sco: RuntimeSco;
}

/**
 * Opens one SCO of one attempt inside the caller's transaction: the attempt locked, its owner
 * checked, the SCO found in the attempt's own course version (a newer upload never changes an
 * attempt), its row made on first use. Refusals answer in SCORM's form (General Exception: the
 * version is not known until the attempt is).
 */
export async function openAttemptSco(trx: Db, request: { attemptId: number; scoId: string; personId: number }, now: string): Promise<AttemptScoContext> {
  const store = createRuntimeStore(trx);
  const attempt = await store.lockAttempt(request.attemptId);
  if (!attempt) throw new ScormRefusal("not_found", "That attempt was not found", 404, SCORM12_ERRORS.general);
  // Preview attempts too belong to the author who made them, and to nobody else.
  if (attempt.personId !== request.personId) throw new ScormRefusal("forbidden", "This attempt belongs to someone else", 403, SCORM12_ERRORS.general);
  const { scormVersion, manifest } = await store.courseVersion(attempt.courseVersionId);
  if (!manifest.launchables.some((launchable) => launchable.identifier === request.scoId)) {
    throw new ScormRefusal("not_found", `The course has no SCO ${JSON.stringify(request.scoId)}`, 404, SCORM12_ERRORS.general);
  }
  const settings = scoRuntimeSettings(manifest, request.scoId);
  const sco = await store.scoRow(attempt.id, request.scoId, now);
  return { store, attempt, scormVersion, manifest, settings, sco };
}
