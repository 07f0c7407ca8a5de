// SCORM conformance: the data-model-12 family (cases/data-model-12.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/data-model-12.ts";

runFamily("data-model-12", cases);
