// SCORM conformance: the data-model-2004 family (cases/data-model-2004.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/data-model-2004.ts";

runFamily("data-model-2004", cases);
