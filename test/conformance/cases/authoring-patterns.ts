// What real authoring tools' output does, as issue 17 lists it: find the API through nested
// frames and through a window's opener, write long 1.2 suspend data, append interactions at
// _count, report only progress_measure, call only Initialize and Terminate, ship assets only,
// chain SCOs with prerequisites, navigate with adl.nav.request, and finish in an unload handler.
import { expect } from "vitest";
import { parseTimespan } from "../../../server/scorm/time.ts";
import { scoPage, type PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { onUnload, popup, repeat, terminateWith, v12, v2004 } from "../support/script.ts";

const FLOW = `<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>`;
const FINISHED = /^(Completed|Passed)$/;

export const cases: ConformanceCase[] = [
  {
    id: "AP-01",
    family: "authoring-patterns",
    title: "a SCO two frames down finds API_1484_11 by walking its parents",
    source: "SCORM 2004 4th RTE 3.1 (finding the API instance: the window's parents); content in a frameset of its own",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", page: `<!DOCTYPE html><html lang="en"><title>Course</title><iframe src="frames/outer.html" title="course"></iframe></html>` }],
      files: {
        "frames/outer.html": `<!DOCTYPE html><html lang="en"><title>Outer</title><iframe src="inner/S1.html" title="lesson"></iframe></html>`,
        "frames/inner/S1.html": scoPage("S1", "2004 4th", "../../test-sco.js"),
      },
    },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.location", "frames"), v2004.set("cmi.completion_status", "completed"), v2004.terminate()]);
      await h.play();
      const launch = await h.launch("S1");
      expect(launch.url).toMatch(/\/frames\/inner\/S1\.html$/);
      await h.closed();
      expect(await h.cmi("S1")).toMatchObject({ location: "frames", completion_status: "completed" });
    },
  },
  {
    id: "AP-02",
    family: "authoring-patterns",
    title: "content opened in a new window by its launch page finds API through the opener",
    source: "SCORM 1.2 RTE 3.3 (finding the API: the window's parents, then its opener's); \"launch in a new window\" players",
    package: { version: "1.2", items: [{ id: "S1" }] },
    async run(h) {
      h.queue("S1", [popup([v12.initialize(), v12.set("cmi.core.lesson_location", "popup"), v12.set("cmi.core.lesson_status", "completed"), v12.terminate()])]);
      await h.play();
      await h.launch("S1", { until: "popup" });
      await h.closed();
      expect((await h.cmi("S1")).core).toMatchObject({ lesson_location: "popup", lesson_status: "completed" });
    },
  },
  {
    id: "AP-03",
    family: "authoring-patterns",
    title: "SCORM 1.2 suspend data beyond 4,096 characters is kept and comes back whole",
    source: "SCORM 1.2 RTE 3.4 cmi.suspend_data (CMIString4096), as SCORM Cloud keeps longer; Storyline and Captivate write more",
    package: { version: "1.2", items: [{ id: "S1" }] },
    async run(h) {
      const state = Array.from({ length: 12_000 }, (_, index) => "slide|state;"[index % 12]).join("");
      h.queue(
        "S1",
        [
          v12.initialize(),
          v12.set("cmi.suspend_data", state.slice(0, 3_000)),
          v12.commit(),
          v12.set("cmi.suspend_data", state),
          v12.commit(),
          v12.set("cmi.core.lesson_status", "incomplete"),
          v12.set("cmi.core.exit", "suspend"),
          v12.terminate(),
        ],
        [v12.initialize(), v12.get("cmi.core.entry", "resume"), v12.get("cmi.suspend_data", state)],
      );
      await h.session("S1");
      expect((await h.cmi("S1")).suspend_data).toBe(state);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "AP-04",
    family: "authoring-patterns",
    title: "a SCORM 1.2 quiz appending five interactions at cmi.interactions._count stores five, each with its own answers",
    source: "SCORM 1.2 RTE 3.4 cmi.interactions (_count, write-only n.*); quiz output of Storyline, iSpring, Captivate",
    package: { version: "1.2", items: [{ id: "S1", masteryScore: 80 }] },
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        repeat(5, "i", [
          v12.read("cmi.interactions._count", "n"),
          ...v12.setAll({
            "cmi.interactions.${n}.id": "Question_${i}",
            "cmi.interactions.${n}.type": "choice",
            "cmi.interactions.${n}.student_response": "answer_${i}",
            "cmi.interactions.${n}.result": "correct",
            "cmi.interactions.${n}.correct_responses.0.pattern": "answer_${i}",
            "cmi.interactions.${n}.objectives.0.id": "Quiz_1",
          }),
        ]),
        v12.get("cmi.interactions._count", "5"),
        ...v12.setAll({ "cmi.core.score.raw": "100", "cmi.core.score.max": "100", "cmi.core.score.min": "0", "cmi.core.lesson_status": "passed" }),
        v12.terminate(),
      ]);
      await h.play();
      const launch = await h.launch("S1", { check: false });
      await h.closed();
      const interactions = Object.values(((await h.cmi("S1")).interactions ?? {}) as Record<string, { id: string; student_response: string }>);
      expect(interactions.map(({ id, student_response }) => [id, student_response])).toEqual([0, 1, 2, 3, 4].map((i) => [`Question_${i}`, `answer_${i}`]));
      expect((await h.attempt()).performance_status).toBe("Passed");
      launch.expectAsSpecified();
    },
  },
  {
    id: "AP-05",
    family: "authoring-patterns",
    title: "a SCO that reports only progress_measure, under a manifest completion threshold, completes",
    source: "SCORM 2004 4th RTE 4.2.4.1, 4.2.18; CAM adlcp:completionThreshold (completedByMeasure, minProgressMeasure)",
    package: { version: "2004 4th", items: [{ id: "S1", completionThreshold: 0.8 }] },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.progress_measure", "0.5"), v2004.commit(), v2004.set("cmi.progress_measure", "1"), v2004.terminate()]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ progress_measure: "1" });
      expect((await h.scoRows())[0]?.completionStatus).toBe("completed");
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "AP-13",
    family: "authoring-patterns",
    title: "a SCO that reports only progress_measure past the threshold and is left running at Home has finished: its attempt ends (no suspend) and it is completed, as if it had terminated itself",
    source: "SCORM 2004 4th RTE 4.2.4.1 (the threshold decides completion_status), 4.2.8 cmi.exit; SN UP.4 End Attempt Process",
    package: { version: "2004 4th", items: [{ id: "S1", completionThreshold: 0.8 }] },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.progress_measure", "0.9"), v2004.commit()]);
      await h.play();
      await h.launch("S1");
      await h.home();
      expect(await h.cmi("S1")).not.toMatchObject({ exit: "suspend" });
      expect((await h.scoRows())[0]?.completionStatus).toBe("completed");
      expect((await h.attempt()).performance_status).toBe("Completed");
    },
  },
  {
    id: "AP-06",
    family: "authoring-patterns",
    title: "a SCORM 2004 SCO that calls only Initialize and Terminate completes (completionSetByContent false)",
    source: "SCORM 2004 4th SN deliveryControls completionSetByContent, objectiveSetByContent (default false); SN UP.4 End Attempt Process",
    package: { version: "2004 4th", items: [{ id: "S1" }] },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.terminate()]);
      await h.session("S1");
      expect((await h.scoRows())[0]?.completionStatus).toBe("completed");
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "AP-07",
    family: "authoring-patterns",
    title: "a SCORM 1.2 course of assets only is delivered page by page and completes",
    source: "SCORM 1.2 CAM adlcp:scormtype asset (no API); SCORM Cloud counts a launched asset as completed",
    package: { version: "1.2", items: [{ id: "A1", type: "asset" }, { id: "A2", type: "asset" }] },
    async run(h) {
      await h.play();
      await h.launch("A1");
      await h.next();
      await h.launch("A2");
      await h.home();
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "AP-08",
    family: "authoring-patterns",
    title: "SCORM 1.2 SCOs chained by prerequisites open one after another as each is completed",
    source: "SCORM 1.2 CAM adlcp:prerequisites (AICC script)",
    package: { version: "1.2", items: [{ id: "S1" }, { id: "S2", prerequisites: "S1" }, { id: "S3", prerequisites: "S1 & S2" }] },
    async run(h) {
      const complete = [v12.initialize(), v12.set("cmi.core.lesson_status", "completed"), v12.terminate()];
      // The first session leaves S1 unfinished: S2 and S3 stay locked.
      h.queue("S1", [v12.initialize(), v12.set("cmi.core.lesson_status", "incomplete")], complete);
      h.queue("S2", complete);
      h.queue("S3", complete);
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).choosable).toEqual(["S1"]);
      await h.home();
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
      await h.launch("S3");
      await h.closed();
      expect((await h.scoRows()).map((row) => row.completionStatus)).toEqual(["completed", "completed", "completed"]);
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "AP-09",
    family: "authoring-patterns",
    title: "the SCO's own Continue, Previous and Exit (adl.nav.request, then Terminate) move the course",
    source: "SCORM 2004 4th RTE 4.4.1 adl.nav.request; SN 4.4 navigation requests continue, previous, exitAll",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }], organizationSequencing: FLOW },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.completion_status", "completed"), ...terminateWith("continue")], [v2004.initialize(), ...terminateWith("exitAll")]);
      h.queue("S2", [v2004.initialize(), v2004.set("cmi.completion_status", "completed"), ...terminateWith("previous")]);
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
      await h.launch("S1");
      await h.closed();
      const requests = (await h.commits()).filter((commit) => commit.isTerminateCommit).map((commit) => [commit.scoId, commit.navRequest]);
      expect(requests).toEqual([
        ["S1", "continue"],
        ["S2", "previous"],
        ["S1", "exitAll"],
      ]);
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "AP-10",
    family: "authoring-patterns",
    title: "a SCORM 1.2 SCO that saves and calls LMSFinish only in its unload handler has it all stored when the learner leaves with Home",
    source: "SCORM 1.2 RTE 3.3 LMSFinish (\"the SCO ... when it is unloaded\"); content finishing in onunload",
    package: { version: "1.2", items: [{ id: "S1" }] },
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core.lesson_location", "page-4"),
        v12.set("cmi.core.lesson_status", "incomplete"),
        onUnload([v12.set("cmi.core.session_time", "0000:00:42.00"), v12.set("cmi.core.exit", "suspend"), v12.commit(), v12.terminate()]),
      ]);
      await h.play();
      await h.launch("S1");
      await h.home();
      await h.launch("S1", { until: "unload" });
      const core = (await h.cmi("S1")).core as { session_time?: string };
      expect(core).toMatchObject({ lesson_location: "page-4", exit: "suspend" });
      expect(parseTimespan("1.2", core.session_time ?? "")).toBe(42_000);
      expect((await h.commits("S1")).at(-1)?.isTerminateCommit).toBe(true);
    },
  },
  {
    id: "AP-11",
    family: "authoring-patterns",
    title: "a SCORM 2004 SCO that terminates in its unload handler, when the learner presses Next, is stored and the next SCO delivered",
    source: "SCORM 2004 4th RTE 3.1 Terminate; SN 4.4 continue (the LMS's own Continue)",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }], organizationSequencing: FLOW },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.completion_status", "completed"), onUnload([v2004.set("cmi.session_time", "PT42S"), v2004.terminate()])]);
      h.queue("S2", [v2004.initialize()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S1", { until: "unload" });
      await h.launch("S2");
      const stored = await h.cmi("S1");
      expect(stored).toMatchObject({ completion_status: "completed" });
      expect(parseTimespan("2004", String(stored.session_time))).toBe(42_000);
      expect((await h.commits("S1")).at(-1)).toMatchObject({ isTerminateCommit: true, navRequest: "continue" });
    },
  },
  {
    id: "AP-12",
    family: "authoring-patterns",
    title: "SCORM 1.2 SCOs chained by prerequisites that report nothing and call LMSFinish as they unload: Next is offered from each, and opens the next",
    source: "SCORM 1.2 CAM adlcp:prerequisites (AICC script); issue 17 item 3 (LMSFinish completes a lesson_status still 'not attempted', as Moodle and SCORM Cloud do)",
    package: { version: "1.2", items: [{ id: "S1" }, { id: "S2", prerequisites: "S1" }, { id: "S3", prerequisites: "S2" }] },
    async run(h) {
      for (const sco of ["S1", "S2", "S3"]) h.queue(sco, [v12.initialize(), onUnload([v12.terminate()])]);
      await h.play();
      await h.launch("S1");
      // S1 will be completed when it ends, which is what Next does first: S2 is open to Next.
      expect((await h.controls()).next.enabled, "Next from S1").toBe(true);
      await h.next();
      await h.launch("S2");
      expect((await h.controls()).next.enabled, "Next from S2").toBe(true);
      await h.next();
      await h.launch("S3");
      await h.home();
      expect((await h.scoRows()).map((row) => row.completionStatus)).toEqual(["completed", "completed", "completed"]);
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
];
