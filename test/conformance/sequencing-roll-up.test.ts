// SCORM conformance: the sequencing-roll-up family (cases/sequencing-roll-up.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-roll-up.ts";

runFamily("sequencing-roll-up", cases);
