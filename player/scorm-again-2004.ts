// scorm-again's SCORM 2004 API and its sequencer, from their own entry point, minified (see
// scorm-again-12.ts for why).
import * as scorm2004 from "scorm-again/scorm2004/min";
import type { ApiSettings, Scorm2004Api } from "./scorm-again.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: ApiSettings) => Scorm2004Api };

export function createScorm2004Api(settings: ApiSettings): Scorm2004Api {
  return new Scorm2004API(settings);
}
