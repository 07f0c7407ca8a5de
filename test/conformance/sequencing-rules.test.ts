// SCORM conformance: the sequencing-rules family (cases/sequencing-rules.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/sequencing-rules.ts";

runFamily("sequencing-rules", cases);
