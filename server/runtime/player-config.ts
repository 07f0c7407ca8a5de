import type { ScormVersion } from "../scorm/contract.ts";
import type { SequencingSettings } from "../scorm/manifest/runtime-settings.ts";
import type { LessonStatus } from "../scorm/prerequisites.ts";

/**
 * What the player window page hands its script, as JSON in a <script type="application/json">
 * block (the LMS's CSP allows no inline script). The player imports this type only.
 */
export interface PlayerConfig {
  attemptId: number;
  courseTitle: string;
  scormVersion: ScormVersion;
  /** An author's preview: recorded like any attempt, credits nothing. */
  preview: boolean;
  /** Sent as X-CSRF-Token on commits, and inside beacon bodies as `_csrf`. */
  csrfToken: string;
  /** The content origin: the only origin whose messages the player accepts, and the only target it posts to. */
  contentOrigin: string;
  /** The launcher for a SCO is `${launcherBase}${encodeURIComponent(scoId)}` (a signed token is inside). */
  launcherBase: string;
  /** `${runtimeBase}${encodeURIComponent(scoId)}/state` and `.../commit` (server/scorm/contract.ts). */
  runtimeBase: string;
  /** Launchable items in organization order: the table of contents, and SCORM 1.2's navigation order. */
  scos: PlayerSco[];
  /** Where to resume: the SCO the learner was last in, unless it is finished (then the next unfinished). */
  resumeScoId: string | null;
  /** SCORM 2004 only: scorm-again's `sequencing` settings built from the manifest. */
  sequencing: SequencingSettings | null;
  /** SCORM 2004 only: the sequencer's state as last saved (contract.ts SequencingStateRequest), to restore before starting. */
  sequencingState: string | null;
  /** SCORM 2004 only: where the player saves the sequencer's state. */
  sequencingStateUrl: string | null;
  /** Where the window goes when it cannot close itself (it was opened in a tab, not by script). */
  exitUrl: string;
}

export interface PlayerSco {
  id: string;
  title: string;
  /** Nesting depth in the organization (0 for a top-level item), for the table of contents. */
  depth: number;
  /** False for items the manifest hides (isvisible="false"): sequencing may deliver them; the contents list omits them. */
  visible: boolean;
  /** A resource of scormType asset: it cannot talk to the LMS, and counts as completed once delivered. */
  asset: boolean;
  completed: boolean;
  /** SCORM 1.2: the item's adlcp:prerequisites script (prerequisites.ts), or null. */
  prerequisites: string | null;
  /** SCORM 1.2: the SCO's lesson status as stored, for its prerequisites and others'. */
  lessonStatus: LessonStatus;
}
