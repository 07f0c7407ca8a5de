// SCORM conformance: the api-2004 family (cases/api-2004.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/api-2004.ts";

runFamily("api-2004", cases);
