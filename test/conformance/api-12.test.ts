// SCORM conformance: the api-12 family (cases/api-12.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/api-12.ts";

runFamily("api-12", cases);
