import type { CommitResponse } from "../scorm/contract.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import { ownAttempt } from "./attempt-context.ts";
import { SCORM12_ERRORS, SCORM2004_ERRORS, ScormRefusal } from "../scorm/scorm-errors.ts";
import { auditStatusChange, withStatus } from "./attempt-summary.ts";
import { courseStatus, sequencerRollUp } from "./sequencer-roll-up.ts";

/** Far above a real activity tree's serialised state (a few kB per activity), far below a commit's limit. */
export const SEQUENCING_STATE_MAX_CHARS = 500_000;

/**
 * Keeps the SCORM 2004 sequencer's state of an attempt (POST .../sequencing-state), the learner's
 * own attempt only. It is scorm-again's to read: the server checks that it is a bounded string,
 * stores the latest, in arrival order with the commits, and takes from it the course's roll-up
 * (sequencer-roll-up.ts), which may complete the attempt: a course of silent SCOs, or one whose
 * rules skip what the learner already knows.
 */
export function saveSequencingState(batch: RuntimeBatch, request: { attemptId: number; personId: number; body: unknown; accountId?: number | null; ip?: string | null }): CommitResponse {
  const attempt = ownAttempt(batch, request);
  const { scormVersion, manifest } = batch.courseVersion(attempt.courseVersionId);
  if (scormVersion !== "2004") {
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
  const rolledUp = sequencerRollUp(state, manifest.organization.identifier);
  const updated = rolledUp ? withStatus(attempt, courseStatus(assessedOrNot(batch, attempt.id, rolledUp)), batch.now) : attempt;
  batch.putAttempt({ ...updated, sequencingState: state });
  auditStatusChange(batch, attempt, updated, request, { rollUp: "sequencer" });
  return { result: true, errorCode: 0, performanceStatus: updated.performanceStatus, ...(attempt.preview ? { preview: true } : {}) };
}

/**
 * The root's success counts only where something in the attempt was assessed: a SCO passed or
 * failed as it reported, or scored. Otherwise it rests on the satisfaction the LMS supplies to
 * silent SCOs and assets (SN UP.4), rolled up, and the course is completed, not passed
 * (status.ts judgedPerformanceStatus).
 */
function assessedOrNot(batch: RuntimeBatch, attemptId: number, root: { completion: string; success: string }): { completion: string; success: string } {
  const assessed = batch.scoSummaries(attemptId).some((sco) => sco.performanceStatus === "Passed" || sco.performanceStatus === "Failed" || sco.scoreScaled !== null);
  return assessed ? root : { ...root, success: "unknown" };
}
