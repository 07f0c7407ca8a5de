// SCORM conformance: the sequencing-control-modes family (cases/sequencing-control-modes.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-control-modes.ts";

runFamily("sequencing-control-modes", cases);
