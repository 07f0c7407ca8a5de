// The launcher for SCORM 1.2 courses: scorm-again's 1.2 API only (launcher.ts), minified
// (scorm-again-12.ts says why).
import * as scorm12 from "scorm-again/scorm12/min";
import { CMI_MODEL_12 } from "../server/scorm/cmi-model-12.ts";
import { startLauncher } from "./launcher.ts";
import type { LocalApi } from "./sco-api.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { Scorm12API } = scorm12 as unknown as { Scorm12API: new (settings: Record<string, unknown>) => LocalApi };

startLauncher(CMI_MODEL_12, (settings) => new Scorm12API(settings));
