import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { scoRuntimeSettings } from "../scorm/manifest/runtime-settings.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import { isAssessed, isCompleted, isFinished, mergeStatus, rollUpStatus, type PerformanceStatus } from "../scorm/status.ts";
import type { RuntimeAttempt, ScoSummary } from "./store.ts";
import { boundedMs } from "../scorm/time.ts";

/**
 * The attempt's summary columns from every SCO of its course version (see rollUpStatus), with
 * `current` as it stands after the request being applied.
 *
 * A SCORM 2004 course of more than one item is completed, passed or failed by its roll-up as the
 * SN defines it (RB.1: rollup rules, measures and their weights, rollup considerations, skipped
 * activities), which scorm-again's sequencer computes and the player saves with its state
 * (sequencing-state-service.ts). The SCOs' own statuses can say more than the course's rules do
 * (two SCOs passed whose weighted measure falls short of the organization's minimum: not
 * satisfied), so here they only start the course (Incomplete); its outcome waits for the root.
 */
export function summariseAttempt(input: { batch: RuntimeBatch; attempt: RuntimeAttempt; manifest: Manifest; scormVersion: ScormVersion }, current: ScoSummary, now: string): RuntimeAttempt {
  const { batch, attempt, manifest, scormVersion } = input;
  const rows = new Map(batch.scoSummaries(attempt.id).map((row) => [row.scoId, row]));
  rows.set(current.scoId, current);
  const scos = manifest.launchables.filter((launchable) => launchable.scormType === "sco");
  const counted = scos.length > 0 ? scos : manifest.launchables;
  const outcomes = counted.map(({ identifier }) => {
    const status = rows.get(identifier)?.performanceStatus ?? "Not Attempted";
    return { status, assessed: isAssessed(scormVersion, scoRuntimeSettings(manifest, identifier).cmi, status) };
  });
  const scores = [...rows.values()].flatMap((row) => (row.scoreScaled === null ? [] : [row.scoreScaled]));
  const rolledUp = rollUpStatus(outcomes);
  const sequenced = scormVersion === "2004" && manifest.launchables.length > 1;
  return {
    ...withStatus(attempt, sequenced && rolledUp !== "Not Attempted" ? "Incomplete" : rolledUp, now),
    scoreScaled: scores.length ? Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 1e6) / 1e6 : null,
    totalTimeMs: boundedMs([...rows.values()].reduce((sum, row) => sum + row.totalTimeMs, 0)),
    lastCommitAt: now,
  };
}

/** The attempt with a newly derived status merged in (never downgraded), and the moments it reached. */
export function withStatus(attempt: RuntimeAttempt, derived: PerformanceStatus, now: string): RuntimeAttempt {
  const performanceStatus = mergeStatus(attempt.performanceStatus, derived);
  return {
    ...attempt,
    performanceStatus,
    completedAt: attempt.completedAt ?? (isCompleted(performanceStatus) ? now : null),
    finishedAt: attempt.finishedAt ?? (isFinished(performanceStatus) ? now : null),
  };
}

/** Audits an attempt's Performance Status change, as every runtime request that makes one does. */
export function auditStatusChange(batch: RuntimeBatch, before: RuntimeAttempt, after: RuntimeAttempt, who: { accountId?: number | null; ip?: string | null }, detail: Record<string, unknown>): void {
  if (after.performanceStatus === before.performanceStatus) return;
  batch.audit({
    kind: "attempt.status_changed",
    at: batch.now,
    actorAccountId: who.accountId ?? null,
    personId: before.personId,
    ip: who.ip ?? null,
    detail: { attemptId: before.id, ...detail, from: before.performanceStatus, to: after.performanceStatus, ...(before.preview ? { preview: true } : {}) },
  });
}
