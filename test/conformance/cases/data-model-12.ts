// SCORM 1.2 RTE section 3.4, the data model: what the LMS supplies at launch, each element's
// access, type and vocabulary, the _children and _count keywords, and what persists from one
// session to the next.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { parseTimespan } from "../../../server/scorm/time.ts";
import { listing, repeat, v12, wait } from "../support/script.ts";

const ONE_SCO: PackageSpec = { version: "1.2", items: [{ id: "S1" }] };
const ZERO_TIME_12 = /^0{2,4}:00:00(\.0{1,2})?$/;
/** Ends a session so that the next one resumes (RTE 3.4 cmi.core.exit "suspend"). */
const suspendAndFinish = [v12.set("cmi.core.exit", "suspend"), v12.terminate()];

export const cases: ConformanceCase[] = [
  {
    id: "DM-12-01",
    family: "data-model-12",
    title: "the first launch gets the LMS's values: the learner, credit, mode, entry ab-initio, status not attempted, no time yet",
    source: "SCORM 1.2 RTE 3.4 cmi.core (student_id, student_name, credit, lesson_status, entry, total_time, lesson_mode), cmi._version",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi._version", "3.4"),
        v12.get("cmi.core.student_id", await h.username()),
        v12.get("cmi.core.student_name", "Smith, Jane"),
        v12.get("cmi.core.lesson_location", ""),
        v12.get("cmi.core.credit", "credit"),
        v12.get("cmi.core.lesson_status", "not attempted"),
        v12.get("cmi.core.entry", "ab-initio"),
        v12.get("cmi.core.score.raw", ""),
        v12.get("cmi.core.total_time", ZERO_TIME_12),
        v12.get("cmi.core.lesson_mode", "normal"),
        v12.get("cmi.suspend_data", ""),
        v12.get("cmi.launch_data", ""),
        v12.get("cmi.objectives._count", "0"),
        v12.get("cmi.interactions._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-02",
    family: "data-model-12",
    title: "_children lists each category's elements",
    source: "SCORM 1.2 RTE 3.4 keyword _children (cmi.core, score, student_data, student_preference, objectives, interactions)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi.core._children", listing("student_id", "student_name", "lesson_location", "credit", "lesson_status", "entry", "score", "total_time", "lesson_mode", "exit", "session_time")),
        v12.get("cmi.core.score._children", listing("raw", "min", "max")),
        v12.get("cmi.student_data._children", listing("mastery_score", "max_time_allowed", "time_limit_action")),
        v12.get("cmi.student_preference._children", listing("audio", "language", "speed", "text")),
        v12.get("cmi.objectives._children", listing("id", "score", "status")),
        v12.get("cmi.interactions._children", listing("id", "objectives", "time", "type", "correct_responses", "weighting", "student_response", "result", "latency")),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-03",
    family: "data-model-12",
    title: "the manifest's masteryscore, datafromlms, maxtimeallowed, timelimitaction and parameters reach the SCO",
    source: "SCORM 1.2 RTE 3.4 cmi.student_data.*, cmi.launch_data; CAM adlcp:masteryscore, datafromlms, maxtimeallowed, timelimitaction; item parameters",
    package: { version: "1.2", items: [{ id: "S1", masteryScore: 80, dataFromLms: "chapter=3&mode=quiz", maxTimeAllowed: "00:30:00", timeLimitAction: "exit,message", parameters: "?chapter=3" }] },
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi.student_data.mastery_score", "80"),
        v12.get("cmi.launch_data", "chapter=3&mode=quiz"),
        v12.get("cmi.student_data.max_time_allowed", "00:30:00"),
        v12.get("cmi.student_data.time_limit_action", "exit,message"),
      ]);
      await h.play();
      // CAM: the item's parameters are appended to the resource's href at launch.
      expect(new URL((await h.launch("S1")).url).search).toBe("?chapter=3");
    },
  },
  {
    id: "DM-12-04",
    family: "data-model-12",
    title: "lesson_location holds 255 characters and is there again in the next session",
    source: "SCORM 1.2 RTE 3.4 cmi.core.lesson_location (CMIString255, read/write)",
    package: ONE_SCO,
    async run(h) {
      const bookmark = `page-7/${"b".repeat(248)}`;
      h.queue(
        "S1",
        [v12.initialize(), v12.set("cmi.core.lesson_location", bookmark), v12.get("cmi.core.lesson_location", bookmark), v12.set("cmi.core.lesson_status", "incomplete"), ...suspendAndFinish],
        [v12.initialize(), v12.get("cmi.core.entry", "resume"), v12.get("cmi.core.lesson_location", bookmark), v12.get("cmi.core.lesson_status", "incomplete")],
      );
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ core: { lesson_location: bookmark } });
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-05",
    family: "data-model-12",
    title: "suspend_data of 4,096 characters comes back whole in the next session",
    source: "SCORM 1.2 RTE 3.4 cmi.suspend_data (CMIString4096, read/write)",
    package: ONE_SCO,
    async run(h) {
      const state = Array.from({ length: 4096 }, (_, index) => "abcdefghijklmnopqrstuvwxyz0123456789"[index % 36]).join("");
      h.queue("S1", [v12.initialize(), v12.set("cmi.suspend_data", state), v12.set("cmi.core.lesson_status", "incomplete"), ...suspendAndFinish], [v12.initialize(), v12.get("cmi.suspend_data", state)]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ suspend_data: state });
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-06",
    family: "data-model-12",
    title: "lesson_status takes the SCO's vocabulary; the last value set is stored",
    source: "SCORM 1.2 RTE 3.4 cmi.core.lesson_status (CMIVocabulary: passed, completed, failed, incomplete, browsed)",
    package: ONE_SCO,
    async run(h) {
      const statuses = ["browsed", "incomplete", "failed", "passed", "completed"];
      h.queue("S1", [v12.initialize(), ...statuses.flatMap((status) => [v12.set("cmi.core.lesson_status", status), v12.get("cmi.core.lesson_status", status)]), v12.terminate()]);
      await h.session("S1");
      // Passed was reported before completed: a status never goes back (DESIGN.md), and completed is not a downgrade of passed in 1.2's one status.
      expect((await h.cmi("S1")).core).toMatchObject({ lesson_status: expect.stringMatching(/^(completed|passed)$/) });
    },
  },
  {
    id: "DM-12-07",
    family: "data-model-12",
    title: "score.raw, min and max take decimals from 0 to 100 (or blank) and are stored",
    source: "SCORM 1.2 RTE 3.4 cmi.core.score (CMIDecimal or CMIBlank, 0-100)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        ...v12.setAll({ "cmi.core.score.min": "0", "cmi.core.score.max": "100", "cmi.core.score.raw": "85.5" }),
        v12.get("cmi.core.score.raw", "85.5"),
        v12.set("cmi.core.score.min", ""),
        v12.get("cmi.core.score.min", ""),
        v12.set("cmi.core.lesson_status", "completed"),
        v12.terminate(),
      ]);
      await h.session("S1");
      expect((await h.cmi("S1")).core).toMatchObject({ score: { raw: "85.5", max: "100" } });
    },
  },
  {
    id: "DM-12-08",
    family: "data-model-12",
    title: "each session's session_time adds to total_time, read in the next session",
    source: "SCORM 1.2 RTE 3.4 cmi.core.session_time (write-only CMITimespan), cmi.core.total_time (read-only, the sum)",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [v12.initialize(), v12.set("cmi.core.session_time", "0000:01:30.00"), v12.set("cmi.core.session_time", "ninety seconds", { error: "405" }), v12.set("cmi.core.lesson_status", "incomplete"), ...suspendAndFinish],
        [v12.initialize(), v12.get("cmi.core.total_time", /^0{2,4}:01:30(\.0{1,2})?$/), v12.set("cmi.core.session_time", "00:02:00"), ...suspendAndFinish],
        [v12.initialize(), v12.get("cmi.core.total_time", /^0{2,4}:03:30(\.0{1,2})?$/)],
      );
      await h.session("S1");
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-09",
    family: "data-model-12",
    title: "student_preference takes values in its ranges, refuses others with 405, and keeps them for the next session",
    source: "SCORM 1.2 RTE 3.4 cmi.student_preference (audio -1..100, language, speed -100..100, text -1..1)",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [
          v12.initialize(),
          ...v12.setAll({ "cmi.student_preference.audio": "50", "cmi.student_preference.language": "en-GB", "cmi.student_preference.speed": "-20", "cmi.student_preference.text": "1" }),
          v12.set("cmi.student_preference.audio", "-2", { error: "405" }),
          v12.set("cmi.student_preference.speed", "101", { error: "405" }),
          v12.set("cmi.student_preference.text", "2", { error: "405" }),
          v12.get("cmi.student_preference.audio", "50"),
          ...suspendAndFinish,
        ],
        [
          v12.initialize(),
          v12.get("cmi.student_preference.audio", "50"),
          v12.get("cmi.student_preference.language", "en-GB"),
          v12.get("cmi.student_preference.speed", "-20"),
          v12.get("cmi.student_preference.text", "1"),
        ],
      );
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-10",
    family: "data-model-12",
    title: "interactions appended at _count each keep their own answers",
    source: "SCORM 1.2 RTE 3.4 cmi.interactions (_count, write-only n.id, type, student_response, result, correct_responses, objectives, latency, time, weighting)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        repeat(3, "i", [
          v12.read("cmi.interactions._count", "n"),
          ...v12.setAll({
            "cmi.interactions.${n}.id": "question-${i}",
            "cmi.interactions.${n}.type": "choice",
            "cmi.interactions.${n}.objectives.0.id": "objective-${i}",
            "cmi.interactions.${n}.time": "10:0${i}:00",
            "cmi.interactions.${n}.correct_responses.0.pattern": "b",
            "cmi.interactions.${n}.weighting": "1",
            "cmi.interactions.${n}.student_response": "answer-${i}",
            "cmi.interactions.${n}.result": "wrong",
            "cmi.interactions.${n}.latency": "0000:00:0${i}.00",
          }),
          v12.get("cmi.interactions.${n}.objectives._count", "1"),
          v12.get("cmi.interactions.${n}.correct_responses._count", "1"),
        ]),
        v12.get("cmi.interactions._count", "3"),
        v12.set("cmi.core.lesson_status", "completed"),
        v12.terminate(),
      ]);
      const launch = await h.session("S1");
      expect(launch.reports.filter((report) => report.args[0] === "cmi.interactions._count").map((report) => report.result)).toEqual(["0", "1", "2", "3"]);
      const interactions = (await h.cmi("S1")).interactions as Record<string, { id: string; student_response: string }>;
      expect(Object.values(interactions).map(({ id, student_response }) => ({ id, student_response }))).toEqual([0, 1, 2].map((i) => ({ id: `question-${i}`, student_response: `answer-${i}` })));
    },
  },
  {
    id: "DM-12-11",
    family: "data-model-12",
    title: "objectives appended at _count are readable, and there again in the next session",
    source: "SCORM 1.2 RTE 3.4 cmi.objectives (_count, n.id, n.score, n.status: read/write)",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [
          v12.initialize(),
          repeat(2, "i", [
            v12.read("cmi.objectives._count", "n"),
            ...v12.setAll({ "cmi.objectives.${n}.id": "objective-${i}", "cmi.objectives.${n}.score.raw": "6${i}", "cmi.objectives.${n}.status": "incomplete" }),
            v12.get("cmi.objectives.${n}.id", "objective-${i}"),
          ]),
          v12.set("cmi.objectives.1.status", "passed"),
          v12.get("cmi.objectives._count", "2"),
          v12.set("cmi.core.lesson_status", "incomplete"),
          ...suspendAndFinish,
        ],
        [v12.initialize(), v12.get("cmi.objectives._count", "2"), v12.get("cmi.objectives.0.id", "objective-0"), v12.get("cmi.objectives.1.score.raw", "61"), v12.get("cmi.objectives.1.status", "passed")],
      );
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-12-12",
    family: "data-model-12",
    title: "comments are the SCO's to write; comments_from_lms is the LMS's",
    source: "SCORM 1.2 RTE 3.4 cmi.comments (CMIString4096, read/write), cmi.comments_from_lms (read-only)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.comments", "The video on page 3 did not play."),
        v12.get("cmi.comments", /The video on page 3 did not play\./),
        v12.get("cmi.comments_from_lms", ""),
        v12.set("cmi.comments_from_lms", "Well done", { error: "403" }),
        v12.set("cmi.core.lesson_status", "completed"),
        v12.terminate(),
      ]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ comments: expect.stringContaining("The video on page 3 did not play.") });
    },
  },
  {
    id: "DM-12-13",
    family: "data-model-12",
    title: "a SCO that reports no session_time: the LMS counts the time from its launch, and the next session reads it in total_time",
    source: "SCORM 1.2 RTE 3.4 cmi.core.session_time, cmi.core.total_time; as SCORM 2004 RTE 4.2.21 has the LMS do",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [v12.initialize(), wait(1_500), v12.set("cmi.core.lesson_status", "incomplete"), ...suspendAndFinish], [v12.initialize(), v12.get("cmi.core.entry", "resume"), v12.read("cmi.core.total_time")]);
      await h.session("S1");
      await h.play();
      const next = await h.launch("S1");
      const totalMs = parseTimespan("1.2", next.answer(2).result);
      expect(totalMs).toBeGreaterThanOrEqual(1_500);
      expect(totalMs).toBeLessThan(60_000);
    },
  },
];
