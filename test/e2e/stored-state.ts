// What the database holds for an attempt, read the way a test asserts it.
import type { Db } from "../../server/db/connect.ts";

/** A SCO's stored CMI as nested JSON (the object under `cmi`), or {} before its first commit. */
export async function scoCmi(db: Db, attemptId: number, scoId: string): Promise<Record<string, unknown>> {
  const row = await db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first("cmi");
  return row ? (JSON.parse(String(row.cmi)) as Record<string, unknown>) : {};
}

export async function scoRows(db: Db, attemptId: number): Promise<Array<{ scoId: string; completionStatus: string | null; commitSequence: number }>> {
  const rows = await db("attempt_scos").where({ attempt_id: attemptId }).orderBy("id").select("sco_identifier", "completion_status", "commit_sequence");
  return rows.map((row) => ({ scoId: String(row.sco_identifier), completionStatus: row.completion_status ?? null, commitSequence: Number(row.commit_sequence) }));
}

export async function attemptRow(db: Db, attemptId: number): Promise<{ performance_status: string; preview: unknown; person_id: number; course_version_id: number }> {
  return db("attempts").where({ id: attemptId }).first();
}

/** SCORM 2004: the sequencer's state the player last saved for the attempt (scorm-again's JSON), or null. */
export async function sequencingState(
  db: Db,
  attemptId: number,
): Promise<{ sequencing: { currentActivity: string | null; suspendedActivity: string | null; activityStates: Record<string, { completionStatus: string; attemptCount: number }> } } | null> {
  const row = await db("attempts").where({ id: attemptId }).first("sequencing_state");
  return row?.sequencing_state ? JSON.parse(String(row.sequencing_state)) : null;
}

export interface LoggedCommit {
  scoId: string;
  commitSequence: number;
  isTerminateCommit: boolean;
  navRequest?: string;
}

/** The commit log, oldest first; optionally one SCO's. */
export async function commitLog(db: Db, attemptId: number, scoId?: string): Promise<LoggedCommit[]> {
  const rows = await db("commit_log")
    .where({ attempt_id: attemptId, ...(scoId ? { sco_identifier: scoId } : {}) })
    .orderBy("id")
    .select("sco_identifier", "commit_sequence", "body");
  return rows.map((row) => {
    const body = JSON.parse(String(row.body)) as { isTerminateCommit?: boolean; navRequest?: string };
    return { scoId: String(row.sco_identifier), commitSequence: Number(row.commit_sequence), isTerminateCommit: body.isTerminateCommit === true, ...(body.navRequest ? { navRequest: body.navRequest } : {}) };
  });
}
