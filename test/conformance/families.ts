// The conformance suite's families, in the order of README.md's "SCORM conformance" table. The
// run-time ones follow ADL's SCORM 2004 4th Edition test suite (API, data model) and the SCORM 1.2
// RTE; the sequencing families (control modes, constrained choice, objectives, roll-up, sequencing
// rules, limit conditions, multiple objectives) are added here with their case modules.
import type { ConformanceCase } from "./support/runner.ts";
import { cases as api12 } from "./cases/api-12.ts";
import { cases as dataModel12 } from "./cases/data-model-12.ts";
import { cases as api2004 } from "./cases/api-2004.ts";
import { cases as dataModel2004 } from "./cases/data-model-2004.ts";
import { cases as authoringPatterns } from "./cases/authoring-patterns.ts";
import { cases as issue17 } from "./cases/issue-17.ts";

export interface Family {
  id: string;
  /** As README.md's table names it. */
  name: string;
  cases: ConformanceCase[];
}

export const FAMILIES: Family[] = [
  { id: "api-12", name: "SCORM 1.2 API", cases: api12 },
  { id: "data-model-12", name: "SCORM 1.2 data model", cases: dataModel12 },
  { id: "api-2004", name: "SCORM 2004 API", cases: api2004 },
  { id: "data-model-2004", name: "SCORM 2004 data model", cases: dataModel2004 },
  { id: "authoring-patterns", name: "Authoring tools' patterns", cases: authoringPatterns },
  { id: "issue-17", name: "Issue 17's observed bugs", cases: issue17 },
];
