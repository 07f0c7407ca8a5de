/**
 * The course's roll-up as scorm-again's sequencer computed it (SN RB.1: rollup rules, measures,
 * rollup considerations, global objectives, skipped and hidden activities), read from the
 * sequencing state the player saves. The server's own roll-up (rollUpStatus) counts SCOs only and
 * knows nothing of a remediation course's rules, where a module skipped because its objective was
 * already met is never attempted; the sequencer does. It is the learner's browser that says so, as
 * it is for every SCO's completion_status: the server checks the shape and never lets it downgrade
 * anything. Pure.
 */
import { performanceOf2004, type PerformanceStatus } from "../scorm/status.ts";

const COMPLETION = new Set(["completed", "incomplete", "not attempted", "unknown"]);
const SUCCESS = new Set(["passed", "failed", "unknown"]);

export function sequencerRollUp(state: string, rootId: string): { completion: string; success: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    return null;
  }
  const root = dig(parsed, ["sequencing", "activityStates", rootId]);
  const completion = dig(root, ["completionStatus"]);
  const success = dig(root, ["successStatus"]);
  if (typeof completion !== "string" || typeof success !== "string" || !COMPLETION.has(completion) || !SUCCESS.has(success)) return null;
  return { completion, success };
}

function dig(node: unknown, path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The course's Performance Status from its root activity. A root not satisfied fails the course
 * only once the root is completed: until then the learner may still satisfy it (a measure over the
 * SCOs' weighted scores rises with each SCO scored, SN RB.1.1), so a course not yet finished is
 * Incomplete, never a Failed the learner could not then lose.
 */
export function courseStatus({ completion, success }: { completion: string; success: string }): PerformanceStatus {
  if (success === "failed" && completion !== "completed") return "Incomplete";
  return performanceOf2004({ completion, success });
}
