/**
 * The course's roll-up as scorm-again's sequencer computed it (SN RB.1: rollup rules, measures,
 * rollup considerations, global objectives, skipped and hidden activities), read from the
 * sequencing state the player saves. The server's own roll-up (rollUpStatus) counts SCOs only and
 * knows nothing of a remediation course's rules, where a module skipped because its objective was
 * already met is never attempted; the sequencer does. It is the learner's browser that says so, as
 * it is for every SCO's completion_status: the server checks the shape and never lets it downgrade
 * anything. Pure.
 */
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
