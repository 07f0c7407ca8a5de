// SCORM conformance: the sequencing-objectives family (cases/sequencing-objectives.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-objectives.ts";

runFamily("sequencing-objectives", cases);
