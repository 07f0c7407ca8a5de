import type { Db } from "../server/db/connect.ts";
import { cmiAt, type LoadFigures } from "./load-journey.ts";

/**
 * What the database lacks of what the LMS acknowledged: each acknowledged commit must be in its
 * attempt's commit log, the log in commit order, the SCO's state at least as new as the last
 * acknowledgement and holding what that commit sent, and an attempt whose finishing commit was acknowledged must be Completed.
 * One line per problem.
 */
export async function findLostCommits(db: Db, figures: LoadFigures): Promise<string[]> {
  const problems: string[] = [];
  const attemptIds = [...figures.acknowledged.keys()];
  for (let from = 0; from < attemptIds.length; from += 500) {
    const ids = attemptIds.slice(from, from + 500);
    const logged = new Map<number, number[]>();
    for (const row of await db("commit_log").whereIn("attempt_id", ids).orderBy("id").select("attempt_id", "commit_sequence")) {
      const sequences = logged.get(Number(row.attempt_id)) ?? [];
      sequences.push(Number(row.commit_sequence));
      logged.set(Number(row.attempt_id), sequences);
    }
    const scoRows = await db("attempt_scos").whereIn("attempt_id", ids).select("attempt_id", "commit_sequence", "cmi");
    const stateOf = new Map(scoRows.map((row) => [Number(row.attempt_id), Number(row.commit_sequence)]));
    const cmiOf = new Map(scoRows.map((row) => [Number(row.attempt_id), JSON.parse(String(row.cmi))]));
    const statusOf = new Map((await db("attempts").whereIn("id", ids).select("id", "performance_status")).map((row) => [Number(row.id), String(row.performance_status)]));
    for (const attemptId of ids) {
      const acknowledged = figures.acknowledged.get(attemptId)!;
      const stored = logged.get(attemptId) ?? [];
      for (const sequence of acknowledged) if (!stored.includes(sequence)) problems.push(`attempt ${attemptId}: acknowledged commit ${sequence} is not in the commit log`);
      if (stored.some((sequence, index) => index > 0 && sequence <= stored[index - 1]!)) problems.push(`attempt ${attemptId}: the commit log is out of order (${stored.join(", ")})`);
      const last = acknowledged.at(-1);
      if (last !== undefined && (stateOf.get(attemptId) ?? 0) < last) problems.push(`attempt ${attemptId}: the SCO's state is at commit ${stateOf.get(attemptId)}, behind acknowledged ${last}`);
      // The content, not only the number: the SCO's state is what its newest commit sent.
      const storedSequence = stateOf.get(attemptId) ?? 0;
      const sent = cmiAt(storedSequence, attemptId);
      const cmi = cmiOf.get(attemptId);
      // Sequence 0 is the state opened before any commit (time ran out between the two): nothing was sent yet.
      if (cmi && storedSequence > 0 && (cmi.suspend_data !== sent.suspend_data || cmi.core?.lesson_location !== (sent.core as { lesson_location: string }).lesson_location)) {
        problems.push(`attempt ${attemptId}: the SCO's stored suspend data or location is not what commit ${stateOf.get(attemptId)} sent`);
      }
      if (figures.finished.has(attemptId) && statusOf.get(attemptId) !== "Completed") problems.push(`attempt ${attemptId}: finished, but its status is ${statusOf.get(attemptId)}`);
    }
  }
  return problems;
}
