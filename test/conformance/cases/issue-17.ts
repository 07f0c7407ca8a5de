// Issue 17's observed bugs, items 1 to 8, each as the content that showed it: a case for each
// (and for item 6 one per exit value), written to fail on the code the issue was raised against.
import { expect } from "vitest";
import type { ItemSpec, PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase, Harness, LearnerSession } from "../support/runner.ts";
import { repeat, terminateWith, v12, v2004, wait, type Script } from "../support/script.ts";
import { exitCases } from "./issue-17-exits.ts";
import { performanceStatus } from "../support/sequencing.ts";

const FINISHED = /^(Completed|Passed)$/;
const ABSURD_HOURS = "9".repeat(400);
const NAMESPACES_2004 =
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

/** Waits until the SCO's last session is stored to its end (its terminate commit is in). */
async function terminated(h: LearnerSession, sco: string, sessions = 1): Promise<void> {
  await expect.poll(async () => (await h.commits(sco)).filter((commit) => commit.isTerminateCommit).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(sessions);
}

/** Item 4's course: one invisible child holding eight SCOs, flow only. */
function flowOnly(presentation?: string): PackageSpec {
  const flowOnlyControl = `<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>`;
  const scos: ItemSpec[] = Array.from({ length: 8 }, (_, index) => ({ id: `S${index + 1}`, ...(presentation ? { presentation } : {}) }));
  return { version: "2004 4th", items: [{ id: "MODULE", isvisible: false, sequencing: flowOnlyControl, children: scos }], organizationSequencing: flowOnlyControl };
}

/** Item 7: a learner whose SCO sets an absurd session_time, and one who commits at the same moment. */
async function commitsSideBySide(h: Harness, absurd: Script, ordinary: Script, version: "1.2" | "2004"): Promise<void> {
  const other = await h.otherLearner();
  h.queue("S1", absurd);
  other.queue("S1", ordinary);
  // Both SCOs run at once, each committing twice 300 ms apart.
  await Promise.all([h.play(), other.play()]);
  const [mine] = await Promise.all([h.launch("S1", { check: false }), other.launch("S1")]);
  const at = (location: string) => (version === "1.2" ? { core: { lesson_location: location } } : { location });
  // The other learner's commits, made in the same moment, are stored, whatever became of the first's.
  await other.closed();
  expect(await other.cmi("S1")).toMatchObject(at("b-after"));
  await h.closed();
  const stored = await h.cmi("S1");
  expect(stored).toMatchObject(at("a-after"));
  expect(JSON.stringify(stored)).not.toContain(ABSURD_HOURS);
  mine.expectAsSpecified();
}



export const cases: ConformanceCase[] = [
  {
    id: "I17-1a",
    family: "issue-17",
    title: "item 1: a quiz that appends 14 interactions at _count stores 14, each with its own answers; objectives and comments too",
    source: "issue 17 item 1; SCORM 2004 4th RTE 4.2.2, 4.2.9, 4.2.17 (records appended at _count)",
    package: { version: "2004 4th", items: [{ id: "QUIZ" }] },
    async run(h) {
      h.queue("QUIZ", [
        v2004.initialize(),
        repeat(14, "i", [
          v2004.read("cmi.interactions._count", "n"),
          v2004.set("cmi.interactions.${n}.id", "question-${i}"),
          v2004.set("cmi.interactions.${n}.type", "choice"),
          v2004.set("cmi.interactions.${n}.learner_response", "answer-${i}"),
          v2004.set("cmi.interactions.${n}.result", "correct"),
          v2004.set("cmi.interactions.${n}.objectives.0.id", "objective-${i}"),
          v2004.set("cmi.interactions.${n}.correct_responses.0.pattern", "answer-${i}"),
          v2004.read("cmi.interactions.${n}.objectives._count", "m"),
          v2004.set("cmi.interactions.${n}.objectives.${m}.id", "quiz"),
          v2004.read("cmi.interactions.${n}.correct_responses._count", "c"),
          v2004.set("cmi.interactions.${n}.correct_responses.${c}.pattern", "answer-${i}[,]other"),
        ]),
        v2004.get("cmi.interactions._count", "14"),
        repeat(2, "i", [v2004.read("cmi.objectives._count", "n"), v2004.set("cmi.objectives.${n}.id", "objective-${i}"), v2004.set("cmi.objectives.${n}.success_status", "passed")]),
        v2004.get("cmi.objectives._count", "2"),
        repeat(2, "i", [v2004.read("cmi.comments_from_learner._count", "n"), v2004.set("cmi.comments_from_learner.${n}.comment", "comment ${i}")]),
        v2004.get("cmi.comments_from_learner._count", "2"),
        ...v2004.setAll({ "cmi.score.scaled": "1", "cmi.success_status": "passed", "cmi.completion_status": "completed" }),
        v2004.terminate(),
      ]);
      await h.play();
      const launch = await h.launch("QUIZ", { check: false });
      await terminated(h, "QUIZ");
      const stored = await h.cmi("QUIZ");
      type Interaction = { id: string; learner_response: string; objectives: Record<string, { id: string }>; correct_responses: Record<string, { pattern: string }> };
      const interactions = Object.values((stored.interactions ?? {}) as Record<string, Interaction>).map((interaction) => ({
        id: interaction.id,
        learner_response: interaction.learner_response,
        objectives: Object.values(interaction.objectives ?? {}).map((objective) => objective.id),
        patterns: Object.values(interaction.correct_responses ?? {}).map((response) => response.pattern),
      }));
      expect(interactions).toEqual(
        Array.from({ length: 14 }, (_, i) => ({ id: `question-${i}`, learner_response: `answer-${i}`, objectives: [`objective-${i}`, "quiz"], patterns: [`answer-${i}`, `answer-${i}[,]other`] })),
      );
      expect(Object.values((stored.objectives ?? {}) as Record<string, { id: string }>).map((objective) => objective.id)).toEqual(["objective-0", "objective-1"]);
      expect(Object.values((stored.comments_from_learner ?? {}) as Record<string, { comment: string }>).map((comment) => comment.comment)).toEqual(["comment 0", "comment 1"]);
      launch.expectAsSpecified();
    },
  },
  {
    id: "I17-1b",
    family: "issue-17",
    title: 'item 1: a refused SetValue answers "false" with its GetLastError at once, and the value stays as it was',
    source: "issue 17 item 1; SCORM 2004 4th RTE 3.1 SetValue, 3.1.7.5 (404, 406, 407); SCORM 1.2 RTE 3.3 LMSSetValue (405)",
    package: { version: "2004 4th", items: [{ id: "S1" }] },
    async run(h) {
      h.queue("S1", [
        v2004.initialize(),
        v2004.set("cmi.completion_status", "incomplete"),
        v2004.set("cmi.completion_status", "done", { error: "406" }),
        v2004.get("cmi.completion_status", "incomplete"),
        v2004.set("cmi.score.scaled", "2", { error: "407" }),
        v2004.get("cmi.score.scaled", { error: "403" }),
        v2004.set("cmi.learner_name", "Someone Else", { error: "404" }),
        v2004.get("cmi.learner_name", "Smith, Jane"),
        v2004.set("cmi.interactions.0.id", "q1"),
        v2004.set("cmi.interactions.0.type", "multiple", { error: "406" }),
        v2004.get("cmi.interactions.0.type", { error: "403" }),
        v2004.get("cmi.interactions._count", "1"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "I17-2a",
    family: "issue-17",
    title: "item 2: SCORM 2004 SCOs with no sequencing that call only Initialize and Terminate complete, and the course with them",
    source: "issue 17 item 2; SCORM 2004 4th SN deliveryControls defaults (completionSetByContent, objectiveSetByContent false), UP.4 End Attempt, RB.1 roll-up",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }] },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect((await h.scoRows())[0]).toMatchObject({ scoId: "S1", completionStatus: "completed" });
      for (const sco of ["S2", "S3"]) {
        await h.choose(sco);
        await h.launch(sco);
        await terminated(h, sco);
      }
      expect((await h.scoRows()).map((row) => row.completionStatus)).toEqual(["completed", "completed", "completed"]);
      // Before Home: the player saves the sequencer's roll-up as soon as the last SCO has ended.
      // Satisfied only by the LMS's defaults: nothing was assessed, so Completed (not Passed).
      await performanceStatus(h, "Completed");
      await h.home();
    },
  },
  {
    id: "I17-2b",
    family: "issue-17",
    title: "item 2: a SCORM 2004 course whose resources are all assets completes when each has been delivered",
    source: "issue 17 item 2; SCORM 2004 4th SN UP.4 (an asset's attempt ends completed and satisfied), RB.1 roll-up",
    package: { version: "2004 4th", items: [{ id: "A1", type: "asset" }, { id: "A2", type: "asset" }] },
    async run(h) {
      await h.play();
      await h.launch("A1");
      await h.choose("A2");
      await h.launch("A2");
      await h.home();
      expect((await h.attempt()).performance_status).toMatch(FINISHED);
    },
  },
  {
    id: "I17-3a",
    family: "issue-17",
    title: "item 3: SCORM 1.2 SCOs that never set lesson_status are completed at LMSFinish, and the course of them completes",
    source: "issue 17 item 3; SCORM 1.2 RTE 3.4 cmi.core.lesson_status (LMS behaviour at LMSFinish: not attempted -> completed)",
    package: { version: "1.2", items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }] },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect(await h.cmi("S1")).toMatchObject({ core: { lesson_status: "completed" } });
      await h.launch("S2");
      await h.launch("S3");
      await h.closed();
      expect((await h.scoRows()).map((row) => row.completionStatus)).toEqual(["completed", "completed", "completed"]);
      expect((await h.attempt()).performance_status).toBe("Completed");
    },
  },
  {
    id: "I17-3b",
    family: "issue-17",
    title: "item 3: a SCORM 1.2 SCO that reports only a score is passed or failed at LMSFinish against adlcp:masteryscore",
    source: "issue 17 item 3; SCORM 1.2 RTE 3.4 cmi.student_data.mastery_score, cmi.core.lesson_status",
    package: { version: "1.2", items: [{ id: "S1", masteryScore: 80 }, { id: "S2", masteryScore: 80 }] },
    async run(h) {
      h.queue("S1", [v12.initialize(), v12.set("cmi.core.score.raw", "90"), v12.terminate()]);
      h.queue("S2", [v12.initialize(), v12.set("cmi.core.score.raw", "50"), v12.terminate()]);
      await h.play();
      await h.launch("S1");
      await terminated(h, "S1");
      expect(await h.cmi("S1")).toMatchObject({ core: { lesson_status: "passed" } });
      await h.launch("S2");
      await h.closed();
      expect(await h.cmi("S2")).toMatchObject({ core: { lesson_status: "failed" } });
    },
  },
  {
    id: "I17-4a",
    family: "issue-17",
    title: "item 4: a flow-only course whose SCOs are all in an invisible item offers Next and Previous, and they move through it",
    source: "issue 17 item 4; SCORM 2004 4th CAM item isvisible (the contents only); SN controlMode flow, 4.4 continue / previous",
    package: flowOnly(),
    async run(h) {
      h.queue("S1", [v2004.initialize()], [v2004.initialize()]);
      h.queue("S2", [v2004.initialize()]);
      await h.play();
      await h.launch("S1");
      const controls = await h.controls();
      expect(controls.contents).toEqual([]);
      expect(controls.next).toEqual({ shown: true, enabled: true });
      expect(controls.previous.shown).toBe(true);
      await h.next();
      await h.launch("S2");
      await h.previous();
      await h.launch("S1");
    },
  },
  {
    id: "I17-4b",
    family: "issue-17",
    title: "item 4: hideLMSUI hides Next and Previous; the SCO's own continue moves the flow-only course on",
    source: "issue 17 item 4; SCORM 2004 4th CAM adlnav:presentation hideLMSUI; RTE 4.4.1 adl.nav.request",
    package: flowOnly(`<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>`),
    async run(h) {
      h.queue("S1", [v2004.initialize(), wait(1_000), ...terminateWith("continue")]);
      h.queue("S2", [v2004.initialize()]);
      await h.play();
      await h.launch("S1", { until: 0 });
      const controls = await h.controls();
      expect([controls.next.shown, controls.previous.shown]).toEqual([false, false]);
      await h.launch("S1");
      await h.launch("S2");
      expect((await h.controls()).next.shown).toBe(false);
    },
  },
  {
    id: "I17-5",
    family: "issue-17",
    title: "item 5: a second Play after Home, in the same browser, on a 30-SCO course with flow off resumes, and Home closes it again",
    source: "issue 17 item 5; SCORM 2004 4th SN 4.2.1 Resume All; README, The player window (Home, commits)",
    // Thirty SCOs, no sequencing (flow off): the sequencer's saved state is then larger than a
    // beacon may carry (64 KiB), as a real course's is.
    package: { version: "2004 4th", items: Array.from({ length: 30 }, (_, index) => ({ id: `S${index + 1}` })) },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.location", "page-2")], [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.get("cmi.location", "page-2")]);
      await h.play();
      await h.launch("S1");
      await h.home();
      const unsent = async () => Object.entries(await h.localStorage()).filter(([, value]) => value.includes(`/runtime/attempts/${h.attemptId}/`));
      expect(await unsent(), "Home waited for every request: nothing is left unsent in local storage").toEqual([]);
      await h.play();
      await h.launch("S1");
      await h.home();
      expect(await unsent()).toEqual([]);
      // Once the window is closed, nothing more is sent (the blank window sent its state every 400 ms).
      const requests = () => h.servers.seen.filter((request) => request.url.startsWith(`/runtime/attempts/${h.attemptId}/`)).length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const settled = requests();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(requests()).toBe(settled);
    },
  },
  {
    id: "I17-5b",
    family: "issue-17",
    title: "item 5: a flow-only course whose player window went while a SCO ran, with nothing sent as it went (a killed browser), resumes that SCO on the next Play",
    source: "issue 17 item 5; SCORM 2004 4th SN 4.2.1 Resume All, TB.2.3 suspendAll; RTE 4.2.8 cmi.entry",
    package: flowOnly(),
    async run(h) {
      h.queue("S1", [v2004.initialize()]);
      h.queue("S2", [v2004.initialize(), v2004.set("cmi.location", "page-3"), v2004.commit()], [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.get("cmi.location", "page-3")]);
      h.queue("S3", [v2004.initialize()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      // The server holds S2's commit and the state the window saved when it delivered S2.
      await expect.poll(async () => (await h.commits("S2")).length, { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(async () => ((await h.sequencingState()) as { currentActivityId?: string } | null)?.currentActivityId, { timeout: 15_000 }).toBe("S2");
      await h.closePlayer({ killed: true });
      // Given time to arrive, nothing more came: S2's session never ended, as the LMS knows it.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await h.commits("S2")).toEqual([expect.objectContaining({ isTerminateCommit: false })]);
      expect(await h.sequencingState()).toMatchObject({ currentActivityId: "S2", sequencing: { suspendedActivity: null } });
      await h.play();
      await h.launch("S2");
      await h.next();
      await h.launch("S3");
    },
  },
  ...exitCases,
  {
    id: "I17-7a",
    family: "issue-17",
    title: "item 7: a SCORM 1.2 session_time of 400 digits of hours is refused at SetValue with 405, and another learner's commits at the same moment are stored",
    source: "issue 17 item 7; SCORM 1.2 RTE 3.4 cmi.core.session_time (CMITimespan), error 405; DESIGN.md Runtime persistence",
    package: { version: "1.2", items: [{ id: "S1" }] },
    async run(h) {
      await commitsSideBySide(
        h,
        [v12.initialize(), v12.set("cmi.core.lesson_location", "a-before"), v12.set("cmi.core.session_time", `${ABSURD_HOURS}:00:00`, { error: "405" }), v12.commit(), wait(300), v12.set("cmi.core.lesson_location", "a-after"), v12.commit(), v12.terminate()],
        [v12.initialize(), v12.set("cmi.core.lesson_location", "b"), v12.commit(), wait(300), v12.set("cmi.core.lesson_location", "b-after"), v12.commit(), v12.terminate()],
        "1.2",
      );
    },
  },
  {
    id: "I17-7b",
    family: "issue-17",
    title: "item 7: a SCORM 2004 session_time of 400 digits of hours is refused at SetValue with 407, and another learner's commits at the same moment are stored",
    source: "issue 17 item 7; SCORM 2004 4th RTE 4.2.21 cmi.session_time (timeinterval), error 407",
    package: { version: "2004 4th", items: [{ id: "S1" }] },
    async run(h) {
      await commitsSideBySide(
        h,
        [v2004.initialize(), v2004.set("cmi.location", "a-before"), v2004.set("cmi.session_time", `PT${ABSURD_HOURS}H`, { error: "407" }), v2004.commit(), wait(300), v2004.set("cmi.location", "a-after"), v2004.commit(), v2004.terminate()],
        [v2004.initialize(), v2004.set("cmi.location", "b"), v2004.commit(), wait(300), v2004.set("cmi.location", "b-after"), v2004.commit(), v2004.terminate()],
        "2004",
      );
    },
  },
  {
    id: "I17-8a",
    family: "issue-17",
    title: "item 8: a manifest with <organizations/> and one SCO resource imports, its organization built from the resources",
    source: "issue 17 item 8; SCORM CAM: organizations may be empty (a resource package); Moodle builds the organization from the resources",
    browser: false,
    async run(h) {
      const imported = await h.importPackage({
        version: "2004 4th",
        items: [],
        manifest: `<?xml version="1.0"?><manifest identifier="resources-only" version="1" ${NAMESPACES_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations/>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="lesson.html"><file href="lesson.html"/></resource></resources>
</manifest>`,
        files: { "lesson.html": "<!DOCTYPE html><title>Lesson</title><p>Lesson</p>" },
      });
      expect(imported, imported instanceof Error ? imported.message : "").not.toBeInstanceOf(Error);
      expect(imported).toMatchObject({ scos: 1 });
    },
  },
  ...(
    [
      ["I17-8b", "an AICC course", { "course.crs": "[Course]\nCourse_ID=C1\n", "course.au": '"System_ID","Type","File_Name"\n"A1","lesson","index.html"\n', "course.des": '"System_ID","Title"\n"A1","Lesson"\n', "course.cst": '"Block","Member"\n"root","A1"\n', "index.html": "<p>AICC</p>" }, /AICC/],
      ["I17-8c", "a Tin Can (xAPI) course", { "tincan.xml": '<?xml version="1.0"?><tincan xmlns="http://projecttincan.com/tincan.xsd"><activities><activity id="http://example.org/a" type="http://adlnet.gov/expapi/activities/course"><name>Course</name><launch lang="und">index.html</launch></activity></activities></tincan>', "index.html": "<p>xAPI</p>" }, /Tin ?Can|xAPI/i],
      ["I17-8d", "a cmi5 course", { "cmi5.xml": '<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="http://example.org/c"><title><langstring lang="en">Course</langstring></title></course><au id="http://example.org/au"><title><langstring lang="en">AU</langstring></title><url>index.html</url></au></courseStructure>', "index.html": "<p>cmi5</p>" }, /cmi5/i],
    ] as const
  ).map(
    ([id, what, files, names]): ConformanceCase => ({
      id,
      family: "issue-17",
      title: `item 8: ${what} is refused, saying what it is`,
      source: "issue 17 item 8; the validation report names the problem (README, Course packages)",
      browser: false,
      async run(h) {
        const refused = await h.importPackage({ version: "1.2", items: [], manifest: null, files: { ...files } });
        expect(refused).toBeInstanceOf(Error);
        const words = refused instanceof Error ? [refused.message, ...("findings" in refused ? refused.findings.map((finding) => finding.message) : [])].join("\n") : "";
        expect(words).toMatch(names);
      },
    }),
  ),
  {
    id: "I17-8e",
    family: "issue-17",
    title: "item 8: an unknown schemaversion imports, with a warning that names it",
    source: "issue 17 item 8; SCORM CAM <schemaversion>",
    browser: false,
    async run(h) {
      const imported = await h.importPackage({
        version: "2004 4th",
        items: [],
        manifest: `<?xml version="1.0"?><manifest identifier="future" version="1" ${NAMESPACES_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 5th Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>Future</title><item identifier="I1" identifierref="R1"><title>Lesson</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="lesson.html"><file href="lesson.html"/></resource></resources>
</manifest>`,
        files: { "lesson.html": "<!DOCTYPE html><title>Lesson</title><p>Lesson</p>" },
      });
      expect(imported, imported instanceof Error ? imported.message : "").not.toBeInstanceOf(Error);
      if (imported instanceof Error) return;
      expect(imported.warnings.map((warning) => warning.message).join("\n")).toMatch(/2004 5th Edition/);
    },
  },
];
