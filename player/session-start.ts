// How the 2004 player begins a sequencing session: the navigation requests it tries, in turn,
// until one delivers a SCO. Pure, so that the order can be run on scorm-again's real sequencer in
// Node (test/player/session-start.unit.test.ts) as the player runs it.
//
// A saved state says how the last window left the course:
// - suspended (Home, or the window closing while a SCO ran): Resume All (SN 4.2.1);
// - a SCO still running, nothing suspended: the window died without Home or unloading (a killed
//   browser, a phone dropping the tab) and sent nothing as it went. Resume All finds nothing to
//   resume, Start refuses a session that has a current activity (NB.2.1-1), and a flow-only
//   course allows no choice. The server resumes such a SCO's data (its session never terminated:
//   entry "resume", server/runtime/session-state.ts), so the sequencer is suspended where it
//   stood, as the window would have done on unloading, and resumed. A choice or Continue instead
//   would end the SCO's attempt and judge it on the statuses it had when it was delivered;
// - the SCO on screen had ended and nothing was chosen next: a choice of where the learner was
//   (the server's pick: the next unfinished SCO), else Continue, the only way on in a flow-only
//   course, from the ended SCO.
// Without a state, Start; a course whose flow is off (the spec's default) delivers nothing on
// Start (SB.2.5), so then a choice of its first SCO.

/** A navigation request: "start", "resumeAll", "choice S3"... (the target after a space). */
export type Request = string;

/**
 * One way to start, tried as a whole: the requests before the last prepare it (their end of the
 * sequencing session is not the learner's); the step succeeds when its last request delivers.
 */
export type StartStep = Request[];

export interface StartInput {
  /** The sequencer's saved state as the server holds it, restored into the sequencer; null when none was. */
  restoredState: string | null;
  /** Where the server says the learner was last (the SCO, or the next unfinished once it is finished). */
  resumeScoId: string | null;
  firstScoId: string | null;
}

export function startSteps({ restoredState, resumeScoId, firstScoId }: StartInput): StartStep[] {
  const steps: StartStep[] = [];
  if (restoredState !== null) steps.push(["resumeAll"]);
  if (restoredState !== null && scoWasRunning(restoredState)) steps.push(["suspendAll", "resumeAll"]);
  if (resumeScoId && resumeScoId !== firstScoId) steps.push([`choice ${resumeScoId}`]);
  steps.push(["start"]);
  if (firstScoId) steps.push([`choice ${firstScoId}`]);
  if (restoredState !== null) steps.push(["continue"]);
  return steps;
}

interface SavedSequencing {
  sequencing?: { currentActivity?: unknown; suspendedActivity?: unknown; activityStates?: Record<string, { isActive?: unknown }> };
}

/**
 * Whether the state was saved with a SCO running and nothing suspended. Read from the saved JSON:
 * scorm-again restores its current activity as active whatever it was.
 */
export function scoWasRunning(state: string): boolean {
  let saved: SavedSequencing;
  try {
    saved = JSON.parse(state) as SavedSequencing;
  } catch {
    return false;
  }
  const sequencing = saved?.sequencing;
  const current = sequencing?.currentActivity;
  if (typeof current !== "string" || sequencing?.suspendedActivity) return false;
  return sequencing?.activityStates?.[current]?.isActive === true;
}
