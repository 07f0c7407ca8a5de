// scorm-again's SCORM 1.2 API alone, from its own entry point: the 1.2 player bundle holds no 2004
// API and no sequencer (the root entry point holds both: 95 KB gzipped in one player bundle). Its
// minified build: terser's output gzips 1.3 KB smaller than esbuild's of the plain one, and its
// source map leads esbuild's back to scorm-again's own sources.
import * as scorm12 from "scorm-again/scorm12/min";
import type { ApiSettings, Scorm12Api } from "./scorm-again.ts";

// The module exports the class by name at run time; its .d.ts declares a default export.
const { Scorm12API } = scorm12 as unknown as { Scorm12API: new (settings: ApiSettings) => Scorm12Api };

export function createScorm12Api(settings: ApiSettings): Scorm12Api {
  return new Scorm12API(settings);
}
