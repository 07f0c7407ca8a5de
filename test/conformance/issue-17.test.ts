// SCORM conformance: the issue-17 family (cases/issue-17.ts), in real Chromium through the player window.
import { runFamily } from "./support/runner.ts";
import { cases } from "./cases/issue-17.ts";

runFamily("issue-17", cases);
