import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildAttempt, importCourses } from "../support/attempts.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { enrol, subscribe, unsubscribe } from "../../server/learning/subscriptions.ts";
import { creditEarnedAttempts } from "../../server/learning/credit-service.ts";
import { certificationView } from "../../server/learning/certification-view.ts";
import { currentLearning, type CurrentLearningRow } from "../../server/learning/current-learning.ts";
import type { PerformanceStatus } from "../../server/scorm/status.ts";

/**
 * Current Learning reads every certification of the learner at once (certificationViews); each
 * row must say what that certification's own page says. Learners in the states the page tells
 * apart, on a fixed clock, each row checked against the page and against what the guide says.
 */

const TODAY = "2026-06-01";
const M1 = "297 Statuses - Module One";
const M2 = "297 Statuses - Module Two";
const EA = "297 Statuses - eAssessment";
const SESSION = "297 Statuses - Session";
const CLASSROOM = "297 Statuses - Classroom";
const NOT_YET = "297 Statuses - Not Imported";

type Step =
  | { at: string; subscribe: true }
  | { at: string; unsubscribe: true }
  | { at: string; enrol: string }
  | { at: string; play: string; status: PerformanceStatus; score?: number; preview?: true }
  /** A classroom booking on the course's classroom class, in this state. */
  | { at: string; book: string; state: "Enrolled" | "Attended" | "Requested" | "Waiting List" };

interface Case {
  why: string;
  components: Array<{ courseCode: string; requires?: "pass"; satisfiedBy?: string }>;
  completeWithinDays?: number;
  renewable?: boolean;
  steps: Step[];
  /** Current Learning's rows (show all), newest first: "course: [earlier ]Component Status / Performance Status / Play". */
  expected: string[];
}

const day = (date: string, time = "09:00") => `${date}T${time}:00.000Z`;

const cases: Case[] = [
  { why: "enrolled, not played", components: [{ courseCode: M1 }, { courseCode: M2 }], steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }], expected: [`${M1}: Planned / Not Attempted / play`] },
  {
    why: "played, incomplete",
    components: [{ courseCode: M1 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-02"), play: M1, status: "Incomplete" }],
    expected: [`${M1}: Planned / Incomplete / play`],
  },
  {
    why: "one component of two done",
    components: [{ courseCode: M1 }, { courseCode: M2 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-01", "09:02"), enrol: M2 }, { at: day("2026-05-02"), play: M1, status: "Completed" }],
    expected: [`${M2}: Planned / Not Attempted / play`, `${M1}: Completed / Completed / play`],
  },
  {
    why: "played before subscribing (rule 1)",
    components: [{ courseCode: M1 }],
    steps: [{ at: day("2026-04-20"), play: M1, status: "Completed" }, { at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }],
    expected: [`${M1}: Planned / Completed / play`],
  },
  {
    why: "a preview counts for nothing, and is not the latest attempt",
    components: [{ courseCode: M1 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-02"), play: M1, status: "Completed", preview: true }],
    expected: [`${M1}: Planned / Not Attempted / play`],
  },
  {
    why: "an assessment completed, not passed (rule 2)",
    components: [{ courseCode: EA, requires: "pass" }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: EA }, { at: day("2026-05-02"), play: EA, status: "Completed", score: 0.5 }],
    expected: [`${EA}: Planned / Completed / play`],
  },
  {
    why: "an assessment failed, then passed",
    components: [{ courseCode: EA, requires: "pass" }, { courseCode: M2 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: EA }, { at: day("2026-05-02"), play: EA, status: "Failed", score: 0.4 }, { at: day("2026-05-03"), play: EA, status: "Passed", score: 0.9 }],
    expected: [`${EA}: Completed / Passed / play`],
  },
  {
    why: "an assessment failed",
    components: [{ courseCode: EA, requires: "pass" }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: EA }, { at: day("2026-05-02"), play: EA, status: "Failed", score: 0.4 }],
    expected: [`${EA}: Planned / Failed / play`],
  },
  {
    why: "a session satisfied by passing its eAssessment (rule 3)",
    components: [{ courseCode: SESSION, satisfiedBy: EA }, { courseCode: EA, requires: "pass" }, { courseCode: M2 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: SESSION }, { at: day("2026-05-01", "09:02"), enrol: EA }, { at: day("2026-05-02"), play: EA, status: "Passed" }],
    expected: [`${EA}: Completed / Passed / play`, `${SESSION}: Completed / Not Attempted / play`],
  },
  {
    why: "expired: not completed within its days (rule 6)",
    components: [{ courseCode: M1 }],
    completeWithinDays: 30,
    steps: [{ at: day("2026-01-05"), subscribe: true }, { at: day("2026-01-05", "09:01"), enrol: M1 }, { at: day("2026-01-06"), play: M1, status: "Incomplete" }],
    expected: [`${M1}: Planned / Incomplete / warn`],
  },
  {
    why: "completed the certification (renewable: Play warns, replaying renews nothing)",
    components: [{ courseCode: M1 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-02"), play: M1, status: "Completed" }],
    expected: [`${M1}: Completed / Completed / warn`],
  },
  {
    why: "completed a certification that cannot be renewed",
    components: [{ courseCode: M1 }],
    renewable: false,
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-02"), play: M1, status: "Completed" }],
    expected: [`${M1}: Completed / Completed / play`],
  },
  {
    why: "renewal: subscribed again after completing, the earlier enrolment kept as history",
    components: [{ courseCode: M1 }],
    steps: [
      { at: day("2026-02-01"), subscribe: true },
      { at: day("2026-02-01", "09:01"), enrol: M1 },
      { at: day("2026-02-02"), play: M1, status: "Completed" },
      { at: day("2026-05-01"), subscribe: true },
      { at: day("2026-05-01", "09:01"), enrol: M1 },
    ],
    expected: [`${M1}: Planned / Completed / play`, `${M1}: earlier Completed / Completed / -`],
  },
  {
    why: "unsubscribed after doing one component: what was credited stays",
    components: [{ courseCode: M1 }, { courseCode: M2 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-02"), play: M1, status: "Completed" }, { at: day("2026-05-03"), unsubscribe: true }],
    expected: [`${M1}: Completed / Completed / warn`],
  },
  {
    why: "unsubscribed, played, subscribed again: credits carried over, the played attempt not counted",
    components: [{ courseCode: M1 }, { courseCode: M2 }],
    steps: [
      { at: day("2026-05-01"), subscribe: true },
      { at: day("2026-05-01", "09:01"), enrol: M1 },
      { at: day("2026-05-02"), play: M1, status: "Completed" },
      { at: day("2026-05-03"), unsubscribe: true },
      { at: day("2026-05-04"), play: M2, status: "Completed" },
      { at: day("2026-05-05"), subscribe: true },
      { at: day("2026-05-05", "09:01"), enrol: M2 },
    ],
    expected: [`${M2}: Planned / Completed / play`, `${M1}: earlier Completed / Completed / -`],
  },
  {
    why: "booked on a classroom class: the class is the route that counts",
    components: [{ courseCode: CLASSROOM }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), book: CLASSROOM, state: "Enrolled" }],
    expected: [`${CLASSROOM}: Planned / Not Attempted / classroom`],
  },
  {
    why: "a classroom request is Requested Learning's, not Current Learning's",
    components: [{ courseCode: CLASSROOM }, { courseCode: M1 }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), book: CLASSROOM, state: "Requested" }, { at: day("2026-05-01", "09:02"), enrol: M1 }],
    expected: [`${M1}: Planned / Not Attempted / play`],
  },
  {
    why: "a course with no package yet: nothing to play",
    components: [{ courseCode: NOT_YET }],
    steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: NOT_YET }],
    expected: [`${NOT_YET}: Planned / Not Attempted / -`],
  },
];

describe("Current Learning's statuses are the certification page's", () => {
  let t: TestApp;
  const clock = settableClock(day("2026-01-01"));
  const courseIds: Record<string, number> = {};
  let built = 0;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    Object.assign(courseIds, await importCourses(t, [M1, M2, EA, SESSION, CLASSROOM]));
    const [course] = await t.db("courses").insert({ code: NOT_YET, title: NOT_YET, created_at: day("2026-01-01") }).returning("id");
    courseIds[NOT_YET] = Number(course.id);
    await t.db("classes").insert({ course_id: courseIds[NOT_YET], kind: "elearning", title: `${NOT_YET} (e-learning)` });
    await t.db("classes").insert({ course_id: courseIds[CLASSROOM], kind: "classroom", title: "Classroom, Main Hall", status: "open", starts_at: day("2026-07-01"), ends_at: day("2026-07-01", "12:00"), venue: "Main Hall", capacity: 20, created_at: day("2026-01-01") });
  }, 60_000);
  afterAll(() => t.cleanup());

  /** A certification of its own for the case, the case's steps played by the learner on it. */
  async function playCase(personId: number, spec: Case): Promise<number> {
    built += 1;
    const { certificationId, componentIds } = await buildCertification(t.db, { name: `297 Statuses ${built} - ${spec.why}`, competency: `NHS|CSTF|Statuses ${built}|`, validDays: 365, completeWithinDays: spec.completeWithinDays ?? 365, renewable: spec.renewable ?? true, components: spec.components });
    for (const step of spec.steps) {
      clock.set(step.at);
      const actor = { personId };
      if ("subscribe" in step) await subscribe(t.db, clock, actor, certificationId);
      else if ("unsubscribe" in step) await unsubscribe(t.db, clock, actor, certificationId);
      else if ("enrol" in step) await enrol(t.db, clock, actor, certificationId, componentIds[step.enrol]!);
      else if ("book" in step) await book(personId, certificationId, step.book, step.state, step.at);
      else await play(personId, step);
    }
    return certificationId;
  }

  async function book(personId: number, certificationId: number, code: string, state: string, at: string) {
    const subscription = await t.db("subscriptions").where({ person_id: personId, certification_id: certificationId }).orderBy("id", "desc").first("id");
    const classroom = await t.db("classes").where({ course_id: courseIds[code], kind: "classroom" }).first("id");
    await t.db("enrolments").insert({ person_id: personId, class_id: classroom.id, subscription_id: subscription.id, status: state, enrolled_at: at, waiting_since: state === "Waiting List" ? at : null });
  }

  /** An attempt as Play makes it, finished as the runtime writer would, crediting in the same way. */
  async function play(personId: number, step: Extract<Step, { play: string }>) {
    const version = await t.db("course_versions").where({ course_id: courseIds[step.play] }).orderBy("id", "desc").first("id");
    const attemptId = await buildAttempt({ db: t.db, personId, courseVersionId: Number(version.id), startedAt: step.at, preview: step.preview ?? false });
    const finished = step.status === "Completed" || step.status === "Passed";
    await t.db("attempts").where({ id: attemptId }).update({ performance_status: step.status, score_scaled: step.score ?? null, completed_at: finished ? step.at : null, last_commit_at: step.at });
    if (finished && !step.preview) await t.db.transaction((trx) => creditEarnedAttempts(trx, [{ id: attemptId, personId }], step.at));
  }

  const all = (personId: number) => currentLearning(t.db, personId, TODAY, { show: "all", componentStatus: "any", mandatoryOnly: false, page: 0 });

  const describeRow = (row: CurrentLearningRow) => `${row.course}: ${row.latest ? "" : "earlier "}${row.componentStatus} / ${row.performanceStatus} / ${row.play ?? "-"}`;

  /** Every row under a latest subscription says what its certification page says of that component. */
  async function expectSameAsCertificationPages(personId: number, rows: CurrentLearningRow[]) {
    for (const row of rows) {
      const page = await certificationView(t.db, personId, row.certification.id, TODAY);
      expect(page, row.certification.name).toBeDefined();
      if (!row.latest) continue;
      const component = page!.components.find((candidate) => candidate.course === row.course)!;
      expect({ course: row.course, subscription: row.subscriptionStatus, status: row.componentStatus, date: row.completionDate, performance: row.performanceStatus, attempt: row.latestAttemptId, componentId: row.componentId, playable: row.playable, play: row.play }).toEqual({
        course: component.course,
        subscription: page!.subscription!.status,
        status: component.componentStatus,
        date: component.completionDate,
        performance: component.performanceStatus,
        attempt: component.latestAttemptId,
        componentId: component.componentId,
        playable: Boolean(component.offer?.playable),
        play: component.play,
      });
    }
  }

  it.each(cases.map((spec) => [spec.why, spec] as const))("%s", async (_why, spec) => {
    const learner = await buildLearner(t.db, clock);
    await playCase(learner.personId, spec);
    const { rows } = await all(learner.personId);
    expect(rows.map(describeRow)).toEqual(spec.expected);
    await expectSameAsCertificationPages(learner.personId, rows);
  });

  it("says the same when one learner is in every one of these states at once, their certifications sharing courses", async () => {
    const learner = await buildLearner(t.db, clock);
    for (const spec of cases) await playCase(learner.personId, spec);
    const { rows, total } = await all(learner.personId);
    expect(total).toBe(cases.reduce((sum, spec) => sum + spec.expected.length, 0));
    expect(new Set(rows.map((row) => row.certification.id)).size).toBeGreaterThan(1);
    const every = [];
    for (let page = 0; page * 25 < total; page++) every.push(...(await currentLearning(t.db, learner.personId, TODAY, { show: "all", componentStatus: "any", mandatoryOnly: false, page })).rows);
    await expectSameAsCertificationPages(learner.personId, every);
    // Not merely the same: the states differ from one another, as the cases do.
    expect(new Set(every.map((row) => `${row.componentStatus}/${row.performanceStatus}/${row.play}`)).size).toBeGreaterThan(4);
  });

  it("reads a learner's certifications in as many statements for 30 certifications as for one", async () => {
    const statementsFor = async (certifications: number) => {
      const learner = await buildLearner(t.db, clock);
      for (let n = 0; n < certifications; n++) {
        await playCase(learner.personId, { why: `count ${certifications}.${n}`, components: [{ courseCode: M1 }, { courseCode: EA, requires: "pass" }], steps: [{ at: day("2026-05-01"), subscribe: true }, { at: day("2026-05-01", "09:01"), enrol: M1 }, { at: day("2026-05-01", "09:02"), enrol: EA }, { at: day("2026-05-02"), play: EA, status: "Completed", score: 0.2 }], expected: [] });
      }
      let statements = 0;
      const count = () => (statements += 1);
      (t.db as Knex).on("query", count);
      try {
        const { total } = await all(learner.personId);
        expect(total).toBe(certifications * 2);
      } finally {
        (t.db as Knex).removeListener("query", count);
      }
      return statements;
    };
    const one = await statementsFor(1);
    expect(one).toBeGreaterThan(3);
    expect(await statementsFor(30)).toBe(one);
  });
});
