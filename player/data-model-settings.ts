// scorm-again settings that decide how the data model behaves. The launcher's API (which answers
// the SCO) and the player window's (which commits what the SCO did) must agree on every one of
// them, or the two would drift apart: both take them from here.
export const DATA_MODEL_SETTINGS = {
  // SCORM 1.2: a SCO that finishes with lesson_status still "not attempted" has completed it, as
  // Moodle and SCORM Cloud take it (older content never sets a status). scorm-again's default
  // would make it "incomplete" for ever.
  autoCompleteLessonStatus: true,
  // scorm-again LogLevel: ERROR.
  logLevel: 4,
} as const;
