// SCORM 2004 4th Edition SN 3.10, objectives: an activity's primary and other objectives, the
// status the SCO reports for them (RTE 4.2.17, 4.2.22), satisfiedByMeasure with its
// minNormalizedMeasure, the End Attempt defaults (SN UP.4, objectiveSetByContent), and mapInfo to
// global objectives, written by one activity and read by another (SN 3.10.3), whose rules then
// skip it; after ADL's test suite cases OB-01a, OB-01c, OB-03a, OB-14a/b and OB-17a.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import { FLOW_ONLY, reports, sequencing, storedStatuses, terminated, type Sequencing } from "../support/sequencing.ts";

const family = "sequencing-objectives";
const SKIP_IF_SATISFIED = { action: "skip", conditions: ["satisfied"] };

/** S1 writes its primary objective to global G1; S2 reads it as its own and is skipped once satisfied; S3 follows. */
function sharedPrimary(writer: Sequencing = {}): PackageSpec {
  return {
    version: "2004 4th",
    items: [
      { id: "S1", sequencing: sequencing({ ...writer, primaryObjective: { id: "PRIMARY-1", ...writer.primaryObjective, maps: [{ target: "G1", writeSatisfied: true }] } }) },
      { id: "S2", sequencing: sequencing({ preConditionRules: [SKIP_IF_SATISFIED], primaryObjective: { id: "PRIMARY-2", maps: [{ target: "G1" }] } }) },
      { id: "S3" },
    ],
    organizationSequencing: FLOW_ONLY,
  };
}

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-OB-01",
    family,
    title: "a SCO's passed, written to a global objective, satisfies the next SCO that reads it, whose rule then skips it; objectives are initialised by ID, case-sensitively",
    source: "SCORM 2004 4th SN 3.10.3 mapInfo (writeSatisfiedStatus, readSatisfiedStatus), 3.4 pre-condition skip; RTE 4.2.17 (cmi.objectives initialised with the activity's objective IDs); ADL test case OB-01a",
    package: {
      ...sharedPrimary(),
      items: [
        ...sharedPrimary().items.slice(0, 2),
        { id: "S3", sequencing: sequencing({ primaryObjective: { id: "OBJ" }, objectives: [{ id: "obj" }, { id: "Obj" }] }) },
      ],
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "passed" }));
      h.queue("S3", [
        v2004.initialize(),
        v2004.get("cmi.objectives._count", "3"),
        v2004.get("cmi.objectives.0.id", "OBJ"),
        v2004.get("cmi.objectives.1.id", "obj"),
        v2004.get("cmi.objectives.2.id", "Obj"),
        v2004.terminate(),
      ]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-OB-02",
    family,
    title: "a SCO's failed, written to a global objective, leaves the next SCO to be delivered, and that SCO finds the status in cmi.objectives",
    source: "SCORM 2004 4th SN 3.10.3 mapInfo read, 3.4 pre-condition skip (not satisfied: not skipped); RTE 4.2.17.3 (cmi.objectives.n.success_status initialised from the objective's satisfied status); ADL test case OB-01a",
    package: sharedPrimary(),
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "failed" }));
      h.queue("S2", [v2004.initialize(), v2004.get("cmi.objectives._count", "1"), v2004.get("cmi.objectives.0.id", "PRIMARY-2"), v2004.get("cmi.objectives.0.success_status", "failed"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-OB-03",
    family,
    title: "satisfiedByMeasure: a score at or above minNormalizedMeasure satisfies the objective though the SCO says nothing of success; the SCO is passed and the next SCO, reading it, skipped",
    source: "SCORM 2004 4th SN 3.10 (satisfiedByMeasure, minNormalizedMeasure), RB.1.2.a Objective Rollup Using Measure; RTE 4.2.19 cmi.scaled_passing_score, 4.2.22; ADL test cases OB-01c, OB-14a",
    package: sharedPrimary({ primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.6 } }),
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.get("cmi.scaled_passing_score", "0.6"), v2004.set("cmi.score.scaled", "0.8"), v2004.get("cmi.success_status", "passed"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect((await storedStatuses(h)).S1).toMatchObject({ success: "passed" });
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-OB-04",
    family,
    title: "satisfiedByMeasure: a score below minNormalizedMeasure fails the objective, even where the SCO says passed; the next SCO is delivered",
    source: "SCORM 2004 4th SN 3.10 (satisfiedByMeasure: the measure decides), RB.1.2.a; RTE 4.2.22 (success_status evaluated against scaled_passing_score); ADL test case OB-14b",
    package: sharedPrimary({ primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.6 } }),
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.score.scaled", "0.4"), v2004.set("cmi.success_status", "passed"), v2004.get("cmi.success_status", "failed"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect((await storedStatuses(h)).S1).toMatchObject({ success: "failed" });
      await h.next();
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-OB-05",
    family,
    title: "a normalized measure written to a global objective skips a SCO whose rule asks for a measure above a threshold, and reaches another SCO's cmi.objectives as its score",
    source: "SCORM 2004 4th SN 3.10.3 (writeNormalizedMeasure, readNormalizedMeasure), 3.4.2 objectiveMeasureGreaterThan; RTE 4.2.17 (cmi.objectives.n.score.scaled from the objective's measure); ADL test case OB-03a",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ objectives: [{ id: "topic", maps: [{ target: "G-TOPIC", writeMeasure: true }] }] }) },
        {
          id: "S2",
          sequencing: sequencing({
            preConditionRules: [{ action: "skip", conditions: [{ condition: "objectiveMeasureGreaterThan", threshold: 0.7, objective: "topic" }] }],
            objectives: [{ id: "topic", maps: [{ target: "G-TOPIC" }] }],
          }),
        },
        { id: "S3", sequencing: sequencing({ objectives: [{ id: "topic-seen", maps: [{ target: "G-TOPIC" }] }] }) },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.get("cmi.objectives.0.id", "topic"), v2004.set("cmi.objectives.0.score.scaled", "0.75"), v2004.terminate()]);
      h.queue("S3", [v2004.initialize(), v2004.get("cmi.objectives.0.id", "topic-seen"), v2004.get("cmi.objectives.0.score.scaled", "0.75"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-OB-06",
    family,
    title: "End Attempt defaults: a silent SCO's objective is satisfied when its attempt ends, written to the global objective, and the SCO reading it is skipped",
    source: "SCORM 2004 4th SN UP.4 End Attempt Process (objectiveSetByContent false: satisfied), 3.13 deliveryControls, 3.10.3 mapInfo write",
    package: sharedPrimary(),
    async run(h) {
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
      expect((await storedStatuses(h)).S1).toEqual({ completion: "completed", success: "passed" });
    },
  },
  {
    id: "SEQ-OB-07",
    family,
    title: "objectiveSetByContent: a silent SCO's objective stays unknown when its attempt ends, so the SCO reading it is delivered",
    source: "SCORM 2004 4th SN 3.13 deliveryControls objectiveSetByContent, UP.4 (no default satisfaction); ADL test case OB-17a",
    package: sharedPrimary({ deliveryControls: { objectiveSetByContent: true } }),
    async run(h) {
      h.queue("S2", [v2004.initialize(), v2004.get("cmi.objectives.0.success_status", "unknown"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      expect((await storedStatuses(h)).S1).toMatchObject({ completion: "completed", success: "unknown" });
    },
  },
  {
    id: "SEQ-OB-08",
    family,
    title: "a primary objective without an objectiveID has no entry in cmi.objectives, beside the named one that has; its satisfiedByMeasure still decides the SCO's success",
    source: "SCORM 2004 4th RTE 4.2.17 (cmi.objectives: the objectives the manifest identifies), 4.2.19; SN 3.10 (objectiveID optional for the primary objective); ADL test case OB-03a (an unnamed primary beside named objectives)",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: sequencing({ primaryObjective: { satisfiedByMeasure: true, minNormalizedMeasure: 0.6 }, objectives: [{ id: "topic" }] }) }, { id: "S2" }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.objectives._count", "1"),
        v2004.get("cmi.objectives.0.id", "topic"),
        v2004.get("cmi.scaled_passing_score", "0.6"),
        v2004.set("cmi.score.scaled", "0.7"),
        v2004.get("cmi.success_status", "passed"),
        v2004.terminate(),
      ]);
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect((await storedStatuses(h)).S1).toMatchObject({ success: "passed" });
    },
  },
];
