// The conformance suite's families, in the order of README.md's "SCORM conformance" table. The
// run-time ones follow ADL's SCORM 2004 4th Edition test suite (API, data model) and the SCORM 1.2
// RTE; the sequencing families (control modes, constrained choice, objectives, roll-up, sequencing
// rules, limit conditions, multiple objectives) follow the SN book and ADL's LMS test packages
// (CM-*, CO-*, OB-*, RU-*, SX-*, MS-*), each case naming the ones it follows.
import type { ConformanceCase } from "./support/runner.ts";
import { cases as api12 } from "./cases/api-12.ts";
import { cases as dataModel12 } from "./cases/data-model-12.ts";
import { cases as api2004 } from "./cases/api-2004.ts";
import { cases as dataModel2004 } from "./cases/data-model-2004.ts";
import { cases as authoringPatterns } from "./cases/authoring-patterns.ts";
import { cases as issue17 } from "./cases/issue-17.ts";
import { cases as sequencingControlModes } from "./cases/sequencing-control-modes.ts";
import { cases as sequencingConstrainedChoice } from "./cases/sequencing-constrained-choice.ts";
import { cases as sequencingObjectives } from "./cases/sequencing-objectives.ts";
import { cases as sequencingRollUp } from "./cases/sequencing-roll-up.ts";
import { cases as sequencingRules } from "./cases/sequencing-rules.ts";
import { cases as sequencingLimitConditions } from "./cases/sequencing-limit-conditions.ts";
import { cases as sequencingMultipleObjectives } from "./cases/sequencing-multiple-objectives.ts";

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
  { id: "sequencing-control-modes", name: "SCORM 2004 sequencing: control modes", cases: sequencingControlModes },
  { id: "sequencing-constrained-choice", name: "SCORM 2004 sequencing: constrained choice", cases: sequencingConstrainedChoice },
  { id: "sequencing-objectives", name: "SCORM 2004 sequencing: objectives", cases: sequencingObjectives },
  { id: "sequencing-roll-up", name: "SCORM 2004 sequencing: roll-up", cases: sequencingRollUp },
  { id: "sequencing-rules", name: "SCORM 2004 sequencing: sequencing rules", cases: sequencingRules },
  { id: "sequencing-limit-conditions", name: "SCORM 2004 sequencing: limit conditions", cases: sequencingLimitConditions },
  { id: "sequencing-multiple-objectives", name: "SCORM 2004 sequencing: multiple objectives", cases: sequencingMultipleObjectives },
];
