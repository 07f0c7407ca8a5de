import type { ScoRuntimeSettings } from "../scorm/manifest/runtime-settings.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import type { FlatCmi } from "../scorm/cmi-json.ts";
import { isReadOnly } from "../scorm/cmi-validate.ts";
import { formatTimespan } from "../scorm/time.ts";

/**
 * What a SCO sees when a new session starts: its saved CMI, the LMS's own values (who the
 * learner is, credit and mode, the manifest's settings) and the entry that follows from how the
 * last session ended. Pure; the state service reads and writes the rows around it.
 */
export interface Learner {
  username: string;
  lastName: string;
  firstName: string;
}

export type Entry = "ab-initio" | "resume" | "";

/**
 * The elements the LMS owns and the SCO may only read, seeded for every session: learner id and
 * name (the guide's "Last, First"), credit and mode (an author's preview credits nothing and is
 * played in browse mode), and the manifest's launch data, mastery score, time limit, completion
 * threshold and scaled passing score (scoRuntimeSettings). Objective IDs are seeded separately:
 * they are read-write.
 */
export function serverOwnedCmi(version: ScormVersion, settings: ScoRuntimeSettings, learner: Learner, preview: boolean): FlatCmi {
  const name = `${learner.lastName}, ${learner.firstName}`;
  const fromManifest = Object.fromEntries(Object.entries(settings.cmi).filter(([element]) => !element.startsWith("cmi.objectives.")));
  if (version === "1.2") {
    return {
      "cmi.core.student_id": learner.username,
      "cmi.core.student_name": name.slice(0, 255),
      "cmi.core.credit": preview ? "no-credit" : "credit",
      "cmi.core.lesson_mode": preview ? "browse" : "normal",
      ...fromManifest,
    };
  }
  return {
    "cmi.learner_id": learner.username,
    "cmi.learner_name": name.slice(0, 250),
    "cmi.credit": preview ? "no-credit" : "credit",
    "cmi.mode": preview ? "browse" : "normal",
    ...fromManifest,
  };
}

/**
 * cmi.core.entry (SCORM 1.2 RTE 3.4.4) / cmi.entry (SCORM 2004 RTE 4.2.8):
 *   - "ab-initio" on the first launch in the attempt (no commit accepted yet);
 *   - "resume" when the last session ended suspended (exit "suspend", or 2004's suspendAll:
 *     session-end.ts endedSuspended); a 1.2 "logout" ends the course, so it resumes nothing;
 *   - "resume" when the last session never terminated (the tab crashed, the browser was killed):
 *     the learner was interrupted, not finished, and the SCO's saved place is theirs;
 *   - otherwise SCORM 1.2 says "" (launched before, not suspended: the SCO decides what that
 *     means), and SCORM 2004 "ab-initio": the last learner attempt ended, this is a new one.
 */
export function entryFor(version: ScormVersion, previous: { launchedBefore: boolean; suspended: boolean; endedAbnormally?: boolean }): Entry {
  if (!previous.launchedBefore) return "ab-initio";
  if (previous.endedAbnormally || previous.suspended) return "resume";
  return version === "1.2" ? "" : "ab-initio";
}

/** Per-session, write-only elements: a new session starts without them (RTE 4.2.8, 4.2.21). */
const SESSION_ELEMENTS: Record<ScormVersion, string[]> = {
  "1.2": ["cmi.core.exit", "cmi.core.session_time"],
  "2004": ["cmi.exit", "cmi.session_time"],
};

/**
 * The CMI a new session starts from: what the SCO saved (location, suspend data, objectives,
 * interactions...), less the last session's exit and session_time, with the LMS's own values over
 * it, the entry, the server's total time, and the manifest's objective IDs not yet present.
 */
export function sessionCmi(input: {
  version: ScormVersion;
  stored: FlatCmi;
  serverOwned: FlatCmi;
  objectiveIds: string[];
  entry: Entry;
  totalMs: number;
}): FlatCmi {
  const { version, stored } = input;
  const cmi: FlatCmi = {};
  for (const [element, value] of Object.entries(stored)) {
    if (SESSION_ELEMENTS[version].includes(element) || isReadOnly(version, element)) continue;
    // 1.2 "not attempted" is the LMS's initial value, not the SCO's word: loaded back, scorm-again
    // would take it as set by the SCO and never turn it into "incomplete" or "completed" on finish.
    if (element === "cmi.core.lesson_status" && value === "not attempted") continue;
    cmi[element] = value;
  }
  // RTE 4.2.17: the manifest's objectives are there from the start, after any the SCO made.
  const present = new Set(Object.entries(cmi).filter(([element]) => /^cmi\.objectives\.\d+\.id$/.test(element)).map(([, id]) => id));
  let next = Math.max(-1, ...Object.keys(cmi).flatMap((element) => /^cmi\.objectives\.(\d+)\./.exec(element)?.[1] ?? []).map(Number)) + 1;
  for (const id of input.objectiveIds) {
    if (!present.has(id)) cmi[`cmi.objectives.${next++}.id`] = id;
  }
  Object.assign(cmi, input.serverOwned);
  cmi[version === "1.2" ? "cmi.core.entry" : "cmi.entry"] = input.entry;
  cmi[version === "1.2" ? "cmi.core.total_time" : "cmi.total_time"] = formatTimespan(version, input.totalMs);
  return cmi;
}
