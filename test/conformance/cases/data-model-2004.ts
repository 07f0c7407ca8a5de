// SCORM 2004 4th Edition RTE section 4, the data model: what the LMS supplies (4.2), each
// element's value space, the collections appended at _count, the evaluations the LMS does on
// GetValue (completion against completion_threshold, success against scaled_passing_score), and
// persistence across sessions, after ADL's test suite cases DMI (implementation) and DMB (behaviour).
import { expect } from "vitest";
import { parseTimespan } from "../../../server/scorm/time.ts";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { listing, repeat, terminateWith, v2004, wait } from "../support/script.ts";

const ONE_SCO: PackageSpec = { version: "2004 4th", items: [{ id: "S1" }] };
const ZERO_DURATION = /^P(0+[YMWD])*(T(0+(\.0+)?[HMS])*)?$/;
const suspendAndTerminate = [v2004.set("cmi.exit", "suspend"), v2004.terminate()];

export const cases: ConformanceCase[] = [
  {
    id: "DM-2004-01",
    family: "data-model-2004",
    title: "the first launch gets the LMS's values: the learner, credit and mode, entry ab-initio, statuses unknown, no time, empty collections",
    source: "SCORM 2004 4th RTE 4.2.1, 4.2.4, 4.2.6, 4.2.7, 4.2.11, 4.2.12, 4.2.13, 4.2.16, 4.2.22, 4.2.25; ADL test case DMB Act1V1",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi._version", "1.0"),
        v2004.get("cmi.learner_id", await h.username()),
        v2004.get("cmi.learner_name", "Smith, Jane"),
        v2004.get("cmi.credit", "credit"),
        v2004.get("cmi.mode", "normal"),
        v2004.get("cmi.entry", "ab-initio"),
        v2004.get("cmi.completion_status", "unknown"),
        v2004.get("cmi.success_status", "unknown"),
        v2004.get("cmi.total_time", ZERO_DURATION),
        v2004.get("cmi.learner_preference.audio_level", "1"),
        v2004.get("cmi.learner_preference.language", ""),
        v2004.get("cmi.learner_preference.delivery_speed", "1"),
        v2004.get("cmi.learner_preference.audio_captioning", "0"),
        v2004.get("cmi.objectives._count", "0"),
        v2004.get("cmi.interactions._count", "0"),
        v2004.get("cmi.comments_from_learner._count", "0"),
        v2004.get("cmi.comments_from_lms._count", "0"),
        v2004.get("cmi.time_limit_action", "continue,no message"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-02",
    family: "data-model-2004",
    title: "_children lists each category's elements",
    source: "SCORM 2004 4th RTE 4.1.1 keyword _children; 4.2.2, 4.2.3, 4.2.9, 4.2.13, 4.2.17, 4.2.20",
    package: ONE_SCO,
    async run(h) {
      const comments = listing("comment", "location", "timestamp");
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.score._children", listing("scaled", "raw", "min", "max")),
        v2004.get("cmi.objectives._children", listing("id", "score", "success_status", "completion_status", "progress_measure", "description")),
        v2004.get("cmi.interactions._children", listing("id", "type", "objectives", "timestamp", "correct_responses", "weighting", "learner_response", "result", "latency", "description")),
        v2004.get("cmi.comments_from_learner._children", comments),
        v2004.get("cmi.comments_from_lms._children", comments),
        v2004.get("cmi.learner_preference._children", listing("audio_level", "language", "delivery_speed", "audio_captioning")),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-03",
    family: "data-model-2004",
    title: "the manifest's dataFromLMS, completionThreshold, minNormalizedMeasure, time limit and objectives reach the SCO",
    source: "SCORM 2004 4th RTE 4.2.5, 4.2.10, 4.2.15, 4.2.17, 4.2.19, 4.2.24; CAM adlcp:completionThreshold, adlcp:dataFromLMS, adlcp:timeLimitAction; SN imsss:limitConditions, imsss:objectives",
    package: {
      version: "2004 4th",
      items: [
        {
          id: "S1",
          dataFromLms: "chapter=3",
          timeLimitAction: "exit,message",
          completionThreshold: 0.75,
          sequencing: `<imsss:sequencing>
            <imsss:limitConditions attemptAbsoluteDurationLimit="PT30M"/>
            <imsss:objectives>
              <imsss:primaryObjective objectiveID="objective-primary" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>
              <imsss:objective objectiveID="objective-second"/>
            </imsss:objectives>
          </imsss:sequencing>`,
        },
      ],
    },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.launch_data", "chapter=3"),
        v2004.get("cmi.completion_threshold", "0.75"),
        v2004.get("cmi.scaled_passing_score", "0.6"),
        v2004.get("cmi.max_time_allowed", /^PT(30M|0H30M(0S)?|1800S)$/),
        v2004.get("cmi.time_limit_action", "exit,message"),
        v2004.get("cmi.objectives._count", "2"),
        v2004.get("cmi.objectives.0.id", "objective-primary"),
        v2004.get("cmi.objectives.1.id", "objective-second"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-04",
    family: "data-model-2004",
    title: "with a completion threshold, completion_status follows progress_measure, whatever the SCO sets",
    source: "SCORM 2004 4th RTE 4.2.4.1 (completion_status evaluated against completion_threshold and progress_measure); ADL test case DMB",
    package: { version: "2004 4th", items: [{ id: "S1", completionThreshold: 0.8 }] },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.completion_threshold", "0.8"),
        v2004.set("cmi.progress_measure", "0.5"),
        v2004.get("cmi.completion_status", "incomplete"),
        v2004.set("cmi.completion_status", "completed"),
        v2004.get("cmi.completion_status", "incomplete"),
        v2004.set("cmi.progress_measure", "0.8"),
        v2004.get("cmi.completion_status", "completed"),
        v2004.terminate(),
      ]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ completion_status: "completed", progress_measure: "0.8" });
    },
  },
  {
    id: "DM-2004-05",
    family: "data-model-2004",
    title: "with a scaled passing score, success_status follows score.scaled, whatever the SCO sets",
    source: "SCORM 2004 4th RTE 4.2.22.1 (success_status evaluated against scaled_passing_score and score.scaled)",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="pass" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>` }],
    },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.scaled_passing_score", "0.7"),
        v2004.set("cmi.score.scaled", "0.5"),
        v2004.get("cmi.success_status", "failed"),
        v2004.set("cmi.success_status", "passed"),
        v2004.get("cmi.success_status", "failed"),
        v2004.set("cmi.score.scaled", "0.9"),
        v2004.get("cmi.success_status", "passed"),
        v2004.set("cmi.completion_status", "completed"),
        v2004.terminate(),
      ]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ success_status: "passed", score: { scaled: "0.9" } });
    },
  },
  {
    id: "DM-2004-06",
    family: "data-model-2004",
    title: "interactions appended at _count, with their objectives and correct responses at their own _count, each keep their own values",
    source: "SCORM 2004 4th RTE 4.2.9 cmi.interactions (n.id, type, objectives.m.id, timestamp, correct_responses.m.pattern, weighting, learner_response, result, latency, description)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        repeat(3, "i", [
          v2004.read("cmi.interactions._count", "n"),
          v2004.set("cmi.interactions.${n}.id", "question-${i}"),
          v2004.set("cmi.interactions.${n}.type", "choice"),
          v2004.read("cmi.interactions.${n}.objectives._count", "m"),
          v2004.set("cmi.interactions.${n}.objectives.${m}.id", "objective-${i}"),
          v2004.set("cmi.interactions.${n}.timestamp", "2026-03-01T10:0${i}:00"),
          v2004.read("cmi.interactions.${n}.correct_responses._count", "c"),
          v2004.set("cmi.interactions.${n}.correct_responses.${c}.pattern", "b"),
          ...v2004.setAll({
            "cmi.interactions.${n}.weighting": "1",
            "cmi.interactions.${n}.learner_response": "answer-${i}",
            "cmi.interactions.${n}.result": "incorrect",
            "cmi.interactions.${n}.latency": "PT${i}S",
            "cmi.interactions.${n}.description": "Question ${i}",
          }),
          v2004.get("cmi.interactions.${n}.id", "question-${i}"),
          v2004.get("cmi.interactions.${n}.learner_response", "answer-${i}"),
          v2004.get("cmi.interactions.${n}.objectives._count", "1"),
          v2004.get("cmi.interactions.${n}.correct_responses._count", "1"),
        ]),
        v2004.get("cmi.interactions._count", "3"),
        v2004.set("cmi.completion_status", "completed"),
        v2004.terminate(),
      ]);
      await h.session("S1");
      const interactions = Object.values((await h.cmi("S1")).interactions as Record<string, { id: string; learner_response: string; objectives: Record<string, { id: string }> }>);
      expect(interactions.map(({ id, learner_response, objectives }) => ({ id, learner_response, objective: Object.values(objectives)[0]?.id }))).toEqual(
        [0, 1, 2].map((i) => ({ id: `question-${i}`, learner_response: `answer-${i}`, objective: `objective-${i}` })),
      );
    },
  },
  {
    id: "DM-2004-07",
    family: "data-model-2004",
    title: "comments_from_learner appended at _count are there again in the next session",
    source: "SCORM 2004 4th RTE 4.2.2 cmi.comments_from_learner (n.comment, n.location, n.timestamp)",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [
          v2004.initialize(),
          repeat(2, "i", [
            v2004.read("cmi.comments_from_learner._count", "n"),
            v2004.set("cmi.comments_from_learner.${n}.comment", "{lang=en}Comment ${i}"),
            v2004.set("cmi.comments_from_learner.${n}.location", "page-${i}"),
            v2004.set("cmi.comments_from_learner.${n}.timestamp", "2026-03-01T09:0${i}:00"),
            v2004.get("cmi.comments_from_learner.${n}.location", "page-${i}"),
          ]),
          ...suspendAndTerminate,
        ],
        [v2004.initialize(), v2004.get("cmi.comments_from_learner._count", "2"), v2004.get("cmi.comments_from_learner.1.comment", "{lang=en}Comment 1"), v2004.get("cmi.comments_from_learner.0.location", "page-0")],
      );
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-08",
    family: "data-model-2004",
    title: "objectives appended at _count keep each its own values, read back and stored",
    source: "SCORM 2004 4th RTE 4.2.17 cmi.objectives (n.id, score, success_status, completion_status, progress_measure, description)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        repeat(2, "i", [
          v2004.read("cmi.objectives._count", "n"),
          ...v2004.setAll({
            "cmi.objectives.${n}.id": "objective-${i}",
            "cmi.objectives.${n}.score.scaled": "0.${i}5",
            "cmi.objectives.${n}.success_status": "passed",
            "cmi.objectives.${n}.completion_status": "completed",
            "cmi.objectives.${n}.progress_measure": "1",
            "cmi.objectives.${n}.description": "Objective ${i}",
          }),
          v2004.get("cmi.objectives.${n}.id", "objective-${i}"),
          v2004.get("cmi.objectives.${n}.score.scaled", "0.${i}5"),
        ]),
        v2004.get("cmi.objectives._count", "2"),
        v2004.set("cmi.completion_status", "completed"),
        v2004.terminate(),
      ]);
      await h.session("S1");
      const objectives = Object.values((await h.cmi("S1")).objectives as Record<string, { id: string; score: { scaled: string } }>);
      expect(objectives.map((objective) => [objective.id, objective.score.scaled])).toEqual([
        ["objective-0", "0.05"],
        ["objective-1", "0.15"],
      ]);
    },
  },
  {
    id: "DM-2004-09",
    family: "data-model-2004",
    title: "after exit suspend the next session resumes with everything the SCO set",
    source: "SCORM 2004 4th RTE 4.2.7 cmi.entry resume, 4.2.8 cmi.exit suspend; ADL test case DMB Act1V1-V2",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [
          v2004.initialize(),
          ...v2004.setAll({
            "cmi.location": "page-9",
            "cmi.suspend_data": "visit=1",
            "cmi.completion_status": "incomplete",
            "cmi.score.raw": "40",
            "cmi.learner_preference.language": "fr",
            "cmi.objectives.0.id": "objective-1",
            "cmi.objectives.0.success_status": "failed",
            "cmi.interactions.0.id": "question-1",
            "cmi.interactions.0.type": "true-false",
            "cmi.interactions.0.learner_response": "false",
            "cmi.session_time": "PT1M",
          }),
          ...suspendAndTerminate,
        ],
        [
          v2004.initialize(),
          v2004.get("cmi.entry", "resume"),
          v2004.get("cmi.location", "page-9"),
          v2004.get("cmi.suspend_data", "visit=1"),
          v2004.get("cmi.completion_status", "incomplete"),
          v2004.get("cmi.score.raw", "40"),
          v2004.get("cmi.learner_preference.language", "fr"),
          v2004.get("cmi.objectives.0.success_status", "failed"),
          v2004.get("cmi.interactions.0.learner_response", "false"),
          v2004.get("cmi.total_time", /^PT(1M|0H1M(0S)?|60S)$/),
        ],
      );
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-10",
    family: "data-model-2004",
    title: "suspended sessions add up in total_time; a session ending with time-out ends the attempt, and the next starts from zero",
    source: "SCORM 2004 4th RTE 4.2.21 cmi.session_time, 4.2.25 cmi.total_time, 4.2.8 cmi.exit time-out; ADL test case DMB Act1V1-V6",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [v2004.initialize(), v2004.set("cmi.completion_status", "incomplete"), v2004.set("cmi.session_time", "PT1M"), ...suspendAndTerminate],
        [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.read("cmi.total_time"), v2004.set("cmi.session_time", "PT1H59M20S"), ...suspendAndTerminate],
        [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.read("cmi.total_time"), v2004.set("cmi.session_time", "PT5M49S"), v2004.set("cmi.exit", "time-out"), v2004.terminate()],
        [v2004.initialize(), v2004.get("cmi.entry", "ab-initio"), v2004.get("cmi.total_time", ZERO_DURATION), v2004.get("cmi.completion_status", "unknown")],
      );
      await h.session("S1");
      const second = await h.session("S1");
      const third = await h.session("S1");
      expect([second, third].map((launch) => parseTimespan("2004", launch.answer(2).result))).toEqual([60_000, (2 * 3600 + 20) * 1000]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-11",
    family: "data-model-2004",
    title: "learner_preference takes values in its ranges, refuses others, and keeps them for the next session",
    source: "SCORM 2004 4th RTE 4.2.13 cmi.learner_preference (audio_level, language, delivery_speed, audio_captioning)",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [
          v2004.initialize(),
          ...v2004.setAll({ "cmi.learner_preference.audio_level": "0.5", "cmi.learner_preference.language": "en-GB", "cmi.learner_preference.delivery_speed": "1.5", "cmi.learner_preference.audio_captioning": "1" }),
          v2004.set("cmi.learner_preference.language", "not a language!", { error: "406" }),
          v2004.get("cmi.learner_preference.language", "en-GB"),
          ...suspendAndTerminate,
        ],
        [
          v2004.initialize(),
          v2004.get("cmi.learner_preference.audio_level", "0.5"),
          v2004.get("cmi.learner_preference.language", "en-GB"),
          v2004.get("cmi.learner_preference.delivery_speed", "1.5"),
          v2004.get("cmi.learner_preference.audio_captioning", "1"),
        ],
      );
      await h.session("S1");
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-12",
    family: "data-model-2004",
    title: "adl.nav.request starts as _none_, takes a request, and request_valid tells which requests are valid",
    source: "SCORM 2004 4th RTE 4.4 ADL navigation data model (adl.nav.request, adl.nav.request_valid.continue / previous / choice)",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }], organizationSequencing: `<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>` },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("adl.nav.request", "_none_"),
        v2004.get("adl.nav.request_valid.continue", "true"),
        v2004.get("adl.nav.request_valid.previous", "false"),
        v2004.get("adl.nav.request_valid.choice.{target=S2}", "true"),
        v2004.set("adl.nav.request", "continue"),
        v2004.get("adl.nav.request", "continue"),
        v2004.terminate(),
      ]);
      h.queue("S2", [v2004.initialize(), v2004.get("adl.nav.request", "_none_"), v2004.get("adl.nav.request_valid.previous", "true"), v2004.get("adl.nav.request_valid.choice.{target=S1}", "true")]);
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
    },
  },
  {
    id: "DM-2004-13",
    family: "data-model-2004",
    title: "each interaction type takes learner responses and correct-response patterns in its own format",
    source: "SCORM 2004 4th RTE 4.2.9.1-2 (learner_response and correct_responses formats by interaction type)",
    package: ONE_SCO,
    async run(h) {
      const responses: Array<[type: string, response: string, pattern: string]> = [
        ["true-false", "true", "false"],
        ["choice", "a[,]c", "a[,]b"],
        ["fill-in", "{lang=en}colour", "{case_matters=false}{lang=en}color[,]colour"],
        ["long-fill-in", "A long answer, with commas.", "{lang=en}answer"],
        ["likert", "agree", "strongly_agree"],
        ["matching", "1[.]a[,]2[.]b", "1[.]a[,]2[.]b"],
        ["performance", "step1[.]open[,]step2[.]close", "{order_matters=true}step1[.]open[,]step2[.]close"],
        ["sequencing", "c[,]a[,]b", "a[,]b[,]c"],
        ["numeric", "3.5", "1[:]5"],
        ["other", "anything at all", "anything"],
      ];
      h.queue("S1", [
        v2004.initialize(),
        ...responses.flatMap(([type, response, pattern], index) => [
          v2004.set(`cmi.interactions.${index}.id`, `question-${type}`),
          v2004.set(`cmi.interactions.${index}.type`, type),
          v2004.set(`cmi.interactions.${index}.learner_response`, response),
          v2004.set(`cmi.interactions.${index}.correct_responses.0.pattern`, pattern),
          v2004.get(`cmi.interactions.${index}.learner_response`, response),
        ]),
        v2004.set("cmi.interactions.0.learner_response", "yes", { error: "406" }),
        v2004.set("cmi.interactions.8.learner_response", "three", { error: "406" }),
        v2004.get("cmi.interactions._count", String(responses.length)),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-14",
    family: "data-model-2004",
    title: "completion_status, success_status and exit take each word of their vocabularies",
    source: "SCORM 2004 4th RTE 4.2.4 completion_status, 4.2.22 success_status, 4.2.8 exit (state vocabularies)",
    package: ONE_SCO,
    async run(h) {
      const words = {
        "cmi.completion_status": ["not attempted", "incomplete", "unknown", "completed"],
        "cmi.success_status": ["failed", "unknown", "passed"],
      };
      h.queue("S1", [
        v2004.initialize(),
        ...Object.entries(words).flatMap(([element, values]) => values.flatMap((value) => [v2004.set(element, value), v2004.get(element, value)])),
        ...["time-out", "suspend", "logout", "normal", ""].map((value) => v2004.set("cmi.exit", value)),
        ...terminateWith("exitAll"),
      ]);
      await h.session("S1");
      expect(await h.cmi("S1")).toMatchObject({ completion_status: "completed", success_status: "passed" });
    },
  },
  {
    id: "DM-2004-15",
    family: "data-model-2004",
    title: "a 3rd Edition package's completionThreshold reaches the SCO, and completion follows progress_measure against it",
    source: "SCORM 2004 3rd Edition CAM adlcp:completionThreshold (a decimal); RTE 4.2.4.1, 4.2.5",
    package: { version: "2004 3rd", items: [{ id: "S1", completionThreshold: 0.6 }] },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.completion_threshold", "0.6"),
        v2004.set("cmi.progress_measure", "0.7"),
        v2004.get("cmi.completion_status", "completed"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "DM-2004-16",
    family: "data-model-2004",
    title: "a SCO that reports no session_time: the LMS counts the time from its launch, and the next session reads it in total_time; a reported zero stands",
    source: "SCORM 2004 4th RTE 4.2.21 cmi.session_time (the LMS keeps track of session time from the launch; the SCO's report, if any, replaces it), 4.2.25 cmi.total_time",
    package: ONE_SCO,
    async run(h) {
      h.queue(
        "S1",
        [v2004.initialize(), wait(1_500), v2004.set("cmi.completion_status", "incomplete"), ...suspendAndTerminate],
        // A session time the SCO reports stands, a zero too: this session adds nothing.
        [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.read("cmi.total_time"), wait(1_500), v2004.set("cmi.session_time", "PT0S"), ...suspendAndTerminate],
        [v2004.initialize(), v2004.read("cmi.total_time")],
      );
      await h.session("S1");
      const second = await h.session("S1");
      await h.play();
      const third = await h.launch("S1");
      const totalMs = parseTimespan("2004", second.answer(2).result);
      expect(totalMs).toBeGreaterThanOrEqual(1_500);
      expect(totalMs).toBeLessThan(60_000);
      expect(parseTimespan("2004", third.answer(1).result)).toBe(totalMs);
    },
  },
];
