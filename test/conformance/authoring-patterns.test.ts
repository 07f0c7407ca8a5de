// SCORM conformance: the authoring-patterns family (cases/authoring-patterns.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/authoring-patterns.ts";

runFamily("authoring-patterns", cases);
