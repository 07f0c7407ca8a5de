// SCORM 2004 4th Edition SN 3.10 with several objectives per activity: each objective the SCO
// reports (cmi.objectives, RTE 4.2.17) kept apart and shared through its own global objective
// (mapInfo, SN 3.10.3); rules that name the objective they test (referencedObjective, SN 3.4.3);
// only the primary objective rolling up (RB.1.2); a later write replacing an earlier one; the
// global objectives kept between sessions; and the remediation course they make: a pre-test whose
// objectives skip the lessons already known; after ADL's test suite cases OB-03a, OB-07a, OB-09a,
// CO-07a and MS-07, and the SN book's remediation example (SN 5, sequencing use cases).
import { expect } from "vitest";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import { FLOW_ONLY, performanceStatus, reports, rolledUp, sequencing, storedStatuses } from "../support/sequencing.ts";

const family = "sequencing-multiple-objectives";

const writes = (id: string, target: string) => ({ id, maps: [{ target, writeSatisfied: true, writeMeasure: true }] });
const reads = (id: string, target: string) => ({ id, maps: [{ target }] });
const skipIf = (objective: string) => ({ action: "skip", conditions: [{ condition: "satisfied", objective }] });

/** A lesson skipped once its objective, shared with the pre-test, is satisfied, and then not counted in the course's roll-up. */
function lesson(global: string): string {
  const ifNotSkipped = { requiredForSatisfied: "ifNotSkipped", requiredForNotSatisfied: "ifNotSkipped", requiredForCompleted: "ifNotSkipped", requiredForIncomplete: "ifNotSkipped" };
  return sequencing({ preConditionRules: [{ action: "skip", conditions: ["satisfied"] }], primaryObjective: { id: `${global}-known`, maps: [{ target: global, writeSatisfied: true }] }, rollupConsiderations: ifNotSkipped });
}

/** A SCO that reports each objective's success status (and measure), by the objective's index in cmi.objectives. */
function reportsObjectives(objectives: Array<{ id: string; success?: string; scaled?: string }>, overall: Record<string, string> = {}) {
  return [
    v2004.initialize(),
    ...objectives.flatMap(({ id, success, scaled }, index) => [
      v2004.get(`cmi.objectives.${index}.id`, id),
      ...(success ? [v2004.set(`cmi.objectives.${index}.success_status`, success)] : []),
      ...(scaled ? [v2004.set(`cmi.objectives.${index}.score.scaled`, scaled)] : []),
    ]),
    ...v2004.setAll(overall),
    v2004.terminate(),
  ];
}

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-MO-01",
    family,
    title: "two objectives of one SCO, passed and failed, go to their own global objectives: the SCO whose rule tests the first is skipped, the one testing the second is delivered",
    source: "SCORM 2004 4th SN 3.10 (objectives), 3.10.3 mapInfo, 3.4.3 referencedObjective; RTE 4.2.17 cmi.objectives.n.success_status; ADL test cases OB-07a, OB-09a",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ objectives: [writes("obj-a", "G-A"), writes("obj-b", "G-B")] }) },
        { id: "S2", sequencing: sequencing({ preConditionRules: [skipIf("a")], objectives: [reads("a", "G-A")] }) },
        { id: "S3", sequencing: sequencing({ preConditionRules: [skipIf("b")], objectives: [reads("b", "G-B")] }) },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reportsObjectives([{ id: "obj-a", success: "passed" }, { id: "obj-b", success: "failed" }]));
      h.queue("S3", [v2004.initialize(), v2004.get("cmi.objectives.0.id", "b"), v2004.get("cmi.objectives.0.success_status", "failed"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-MO-02",
    family,
    title: "one SCO starts with three objectives read from three global objectives: passed, failed and a measure, each in its own cmi.objectives entry",
    source: "SCORM 2004 4th RTE 4.2.17 (cmi.objectives initialised from the activity's objectives: success_status, score.scaled), SN 3.10.3 (readSatisfiedStatus, readNormalizedMeasure); ADL test cases OB-03a, MS-07",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ objectives: [writes("o1", "G1"), writes("o2", "G2"), writes("o3", "G3")] }) },
        { id: "S2", sequencing: sequencing({ objectives: [reads("r1", "G1"), reads("r2", "G2"), reads("r3", "G3")] }) },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reportsObjectives([{ id: "o1", success: "passed" }, { id: "o2", success: "failed" }, { id: "o3", scaled: "0.4" }]));
      h.queue("S2", [
        v2004.initialize(),
        v2004.get("cmi.objectives._count", "3"),
        v2004.get("cmi.objectives.0.id", "r1"),
        v2004.get("cmi.objectives.0.success_status", "passed"),
        v2004.get("cmi.objectives.1.id", "r2"),
        v2004.get("cmi.objectives.1.success_status", "failed"),
        v2004.get("cmi.objectives.2.id", "r3"),
        v2004.get("cmi.objectives.2.success_status", "unknown"),
        v2004.get("cmi.objectives.2.score.scaled", "0.4"),
        v2004.terminate(),
      ]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-MO-03",
    family,
    title: "only the primary objective rolls up: a SCO passed overall with another of its objectives failed leaves the course Passed",
    source: "SCORM 2004 4th SN 3.10 (the primary objective contributes to rollup), RB.1.2 Objective Rollup; RTE 4.2.22 cmi.success_status",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: sequencing({ primaryObjective: { id: "overall" }, objectives: [{ id: "detail" }] }) }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reportsObjectives([{ id: "overall" }, { id: "detail", success: "failed" }], { "cmi.success_status": "passed", "cmi.completion_status": "completed" }));
      await h.play();
      await h.launch("S1");
      await h.closed();
      await performanceStatus(h, "Passed");
      await rolledUp(h, { successStatus: "passed" });
    },
  },
  {
    id: "SEQ-MO-04",
    family,
    title: "two SCOs write the same global objective: the later write stands, so a post-test failed after a pre-test passed leaves the next SCO, which reads it, delivered",
    source: "SCORM 2004 4th SN 3.10.3 (several activities writing one global objective: the last write is its value), 3.4 skip; ADL test cases OB-09a, CO-07a",
    package: {
      version: "2004 4th",
      items: [
        { id: "PRE", sequencing: sequencing({ primaryObjective: writes("pre", "G-TOPIC") }) },
        { id: "POST", sequencing: sequencing({ primaryObjective: writes("post", "G-TOPIC") }) },
        { id: "REVIEW", sequencing: sequencing({ preConditionRules: [{ action: "skip", conditions: ["satisfied"] }], primaryObjective: reads("review", "G-TOPIC") }) },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("PRE", reports({ "cmi.success_status": "passed" }));
      h.queue("POST", reports({ "cmi.success_status": "failed" }));
      h.queue("REVIEW", [v2004.initialize(), v2004.get("cmi.objectives.0.success_status", "failed"), v2004.terminate()]);
      await h.play();
      await h.launch("PRE");
      await h.next();
      await h.launch("POST");
      await h.next();
      await h.launch("REVIEW");
    },
  },
  {
    id: "SEQ-MO-05",
    family,
    title: "global objectives are kept between sessions: an objective passed before Home still skips the SCO that reads it after the next Play",
    source: "SCORM 2004 4th SN 3.10.3 (global objectives), 4.2 tracking model persistence, 4.2.1 Resume All; README, The player window (the sequencer's state saved and restored)",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ primaryObjective: writes("one", "G-ONE") }) },
        { id: "S2" },
        { id: "S3", sequencing: sequencing({ preConditionRules: [{ action: "skip", conditions: ["satisfied"] }], primaryObjective: reads("three", "G-ONE") }) },
        { id: "S4" },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "passed" }));
      h.queue("S2", [v2004.initialize()], [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.home();
      await h.play();
      await h.launch("S2");
      await h.next();
      await h.launch("S4");
      expect(h.launchCount("S3")).toBe(0);
    },
  },
  {
    id: "SEQ-MO-06",
    family,
    title: "remediation: a pre-test with one objective per lesson skips the lesson already known and delivers the one not; the skipped lesson does not count (ifNotSkipped), so the course is completed and Passed once that lesson is",
    source: "SCORM 2004 4th SN 3.10 / 3.10.3 (an objective per lesson, shared through global objectives), 3.4 pre-condition skip, 3.9 rollup considerations (ifNotSkipped), RB.1.2, RB.1.3; ADL test cases OB-09a, CO-07a, RU-09; the SN book's remediation sequencing strategy",
    package: {
      version: "2004 4th",
      items: [
        { id: "PRETEST", sequencing: sequencing({ rollup: { objectiveSatisfied: false }, objectives: [writes("lesson-1", "G-LESSON-1"), writes("lesson-2", "G-LESSON-2")] }) },
        { id: "LESSON-1", sequencing: lesson("G-LESSON-1") },
        { id: "LESSON-2", sequencing: lesson("G-LESSON-2") },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("PRETEST", reportsObjectives([{ id: "lesson-1", success: "passed" }, { id: "lesson-2", success: "failed" }], { "cmi.success_status": "failed" }));
      h.queue("LESSON-2", [v2004.initialize(), v2004.get("cmi.objectives.0.success_status", "failed"), v2004.set("cmi.success_status", "passed"), v2004.terminate()]);
      await h.play();
      await h.launch("PRETEST");
      await h.next();
      await h.launch("LESSON-2");
      expect(h.launchCount("LESSON-1")).toBe(0);
      await h.next();
      await h.closed();
      expect(await storedStatuses(h)).toMatchObject({ PRETEST: { success: "failed" }, "LESSON-2": { success: "passed" } });
      await performanceStatus(h, "Passed");
      await rolledUp(h, { completionStatus: "completed", successStatus: "passed" });
    },
  },
];
