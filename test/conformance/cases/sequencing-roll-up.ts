// SCORM 2004 4th Edition SN 3.6-3.9 and the Overall Rollup Process (RB.1): how the course's own
// status comes from its SCOs: the default rules, rollup rules with each child activity set (all,
// any, none, atLeastCount, atLeastPercent), the rollup controls (rollupObjectiveSatisfied,
// rollupProgressCompletion, objectiveMeasureWeight), the rollup considerations (requiredFor*), and
// the course's Performance Status the LMS stores from it; after ADL's test suite cases RU-03b,
// RU-04ba, RU-05b, RU-07b, RU-17a/b, MS-02 and MS-03.
import { expect } from "vitest";
import type { ConformanceCase } from "../support/runner.ts";
import { FLOW_ONLY, performanceStatus, reports, rolledUp, sequencing, storedStatuses, terminated, type RollupRule, type Sequencing } from "../support/sequencing.ts";

const family = "sequencing-roll-up";

/** The organization: flow only, with these rollup rules and controls. */
function rootRollingUp(rollup: NonNullable<Sequencing["rollup"]>, extra: Sequencing = {}): string {
  return sequencing({ controlMode: { choice: false, flow: true }, rollup, ...extra });
}

const rule = (action: RollupRule["action"], childActivitySet: RollupRule["childActivitySet"], conditions: string[], more: Partial<RollupRule> = {}): RollupRule => ({ action, childActivitySet, conditions, ...more });

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-RU-01",
    family,
    title: "the default roll-up: the course stays Incomplete while a SCO is unattempted, and is completed and satisfied once every SCO is (Completed: the satisfaction is the LMS's default, nothing was assessed)",
    source: "SCORM 2004 4th SN 4.6 (default rollup rules: satisfied / completed if all), RB.1.2, RB.1.3, UP.4; the course's Performance Status from the root activity",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }], organizationSequencing: FLOW_ONLY },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      await performanceStatus(h, "Incomplete");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.closed();
      await performanceStatus(h, "Completed");
      await rolledUp(h, { completionStatus: "completed", successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-02",
    family,
    title: "rollupObjectiveSatisfied and rollupProgressCompletion false: an optional SCO left unattempted does not keep the course from being completed and passed",
    source: "SCORM 2004 4th SN 3.8 Rollup Controls (Rollup Objective Satisfied, Rollup Progress Completion), RB.1.4.2 (Check Child for Rollup); ADL test case RU-17b",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "OPTIONAL", sequencing: sequencing({ rollup: { objectiveSatisfied: false, progressCompletion: false } }) }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.completion_status": "completed", "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      await h.home();
      await performanceStatus(h, "Passed");
      await rolledUp(h, { completionStatus: "completed", successStatus: "passed" });
      expect(h.launchCount("OPTIONAL")).toBe(0);
    },
  },
  {
    id: "SEQ-RU-03",
    family,
    title: "a rollup rule 'satisfied if any satisfied': one SCO passed and one failed leave the course Passed",
    source: "SCORM 2004 4th SN 3.7 rollup rules (childActivitySet any), RB.1.2.b, RB.1.4 Rollup Rule Check; ADL test case RU-17a",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2" }],
      organizationSequencing: rootRollingUp({ rules: [rule("satisfied", "any", ["satisfied"]), rule("notSatisfied", "all", ["not satisfied"])] }),
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "failed" }));
      h.queue("S2", reports({ "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.closed();
      expect(await storedStatuses(h)).toMatchObject({ S1: { success: "failed" }, S2: { success: "passed" } });
      await performanceStatus(h, "Passed");
      await rolledUp(h, { successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-04",
    family,
    title: "a rollup rule 'satisfied if none failed' (none of them known and not satisfied): one SCO passed and one never attempted leave the course Passed",
    source: "SCORM 2004 4th SN 3.7.4 Rollup Child Activity Set none, 3.7.1 conditionCombination all, 3.7.3 operator not, RB.1.4; ADL test case RU-05b",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2" }],
      organizationSequencing: rootRollingUp({ rules: [rule("satisfied", "none", ["objectiveStatusKnown", "not satisfied"], { combination: "all" })] }),
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      await h.home();
      expect(h.launchCount("S2")).toBe(0);
      await performanceStatus(h, "Passed");
      await rolledUp(h, { successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-05",
    family,
    title: "'satisfied if at least 2 satisfied' of three: the course is Passed with one of the three failed",
    source: "SCORM 2004 4th SN 3.7.4 Rollup Child Activity Set atLeastCount (minimumCount), RB.1.4; ADL test case RU-03b",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }],
      organizationSequencing: rootRollingUp({ rules: [rule("satisfied", "atLeastCount", ["satisfied"], { minimumCount: 2 })] }),
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "passed" }));
      h.queue("S2", reports({ "cmi.success_status": "failed" }));
      h.queue("S3", reports({ "cmi.success_status": "passed" }));
      await h.play();
      for (const sco of ["S1", "S2", "S3"]) {
        await h.launch(sco);
        await h.next();
      }
      await h.closed();
      await performanceStatus(h, "Passed");
      await rolledUp(h, { successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-06",
    family,
    title: "'completed if at least 50% completed': with completion set by content, one completed SCO of two completes the course, whose success stays unknown (Completed)",
    source: "SCORM 2004 4th SN 3.7.4 atLeastPercent (minimumPercent), 3.13 completionSetByContent / objectiveSetByContent, RB.1.3; ADL test case RU-04ba",
    package: {
      version: "2004 4th",
      items: ["S1", "S2"].map((id) => ({ id, sequencing: sequencing({ deliveryControls: { completionSetByContent: true, objectiveSetByContent: true } }) })),
      organizationSequencing: rootRollingUp({ rules: [rule("completed", "atLeastPercent", ["completed"], { minimumPercent: 0.5 })] }),
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.completion_status": "completed" }));
      h.queue("S2", reports({ "cmi.completion_status": "incomplete" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await terminated(h, "S2");
      await h.home();
      expect(await storedStatuses(h)).toMatchObject({ S1: { completion: "completed" }, S2: { completion: "incomplete" } });
      await performanceStatus(h, "Completed");
      await rolledUp(h, { completionStatus: "completed", successStatus: "unknown" });
    },
  },
  {
    id: "SEQ-RU-07",
    family,
    title: "objectiveMeasureWeight: the course's measure is the weighted mean of its SCOs' scores, and decides its satisfaction by measure",
    source: "SCORM 2004 4th SN 3.8 (objectiveMeasureWeight), RB.1.1 Measure Rollup, RB.1.2.a Objective Rollup Using Measure; ADL test cases MS-02, MS-03",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ rollup: { objectiveMeasureWeight: 0.75 } }) },
        { id: "S2", sequencing: sequencing({ rollup: { objectiveMeasureWeight: 0.25 }, primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.5 } }) },
      ],
      organizationSequencing: rootRollingUp({}, { primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.7 } }),
    },
    async run(h) {
      // Weighted: 0.9 x 0.75 + 0.4 x 0.25 = 0.775, at least 0.7; an unweighted mean (0.65) would not be.
      h.queue("S1", reports({ "cmi.score.scaled": "0.9" }));
      h.queue("S2", reports({ "cmi.score.scaled": "0.4" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.closed();
      expect(await storedStatuses(h)).toMatchObject({ S2: { success: "failed" } });
      await performanceStatus(h, "Passed");
      await rolledUp(h, { successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-08",
    family,
    title: "requiredForSatisfied and requiredForCompleted 'ifAttempted': a SCO never attempted does not count, so the course is Passed without it",
    source: "SCORM 2004 4th SN 3.9 Rollup Consideration Controls (adlseq:rollupConsiderations), RB.1.4.2 Check Child for Rollup; ADL test case RU-07b",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1" },
        { id: "EXTRA", sequencing: sequencing({ rollupConsiderations: { requiredForSatisfied: "ifAttempted", requiredForNotSatisfied: "ifAttempted", requiredForCompleted: "ifAttempted", requiredForIncomplete: "ifAttempted" } }) },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.completion_status": "completed", "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      await h.home();
      await performanceStatus(h, "Passed");
      await rolledUp(h, { completionStatus: "completed", successStatus: "passed" });
    },
  },
  {
    id: "SEQ-RU-09",
    family,
    title: "the course's own roll-up decides its Performance Status: two SCOs each passed, whose weighted measure falls short of the course's minNormalizedMeasure, leave the course Failed",
    source: "SCORM 2004 4th SN RB.1.1 Measure Rollup, RB.1.2.a Objective Rollup Using Measure (the root activity's status is the course's); UP.4 (each SCO passed by default); ADL test cases MS-02, MS-03",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ rollup: { objectiveMeasureWeight: 0.25 } }) },
        { id: "S2", sequencing: sequencing({ rollup: { objectiveMeasureWeight: 0.75 } }) },
      ],
      organizationSequencing: rootRollingUp({}, { primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.7 } }),
    },
    async run(h) {
      // Weighted: 0.9 x 0.25 + 0.5 x 0.75 = 0.6, short of 0.7; each SCO says nothing of success, so each is passed when it ends.
      h.queue("S1", reports({ "cmi.score.scaled": "0.9" }));
      h.queue("S2", reports({ "cmi.score.scaled": "0.5" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.closed();
      expect(await storedStatuses(h)).toMatchObject({ S1: { success: "passed" }, S2: { success: "passed" } });
      await rolledUp(h, { completionStatus: "completed", successStatus: "failed" });
      await performanceStatus(h, "Failed");
    },
  },
];
