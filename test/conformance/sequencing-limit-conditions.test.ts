// SCORM conformance: the sequencing-limit-conditions family (cases/sequencing-limit-conditions.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-limit-conditions.ts";

runFamily("sequencing-limit-conditions", cases);
