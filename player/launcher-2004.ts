// The launcher for SCORM 2004 courses: scorm-again's 2004 API only (launcher.ts), minified
// (scorm-again-12.ts says why). It runs no sequencer: that is the player window's, which answers
// adl.nav.request_valid.* for it (scorm-again's 2004 entry point bundles its sequencer all the same).
import * as scorm2004 from "scorm-again/scorm2004/min";
import { CMI_MODEL_2004 } from "../server/scorm/cmi-model-2004.ts";
import { startLauncher } from "./launcher.ts";
import type { LocalApi } from "./sco-api.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: Record<string, unknown>) => LocalApi };

startLauncher(CMI_MODEL_2004, (settings) => new Scorm2004API(settings));
