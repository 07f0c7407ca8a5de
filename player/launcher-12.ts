// The launcher for SCORM 1.2 courses: scorm-again's 1.2 API only (launcher.ts).
import * as scorm12 from "scorm-again/scorm12";
import { startLauncher } from "./launcher.ts";
import type { LocalApi } from "./sco-api.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { Scorm12API } = scorm12 as unknown as { Scorm12API: new (settings: Record<string, unknown>) => LocalApi };

startLauncher("1.2", (settings) => new Scorm12API(settings));
