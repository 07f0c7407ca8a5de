// SCORM conformance: the sequencing-constrained-choice family (cases/sequencing-constrained-choice.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-constrained-choice.ts";

runFamily("sequencing-constrained-choice", cases);
