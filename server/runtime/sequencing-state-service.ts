import type { CommitResponse } from "./contract.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import { ownAttempt } from "./attempt-context.ts";
import { SCORM12_ERRORS, SCORM2004_ERRORS, ScormRefusal } from "./scorm-errors.ts";

/** Far above a real activity tree's serialised state (a few kB per activity), far below a commit's limit. */
export const SEQUENCING_STATE_MAX_CHARS = 500_000;

/**
 * Keeps the SCORM 2004 sequencer's state of an attempt (POST .../sequencing-state), the learner's
 * own attempt only. It is scorm-again's to read: the server checks only that it is a bounded
 * string, and stores the latest, in arrival order with the commits.
 */
export function saveSequencingState(batch: RuntimeBatch, request: { attemptId: number; personId: number; body: unknown }): CommitResponse {
  const attempt = ownAttempt(batch, request);
  if (batch.courseVersion(attempt.courseVersionId).scormVersion !== "2004") {
    throw new ScormRefusal("runtime.not_sequenced", "Only SCORM 2004 courses have a sequencing state", 400, SCORM12_ERRORS.general);
  }
  const state = (request.body as { sequencingState?: unknown } | null)?.sequencingState;
  if (typeof state !== "string" || state.length === 0) {
    throw new ScormRefusal("runtime.malformed_sequencing_state", "malformed request: sequencingState must be a non-empty string (scorm-again's serializeSequencingState())", 400, SCORM2004_ERRORS.generalCommit);
  }
  // scorm-again's state is JSON text, in which a NUL is always escaped; PostgreSQL's text refuses a bare one.
  if (state.includes("\u0000")) {
    throw new ScormRefusal("runtime.malformed_sequencing_state", "malformed request: sequencingState holds a NUL character, which serializeSequencingState() never writes", 400, SCORM2004_ERRORS.generalCommit);
  }
  if (state.length > SEQUENCING_STATE_MAX_CHARS) {
    throw new ScormRefusal("runtime.sequencing_state_too_large", `sequencing state too large: at most ${SEQUENCING_STATE_MAX_CHARS} characters`, 413, SCORM2004_ERRORS.generalCommit);
  }
  batch.putAttempt({ ...attempt, sequencingState: state });
  return { result: true, errorCode: 0, performanceStatus: attempt.performanceStatus, ...(attempt.preview ? { preview: true } : {}) };
}
