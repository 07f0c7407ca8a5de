import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { scoRuntimeSettings, type ScoRuntimeSettings } from "../scorm/manifest/runtime-settings.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import { SCORM12_ERRORS, ScormRefusal } from "../scorm/scorm-errors.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import type { RuntimeAttempt, RuntimeSco } from "./store.ts";

export interface AttemptScoContext {
  batch: RuntimeBatch;
  attempt: RuntimeAttempt;
  scormVersion: ScormVersion;
  manifest: Manifest;
  settings: ScoRuntimeSettings;
  sco: RuntimeSco;
}

/**
 * One SCO of one attempt as it stands in the batch: the attempt's owner checked, the SCO found in
 * the attempt's own course version (a newer upload never changes an attempt). Refusals answer in
 * SCORM's form (General Exception: the version is not known until the attempt is).
 */
export function openAttemptSco(batch: RuntimeBatch, request: { attemptId: number; scoId: string; personId: number }): AttemptScoContext {
  const attempt = ownAttempt(batch, request);
  const { scormVersion, manifest } = batch.courseVersion(attempt.courseVersionId);
  if (!manifest.launchables.some((launchable) => launchable.identifier === request.scoId)) {
    throw new ScormRefusal("not_found", `The course has no SCO ${JSON.stringify(request.scoId)}`, 404, SCORM12_ERRORS.general);
  }
  const settings = scoRuntimeSettings(manifest, request.scoId);
  return { batch, attempt, scormVersion, manifest, settings, sco: batch.sco(attempt.id, request.scoId) };
}

/** The attempt as it stands in the batch, refused unless it is the requester's own. */
export function ownAttempt(batch: RuntimeBatch, request: { attemptId: number; personId: number }): RuntimeAttempt {
  const attempt = batch.attempt(request.attemptId);
  if (!attempt) throw new ScormRefusal("not_found", "That attempt was not found", 404, SCORM12_ERRORS.general);
  // Preview attempts too belong to the author who made them, and to nobody else.
  if (attempt.personId !== request.personId) throw new ScormRefusal("forbidden", "This attempt belongs to someone else", 403, SCORM12_ERRORS.general);
  return attempt;
}
