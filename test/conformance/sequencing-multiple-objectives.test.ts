// SCORM conformance: the sequencing-multiple-objectives family (cases/sequencing-multiple-objectives.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-multiple-objectives.ts";

runFamily("sequencing-multiple-objectives", cases);
