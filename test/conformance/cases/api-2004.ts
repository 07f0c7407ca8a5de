// SCORM 2004 4th Edition RTE section 3.1, the API: the eight functions, the session's three states
// (not initialized, running, terminated) and the error codes of 3.1.7, after ADL's test suite case
// API (its Act3: every function before Initialize, then in the running state) and the data model
// error cases of DMI.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { TEXT_UP_TO_255, v2004 } from "../support/script.ts";

const ONE_SCO: PackageSpec = { version: "2004 4th", items: [{ id: "S1" }] };

export const cases: ConformanceCase[] = [
  {
    id: "API-2004-01",
    family: "api-2004",
    title: "before Initialize every function is refused with its own code (112, 122, 132, 142), and a bad argument with 201",
    source: "SCORM 2004 4th RTE 3.1 (communication session state: not initialized), 3.1.7.2; ADL test case API, Act3 steps 1-16",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.lastError("0"),
        v2004.errorString("0", TEXT_UP_TO_255),
        v2004.diagnostic("0", TEXT_UP_TO_255),
        v2004.commit({ error: "142" }),
        v2004.set("cmi.location", "test", { error: "132" }),
        v2004.get("cmi.location", { error: "122" }),
        v2004.terminate({ error: "112" }),
        v2004.call("initialize", ["illegal"], { expect: "false", error: "201" }),
        v2004.lastError("201"),
        v2004.lastError("201"),
        v2004.errorString("", ""),
        v2004.initialize(),
        v2004.initialize({ error: "103" }),
        v2004.lastError("103"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-02",
    family: "api-2004",
    title: 'while running: an empty element is refused (301, 351), a bad argument with 201, and each call that succeeds sets 0',
    source: "SCORM 2004 4th RTE 3.1 data-transfer methods; 3.1.7.3-4 (201, 301, 351); ADL test case API, Act3 steps 17-22",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("", "test", { error: "351" }),
        v2004.set("cmi.location", "test"),
        v2004.get("", { error: "301" }),
        // The error of the failed GetValue does not linger (ADL API Act3 step 19).
        v2004.get("cmi.location", "test"),
        v2004.call("commit", ["illegal"], { expect: "false", error: "201" }),
        v2004.commit(),
        v2004.call("terminate", ["illegal"], { expect: "false", error: "201" }),
        v2004.get("cmi.location", "test"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-03",
    family: "api-2004",
    title: "GetErrorString and GetDiagnostic describe known codes in up to 255 characters and answer \"\" for unknown ones, without changing the error",
    source: "SCORM 2004 4th RTE 3.1 support methods GetErrorString, GetDiagnostic; ADL test case API, Act3 steps 23-29",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.learner_id", "someone", { error: "404" }),
        v2004.errorString("404", TEXT_UP_TO_255),
        v2004.diagnostic("404", TEXT_UP_TO_255),
        v2004.lastError("404"),
        v2004.errorString("0", TEXT_UP_TO_255),
        v2004.errorString("402", TEXT_UP_TO_255),
        v2004.diagnostic("402", TEXT_UP_TO_255),
        v2004.errorString("001", ""),
        v2004.diagnostic("001", ""),
        v2004.errorString("1444", ""),
        v2004.lastError("404"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-04",
    family: "api-2004",
    title: "after Terminate every function is refused with its own code (104, 113, 123, 133, 143)",
    source: "SCORM 2004 4th RTE 3.1 (communication session state: terminated), 3.1.7.2",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.location", "before terminate"),
        v2004.terminate(),
        v2004.get("cmi.location", { error: "123" }),
        v2004.set("cmi.location", "after terminate", { error: "133" }),
        v2004.commit({ error: "143" }),
        v2004.terminate({ error: "113" }),
        v2004.initialize({ error: "104" }),
        v2004.lastError("104"),
      ]);
      await h.play();
      await h.launch("S1");
      await h.closed();
      expect(await h.cmi("S1")).toMatchObject({ location: "before terminate" });
    },
  },
  {
    id: "API-2004-05",
    family: "api-2004",
    title: "elements the data model does not define are refused with 401",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 401 (undefined data model element)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.undefined_element", { error: "401" }),
        v2004.set("cmi.undefined_element", "x", { error: "401" }),
        // SCORM 1.2 names are not 2004's.
        v2004.get("cmi.core.lesson_status", { error: "401" }),
        v2004.set("cmi.core.lesson_location", "x", { error: "401" }),
        v2004.get("adl.nav.undefined", { error: "401" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-06",
    family: "api-2004",
    title: "an element with no default, read before it is set, is refused with 403",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 403 (value not initialized); ADL test case DMB Act1 (cmi.suspend_data)",
    package: ONE_SCO,
    async run(h) {
      const unset = ["cmi.location", "cmi.suspend_data", "cmi.score.raw", "cmi.score.scaled", "cmi.progress_measure", "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.max_time_allowed"];
      h.queue("S1", [v2004.initialize(), ...unset.map((element) => v2004.get(element, { error: "403" })), v2004.set("cmi.location", "page-1"), v2004.get("cmi.location", "page-1")]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-07",
    family: "api-2004",
    title: "setting a read-only element or a keyword is refused with 404",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 404 (read only); 4.2 access of learner_id, learner_name, credit, entry, mode, total_time, launch_data, ...; 4.1.1 keywords",
    package: { version: "2004 4th", items: [{ id: "S1", dataFromLms: "from the manifest", completionThreshold: 0.8 }] },
    async run(h) {
      const readOnly = [
        "cmi._version",
        "cmi.learner_id",
        "cmi.learner_name",
        "cmi.credit",
        "cmi.entry",
        "cmi.mode",
        "cmi.total_time",
        "cmi.launch_data",
        "cmi.completion_threshold",
        "cmi.scaled_passing_score",
        "cmi.max_time_allowed",
        "cmi.time_limit_action",
        "cmi.interactions._count",
        "cmi.objectives._children",
        "cmi.comments_from_lms.0.comment",
        "adl.nav.request_valid.continue",
      ];
      h.queue("S1", [
        v2004.initialize(),
        ...readOnly.map((element) => v2004.set(element, "changed", { error: "404" })),
        v2004.get("cmi.learner_name", "Smith, Jane"),
        v2004.get("cmi.launch_data", "from the manifest"),
        v2004.get("cmi.completion_threshold", "0.8"),
        v2004.get("cmi.interactions._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-08",
    family: "api-2004",
    title: "reading a write-only element (exit, session_time) is refused with 405",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 405 (write only); 4.2.8 cmi.exit, 4.2.21 cmi.session_time",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.exit", "suspend"),
        v2004.get("cmi.exit", { error: "405" }),
        v2004.set("cmi.session_time", "PT30S"),
        v2004.get("cmi.session_time", { error: "405" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-09",
    family: "api-2004",
    title: "a value outside the element's value space is refused with 406, and not stored",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 406 (type mismatch); 4.2.4, 4.2.8, 4.2.9, 4.2.20, 4.2.21, 4.2.22 value spaces",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.completion_status", "done", { error: "406" }),
        v2004.set("cmi.success_status", "ok", { error: "406" }),
        v2004.set("cmi.exit", "quit", { error: "406" }),
        v2004.set("cmi.score.scaled", "high", { error: "406" }),
        v2004.set("cmi.session_time", "10 minutes", { error: "406" }),
        v2004.set("cmi.learner_preference.audio_captioning", "yes", { error: "406" }),
        v2004.set("adl.nav.request", "teleport", { error: "406" }),
        v2004.set("cmi.interactions.0.id", "q1"),
        v2004.set("cmi.interactions.0.type", "essay", { error: "406" }),
        v2004.set("cmi.interactions.0.type", "true-false"),
        v2004.set("cmi.interactions.0.learner_response", "maybe", { error: "406" }),
        v2004.set("cmi.interactions.0.timestamp", "yesterday", { error: "406" }),
        v2004.get("cmi.completion_status", "unknown"),
        v2004.get("cmi.success_status", "unknown"),
        v2004.get("cmi.score.scaled", { error: "403" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-10",
    family: "api-2004",
    title: "a number outside the element's range is refused with 407, and not stored",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 407 (value out of range); 4.2.13, 4.2.17, 4.2.18, 4.2.20 ranges",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.score.scaled", "1.5", { error: "407" }),
        v2004.set("cmi.score.scaled", "-1.1", { error: "407" }),
        v2004.set("cmi.progress_measure", "1.2", { error: "407" }),
        v2004.set("cmi.progress_measure", "-0.1", { error: "407" }),
        v2004.set("cmi.learner_preference.audio_level", "-1", { error: "407" }),
        v2004.set("cmi.learner_preference.delivery_speed", "-0.5", { error: "407" }),
        v2004.set("cmi.objectives.0.id", "objective-1"),
        v2004.set("cmi.objectives.0.score.scaled", "2", { error: "407" }),
        v2004.set("cmi.score.scaled", "1"),
        v2004.get("cmi.score.scaled", "1"),
        v2004.get("cmi.progress_measure", { error: "403" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-11",
    family: "api-2004",
    title: "a record's elements set before the element they depend on are refused with 408",
    source: "SCORM 2004 4th RTE 3.1.7.5 error 408 (dependency not established); 4.2.9 interactions (id, then type), 4.2.17 objectives (id first)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.objectives.0.score.raw", "5", { error: "408" }),
        v2004.set("cmi.objectives.0.success_status", "passed", { error: "408" }),
        v2004.set("cmi.interactions.0.type", "choice", { error: "408" }),
        v2004.set("cmi.interactions.0.id", "q1"),
        v2004.set("cmi.interactions.0.learner_response", "a", { error: "408" }),
        v2004.set("cmi.interactions.0.correct_responses.0.pattern", "a", { error: "408" }),
        v2004.set("cmi.interactions.0.type", "choice"),
        v2004.set("cmi.interactions.0.learner_response", "a"),
        v2004.set("cmi.interactions.0.objectives.0.id", "objective-1"),
        v2004.get("cmi.objectives._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-12",
    family: "api-2004",
    title: "a record set past the next index, a duplicate objective id, or a changed id is refused with 351",
    source: "SCORM 2004 4th RTE 3.1.7.4 error 351 (general set failure); 4.2.9, 4.2.17: a record is added at index _count; objective identifiers are unique and, once set, fixed",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.objectives.1.id", "objective-2", { error: "351" }),
        v2004.set("cmi.interactions.3.id", "q4", { error: "351" }),
        v2004.set("cmi.objectives.0.id", "objective-1"),
        v2004.set("cmi.objectives.1.id", "objective-1", { error: "351" }),
        v2004.set("cmi.objectives.0.id", "objective-renamed", { error: "351" }),
        v2004.get("cmi.objectives.0.id", "objective-1"),
        v2004.get("cmi.objectives._count", "1"),
        v2004.get("cmi.interactions._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-13",
    family: "api-2004",
    title: "_children and _count of an element that has none are refused with 301",
    source: "SCORM 2004 4th RTE 4.1.1 keywords (_children, _count): 301 general get failure when the element has none",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.get("cmi.location._children", { error: "301" }),
        v2004.get("cmi.completion_status._count", { error: "301" }),
        v2004.get("cmi.score._count", { error: "301" }),
        v2004.get("cmi.objectives._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-2004-14",
    family: "api-2004",
    title: "Commit sends what was set to the LMS while the SCO runs on",
    source: "SCORM 2004 4th RTE 3.1 Commit",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [v2004.initialize(), ...v2004.setAll({ "cmi.location": "page-3", "cmi.suspend_data": "seen=1,2,3", "cmi.completion_status": "incomplete" }), v2004.commit()]);
      await h.play();
      await h.launch("S1");
      await expect.poll(() => h.cmi("S1"), { timeout: 10_000 }).toMatchObject({ location: "page-3", suspend_data: "seen=1,2,3", completion_status: "incomplete" });
      expect((await h.commits("S1")).some((commit) => commit.isTerminateCommit)).toBe(false);
    },
  },
];
