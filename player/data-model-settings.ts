// scorm-again settings that decide how the data model behaves. The launcher's API (which answers
// the SCO) and the player window's (which commits what the SCO did) must agree on every one of
// them, or the two would drift apart: both take them from here.
export const DATA_MODEL_SETTINGS = {
  // scorm-again LogLevel: ERROR.
  logLevel: 4,
} as const;
