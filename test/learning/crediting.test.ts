import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../server/audit/store.ts";
import { playCourse } from "../../server/learning/attempts.ts";
import { enrol, subscribe, unsubscribe } from "../../server/learning/subscriptions.ts";
import { importCatalog, parseCatalog } from "../../server/setup/import-catalog.ts";
import { expireOverdueSubscriptions } from "../../server/learning/credit-service.ts";
import { lms } from "../support/run-cli.ts";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourses } from "../support/attempts.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";
import { certificationView } from "../../server/learning/certification-view.ts";
import { createComplianceStore } from "../../server/compliance/store.ts";
import { courseStatuses } from "../../server/learning/course-status.ts";

const MODULE = "297 Credit Test - Part 1";
const ASSESSMENT = "297 Credit Test - eAssessment";
const SESSION = "297 Credit Test - Session";

/**
 * Crediting through the real app: commits arrive over HTTP, and the credit is in the commit's own
 * transaction (runtime-batch.ts -> credit-service.ts), with an audit event naming attempt and rule.
 */
describe("crediting a certification from the commits that earn it", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const courseIds: Record<string, number> = {};
  let certificationId: number;
  let competencyId: number;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    Object.assign(courseIds, await importCourses(t, [MODULE, ASSESSMENT, SESSION]));
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Credit Test - 3 Years|" }).returning("id");
    competencyId = Number(competency.id);
    const [certification] = await t.db("certifications")
      .insert({ name: "297 Core Skills - Credit Test - 3 Years", competency_id: competencyId, competence_level: "1 - Assessed", valid_days: 1095, complete_within_days: 30, renewable: true })
      .returning("id");
    certificationId = Number(certification.id);
    await t.db("certification_components").insert([
      { certification_id: certificationId, position: 1, course_code: MODULE, requires: "completion" },
      { certification_id: certificationId, position: 2, course_code: SESSION, requires: "completion", satisfied_by_course_code: ASSESSMENT },
      { certification_id: certificationId, position: 3, course_code: ASSESSMENT, requires: "pass" },
    ]);
  });
  afterAll(() => t.cleanup());

  async function newLearner() {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/")).text);
    let sequence = 0;
    return {
      ...learner,
      /** Play (resume or start) the course at `at`, and commit this lesson status and raw score. */
      async play(code: string, at: string, lessonStatus: string, raw?: string) {
        clock.set(at);
        const { attemptId } = await playCourse(t.db, t.clock, { personId: learner.personId, courseId: courseIds[code]! });
        const score = raw === undefined ? {} : { score: { raw } };
        const response = await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: ++sequence, cmi: { core: { lesson_status: lessonStatus, ...score } } });
        return { attemptId, response };
      },
    };
  }
  const subscriptionOf = (personId: number) => t.db("subscriptions").where({ person_id: personId, certification_id: certificationId }).orderBy("id", "desc").first();
  const creditsOf = async (subscriptionId: number) => (await t.db("component_credits").where({ subscription_id: subscriptionId }).orderBy("id")).map((row) => [String(row.course_code), row.how, Number(row.attempt_id)]);
  const recordsOf = (personId: number) => t.db("competence_records").where({ person_id: personId, competency_id: competencyId }).orderBy("id");
  const auditOf = async (personId: number, kind: string) => (await listAudit(t.db, { personId, kind })).map((event) => event.detail);

  it("credits each component as its learning is done, completes the certification on the last, and awards the competency", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);

    const module = await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    expect(module.response.status).toBe(200);
    // The assessment: completed at 60% (pass mark 80%) passes nothing; a new attempt passes.
    const failed = await learner.play(ASSESSMENT, "2026-03-02T10:00:00.000Z", "completed", "60");
    expect(failed.response.body.performanceStatus).toBe("Failed");
    expect((await subscriptionOf(learner.personId)).status).toBe("Subscribed");
    const passed = await learner.play(ASSESSMENT, "2026-03-03T10:00:00.000Z", "completed", "90");
    expect(passed.attemptId).not.toBe(failed.attemptId);
    expect(passed.response.body.performanceStatus).toBe("Passed");

    expect(await creditsOf(subscriptionId)).toEqual([
      [MODULE, "done", module.attemptId],
      [SESSION, "satisfied", passed.attemptId],
      [ASSESSMENT, "done", passed.attemptId],
    ]);
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Completed", completed_at: "2026-03-03T10:00:00.000Z" });
    expect(await recordsOf(learner.personId)).toEqual([
      expect.objectContaining({ level: "1 - Assessed", achieved_on: "2026-03-03", expires_on: "2029-03-02", source: "certification", status: "approved", certification_id: certificationId }),
    ]);
    expect((await auditOf(learner.personId, "component.credited")).map((detail) => [detail.course, detail.attemptId, detail.rule])).toEqual([
      [MODULE, module.attemptId, "rule 2: module completed"],
      [SESSION, passed.attemptId, `rule 3: satisfied by passing ${ASSESSMENT}`],
      [ASSESSMENT, passed.attemptId, "rule 2: assessment passed"],
    ]);
    expect(await auditOf(learner.personId, "competency.awarded")).toEqual([expect.objectContaining({ attemptId: passed.attemptId, expiresOn: "2029-03-02", rule: "rule 4: awarded for 1095 days" })]);

    // Nothing completed is undone: a later commit saying incomplete changes no credit or record.
    await learner.play(MODULE, "2026-03-04T10:00:00.000Z", "incomplete");
    expect(await creditsOf(subscriptionId)).toHaveLength(3);
    expect(await recordsOf(learner.personId)).toHaveLength(1);
  });

  it("credits nothing for learning played before subscribing, even once subscribed", async () => {
    const learner = await newLearner();
    await learner.play(MODULE, "2026-03-01T08:00:00.000Z", "completed");
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    expect(await creditsOf(subscriptionId)).toEqual([]);
    expect(await auditOf(learner.personId, "component.credited")).toEqual([]);
  });

  it("starts afresh at Play when the unfinished attempt began before subscribing, so that the learning counts", async () => {
    const learner = await newLearner();
    const early = await learner.play(MODULE, "2026-03-01T08:00:00.000Z", "incomplete");
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    const fresh = await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "incomplete");
    expect(fresh.attemptId).not.toBe(early.attemptId);
    expect((await t.db("attempts").where({ id: early.attemptId }).first()).performance_status).toBe("Incomplete");
    const [started] = (await listAudit(t.db, { personId: learner.personId, kind: "attempt.started" })).filter((event) => event.detail.attemptId === fresh.attemptId);
    expect(started!.detail).toMatchObject({ insteadOf: early.attemptId, why: "started before subscribing - not counted" });
    // Once it counts, Play resumes it as usual, and its completion is credited.
    expect((await learner.play(MODULE, "2026-03-01T11:00:00.000Z", "completed")).attemptId).toBe(fresh.attemptId);
    expect((await creditsOf(subscriptionId)).map(([, how, attemptId]) => [how, attemptId])).toEqual([["done", fresh.attemptId]]);
  });

  it("stops crediting at Unsubscribe, and keeps what was credited before", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    clock.set("2026-03-01T11:00:00.000Z");
    await unsubscribe(t.db, t.clock, learner, certificationId);
    await learner.play(ASSESSMENT, "2026-03-01T12:00:00.000Z", "passed", "95");
    expect(await creditsOf(subscriptionId)).toHaveLength(1);
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Unsubscribed" });
    expect(await recordsOf(learner.personId)).toEqual([]);
  });

  it("keeps what was credited when the learner unsubscribes and subscribes again", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    const first = await subscribe(t.db, t.clock, learner, certificationId);
    const module = await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    clock.set("2026-03-01T11:00:00.000Z");
    await unsubscribe(t.db, t.clock, learner, certificationId);
    clock.set("2026-03-01T12:00:00.000Z");
    const second = await subscribe(t.db, t.clock, learner, certificationId);
    expect((await creditsOf(second)).map(([, how, attemptId]) => [how, attemptId])).toEqual([["done", module.attemptId]]);
    expect(await creditsOf(first)).toHaveLength(1);
    expect(await auditOf(learner.personId, "subscription.credits_carried_over")).toEqual([expect.objectContaining({ subscriptionId: second, fromSubscriptionId: first, components: 1 })]);
    await learner.play(ASSESSMENT, "2026-03-01T13:00:00.000Z", "passed", "90");
    expect(await subscriptionOf(learner.personId)).toMatchObject({ id: second, status: "Completed" });
  });

  it("expires a subscription not completed within its days, and credits nothing after", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    expect((await subscriptionOf(learner.personId)).complete_by).toBe("2026-03-31");
    await learner.play(MODULE, "2026-04-01T10:00:00.000Z", "completed");
    expect(await creditsOf(subscriptionId)).toEqual([]);
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Expired" });
    expect(await auditOf(learner.personId, "subscription.expired")).toEqual([expect.objectContaining({ rule: "rule 6: not completed by 2026-03-31" })]);
  });

  it("expires overdue subscriptions no commit touches, with lms expire-subscriptions, audited", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    await subscribe(t.db, t.clock, learner, certificationId);
    clock.set("2026-03-31T22:30:00.000Z"); // 23:30 in London (BST): still 31 March, the complete-by date
    expect(await expireOverdueSubscriptions(t.db, t.clock.now().toISOString())).toBe(0);
    const run = await lms({ ...t.env, LMS_NOW: "2026-04-01T06:00:00Z" }, "expire-subscriptions");
    expect(run.stdout).toMatch(/^[1-9]\d* subscription\(s\) expired$/);
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Expired" });
    expect(await auditOf(learner.personId, "subscription.expired")).toEqual([expect.objectContaining({ cause: "daily expiry", rule: "rule 6: not completed by 2026-03-31" })]);
  });

  it("extends a competency on renewal, and never shortens one held for longer", async () => {
    const learner = await newLearner();
    await t.db("competence_records").insert({ person_id: learner.personId, competency_id: competencyId, level: "1 - Assessed", achieved_on: "2025-01-01", expires_on: "2030-01-01", source: "manual", status: "approved", created_at: "2025-01-01T00:00:00.000Z" });
    clock.set("2026-03-01T09:00:00.000Z");
    await subscribe(t.db, t.clock, learner, certificationId);
    await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    await learner.play(ASSESSMENT, "2026-03-01T11:00:00.000Z", "passed", "95");
    expect((await recordsOf(learner.personId)).map((record) => record.expires_on)).toEqual(["2030-01-01", "2030-01-01"]);
    expect(await auditOf(learner.personId, "competency.awarded")).toEqual([expect.objectContaining({ rule: "rule 4: renewal, extending a record held until 2030-01-01" })]);
  });

  it("credits in the commit's own transaction: when crediting fails, the commit stores nothing", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    await refuseInserts(t.db, "component_credits", "how", "done");
    try {
      const refused = await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
      expect(refused.response.status).toBe(500);
      expect((await t.db("attempts").where({ id: refused.attemptId }).first()).performance_status).toBe("Not Attempted");
    } finally {
      await stopRefusing(t.db, "component_credits");
    }
    expect(await creditsOf(subscriptionId)).toEqual([]);
  });

  it("keeps every credit through a catalog import that drops a component and one that adds it back", async () => {
    clock.set("2026-03-01T09:00:00.000Z");
    const finished = await newLearner();
    await subscribe(t.db, t.clock, finished, certificationId);
    await finished.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    await finished.play(ASSESSMENT, "2026-03-01T10:30:00.000Z", "passed", "90");
    const midway = await newLearner();
    const open = await subscribe(t.db, t.clock, midway, certificationId);
    await midway.play(MODULE, "2026-03-01T11:00:00.000Z", "completed");
    expect(await subscriptionOf(finished.personId)).toMatchObject({ status: "Completed" });
    const creditsBefore = await t.db("component_credits").select("subscription_id", "course_code", "attempt_id", "how", "credited_at").orderBy("id");

    const certification = await t.db("certifications").where({ id: certificationId }).first();
    const components = await t.db("certification_components").where({ certification_id: certificationId }).orderBy("position");
    const importComponents = (list: typeof components) =>
      importCatalog(t.db, t.clock, parseCatalog(JSON.stringify({
        competencies: [{ name: "NHS|CSTF|Credit Test - 3 Years|", description: "" }],
        certifications: [{ name: certification.name, competency: "NHS|CSTF|Credit Test - 3 Years|", competenceLevel: "1 - Assessed", validDays: 1095, completeWithinDays: 30, renewable: true, description: "",
          components: list.map((row) => ({ course: row.course_code, requires: row.requires, ...(row.satisfied_by_course_code ? { satisfiedBy: row.satisfied_by_course_code } : {}) })) }],
        positions: [],
        people: [],
      })));
    clock.set("2026-03-01T12:00:00.000Z");
    await importComponents(components.filter((row) => row.course_code !== MODULE)); // a file with Part 1 left out by mistake
    expect(await subscriptionOf(midway.personId)).toMatchObject({ id: open, status: "Subscribed" }); // the assessment is still to do
    expect((await createComplianceStore(t.db).openProgress(midway.personId)).get(competencyId)).toMatchObject({ done: 0, of: 2 }); // Part 1's credit is kept, uncounted
    await importComponents(components); // and the right one
    expect(await t.db("component_credits").select("subscription_id", "course_code", "attempt_id", "how", "credited_at").orderBy("id")).toEqual(creditsBefore);

    const statusOf = async (personId: number) => (await certificationView(t.db, personId, certificationId, "2026-03-01"))!.components.map((row) => [row.course, row.componentStatus]);
    expect(await statusOf(finished.personId)).toEqual([[MODULE, "Completed"], [SESSION, "Completed"], [ASSESSMENT, "Completed"]]);
    expect(await statusOf(midway.personId)).toEqual([[MODULE, "Completed"], [SESSION, "Planned"], [ASSESSMENT, "Planned"]]);
    const progress = await createComplianceStore(t.db).openProgress(midway.personId);
    expect(progress.get(competencyId)).toMatchObject({ done: 1, of: 3 });
  });

  it("warns before Play once a renewable certification is completed (replaying renews nothing), and not when it cannot be renewed", async () => {
    clock.set("2026-03-01T09:00:00.000Z");
    const learner = await newLearner();
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await subscribe(t.db, t.clock, learner, certificationId);
    const ids = Object.fromEntries((await t.db("certification_components").where({ certification_id: certificationId })).map((row) => [row.course_code, Number(row.id)]));
    for (const code of [MODULE, ASSESSMENT]) await enrol(t.db, t.clock, learner, certificationId, ids[code]!);
    await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    await learner.play(ASSESSMENT, "2026-03-01T10:30:00.000Z", "passed", "90");
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Completed" });

    const warning = `href="/learning/certifications/${certificationId}/components/${ids[MODULE]}/play" aria-label="Play ${MODULE}"`;
    // On the certification page, after completing, it is Play again: no longer the page's main action (issue 20).
    const again = `href="/learning/certifications/${certificationId}/components/${ids[MODULE]}/play" aria-label="Play again ${MODULE}">Play again</a>`;
    const pageHtml = (await agent.get(`/learning/certifications/${certificationId}`).expect(200)).text;
    expect(pageHtml).toContain(again);
    expect(pageHtml).not.toContain(`action="/learning/courses/${courseIds[MODULE]}/play"`);
    expect((await agent.get("/?mandatory=no").expect(200)).text).toContain(warning);
    const warningPage = (await agent.get(`/learning/certifications/${certificationId}/components/${ids[MODULE]}/play`).expect(200)).text;
    // Renewal is not open yet (the renewal rule): the warning says so, and offers no Subscribe.
    expect(warningPage).toContain("Playing again is for review only");
    expect(warningPage).toContain("You completed <strong>297 Core Skills - Credit Test - 3 Years</strong> on 01-Mar-2026");
    expect(warningPage).toContain("Renewal opens on 28-Nov-2028, 3 months before your competency expires on 28-Feb-2029.");
    expect(warningPage).not.toContain("Subscribe first");
    clock.set("2028-11-28T09:00:00.000Z");
    const renewalOpen = (await agent.get(`/learning/certifications/${certificationId}/components/${ids[MODULE]}/play`).expect(200)).text;
    expect(renewalOpen).toContain("Playing now will not renew your certification");
    expect(renewalOpen).toContain("Subscribe first");
    clock.set("2026-03-02T09:00:00.000Z");

    await t.db("certifications").where({ id: certificationId }).update({ renewable: false });
    try {
      const notRenewable = (await agent.get(`/learning/certifications/${certificationId}`).expect(200)).text;
      expect(notRenewable).not.toContain(again);
      expect(notRenewable).toContain(`action="/learning/courses/${courseIds[MODULE]}/play"`);
      expect(notRenewable).toMatch(/<button class="nhsuk-button nhsuk-button--secondary app-button-small" type="submit" aria-label="Play again 297 Credit Test - Part 1">Play again<\/button>/);
      expect(notRenewable).toContain("This certification is not renewable.");
      expect((await agent.get("/?mandatory=no").expect(200)).text).not.toContain(warning);
    } finally {
      await t.db("certifications").where({ id: certificationId }).update({ renewable: true });
    }
  });

  it("says what to do about learning played before subscribing: enrol, then Play; and My e-Learning marks it not counted", async () => {
    clock.set("2026-03-01T09:00:00.000Z");
    const learner = await newLearner();
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await learner.play(MODULE, "2026-03-01T09:30:00.000Z", "completed");
    clock.set("2026-03-01T10:00:00.000Z");
    await subscribe(t.db, t.clock, learner, certificationId);
    const reasonOf = async () => {
      const html = (await agent.get(`/learning/certifications/${certificationId}`).expect(200)).text;
      return /data-component="297 Credit Test - Part 1"[^>]*>[\s\S]*?data-field="reason">([^<]+)</.exec(html)?.[1];
    };
    expect(await reasonOf()).toBe("played before subscribing - not counted; choose or enrol in class, then press Play to start again");
    const componentId = Number((await t.db("certification_components").where({ certification_id: certificationId, course_code: MODULE }).first("id")).id);
    await enrol(t.db, t.clock, learner, certificationId, componentId);
    expect(await reasonOf()).toBe("played before subscribing - not counted; press Play to start again");
    const portal = (await agent.get("/?mandatory=no").expect(200)).text;
    expect(/data-course="297 Credit Test - Part 1">[\s\S]*?<\/li>/.exec(portal)?.[0]).toContain("not counted toward any certification - subscribe, then play again");
    await learner.play(MODULE, "2026-03-01T11:00:00.000Z", "completed"); // played again, now subscribed: it counts
    expect(/data-course="297 Credit Test - Part 1">[\s\S]*?<\/li>/.exec((await agent.get("/?mandatory=no").expect(200)).text)?.[0]).not.toContain("not counted");
  });

  it("reports who is Planned, Enrolled, In Progress, Completed, Passed or Failed on each course, from one statement", async () => {
    clock.set("2026-03-10T09:00:00.000Z");
    const planned = await newLearner();
    const enrolled = await newLearner();
    const busy = await newLearner();
    const done = await newLearner();
    const componentIds = Object.fromEntries((await t.db("certification_components").where({ certification_id: certificationId })).map((row) => [row.course_code, Number(row.id)]));
    for (const learner of [planned, enrolled, busy, done]) await subscribe(t.db, t.clock, learner, certificationId);
    await enrol(t.db, t.clock, enrolled, certificationId, componentIds[MODULE]!);
    await busy.play(MODULE, "2026-03-10T10:00:00.000Z", "incomplete");
    await done.play(MODULE, "2026-03-10T10:10:00.000Z", "completed");
    await done.play(ASSESSMENT, "2026-03-10T10:20:00.000Z", "completed", "60");

    const numbers = new Map<string, string>();
    for (const [who, learner] of Object.entries({ planned, enrolled, busy, done })) numbers.set(String((await t.db("people").where({ id: learner.personId }).first("employee_number")).employee_number), who);
    const statuses = (await courseStatuses(t.db, "2026-03-10")).filter((row) => numbers.has(row.employeeNumber)).map((row) => `${numbers.get(row.employeeNumber)} ${row.course}: ${row.status}`).sort();
    expect(statuses).toEqual([
      `busy ${ASSESSMENT}: Planned`, `busy ${MODULE}: In Progress`, `busy ${SESSION}: Planned`,
      `done ${ASSESSMENT}: Failed`, `done ${MODULE}: Completed`, `done ${SESSION}: Planned`,
      `enrolled ${ASSESSMENT}: Planned`, `enrolled ${MODULE}: Enrolled`, `enrolled ${SESSION}: Planned`,
      `planned ${ASSESSMENT}: Planned`, `planned ${MODULE}: Planned`, `planned ${SESSION}: Planned`,
    ].sort());
    await done.play(ASSESSMENT, "2026-03-10T10:30:00.000Z", "passed", "90");
    expect((await courseStatuses(t.db, "2026-03-10")).find((row) => numbers.get(row.employeeNumber) === "done" && row.course === ASSESSMENT)?.status).toBe("Passed");
    // As of the day before they subscribed, none of them is on the report.
    expect((await courseStatuses(t.db, "2026-03-09")).filter((row) => numbers.has(row.employeeNumber))).toEqual([]);
    const early = await newLearner();
    await early.play(MODULE, "2026-03-11T09:00:00.000Z", "incomplete"); // before subscribing: not counted
    clock.set("2026-03-11T10:00:00.000Z");
    await subscribe(t.db, t.clock, early, certificationId);
    numbers.set(String((await t.db("people").where({ id: early.personId }).first("employee_number")).employee_number), "early");
    const statusOn = async (day: string, who: string, course: string) => (await courseStatuses(t.db, day)).find((row) => numbers.get(row.employeeNumber) === who && row.course === course)?.status;
    expect(await statusOn("2026-03-11", "early", MODULE)).toBe("Planned"); // as the certification page says
    expect(await statusOn("2026-03-11", "early", ASSESSMENT)).toBe("Planned");
    expect(await statusOn("2026-03-10", "early", MODULE)).toBeUndefined();
    const report = await lms(t.env, "report", "courses", "--csv");
    expect(report.stdout.split("\n")[0]).toBe("Course,Employee Number,Name,Status");
    expect(report.stdout).toContain(`${MODULE},${[...numbers].find(([, who]) => who === "busy")![0]},"Smith, Jane",In Progress`);
  });

  it("lets L&D verify a learner: find them, see why a component is not credited, and each answer of an attempt", async () => {
    clock.set("2026-03-12T09:00:00.000Z");
    const learner = await newLearner();
    await learner.play(MODULE, "2026-03-12T09:30:00.000Z", "completed"); // before subscribing
    clock.set("2026-03-12T10:00:00.000Z");
    await subscribe(t.db, t.clock, learner, certificationId);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/")).text);
    clock.set("2026-03-12T10:30:00.000Z");
    const { attemptId } = await playCourse(t.db, t.clock, { personId: learner.personId, courseId: courseIds[ASSESSMENT]! });
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "completed", score: { raw: "50" } }, interactions: { "0": { id: "q1", type: "choice", student_response: "b", result: "wrong" }, "1": { id: "q2", type: "true-false", student_response: "t", result: "correct" } } } }).expect(200);

    const staff = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, staff.username, staff.password);
    const found = (await admin.get(`/admin/people?q=${learner.username.toLowerCase()}`).expect(200)).text;
    const link = new RegExp(`href="(/admin/people/${learner.personId})"`).exec(found);
    expect(link).not.toBeNull();
    const page = (await admin.get(link![1]!).expect(200)).text;
    const reasonOf = (course: string) => new RegExp(`data-component="${course}">[\\s\\S]*?data-field="reason">([^<]*)<`).exec(page)?.[1];
    // Told to L&D, not to the learner: what happened, and what the learner needs to do.
    expect(reasonOf(MODULE)).toBe(`Not counted: played before subscribing. Learning counts only when played after subscribing; Jane needs to enrol in its class, then play it again`);
    expect(reasonOf(MODULE)).not.toContain("press Play");
    // The attempt played before subscribing says it was not counted, and why, on the list and on its own page.
    const early = Number((await t.db("attempts").join("course_versions", "course_versions.id", "attempts.course_version_id").join("courses", "courses.id", "course_versions.course_id").where({ "attempts.person_id": learner.personId, "courses.code": MODULE }).first("attempts.id")).id);
    const certificationName = String((await t.db("certifications").where({ id: certificationId }).first("name")).name);
    const notCounted = `Not counted: played 12-Mar-2026 09:30, before subscribing to ${certificationName} on 12-Mar-2026 10:00. Learning counts only when played after subscribing`;
    expect(new RegExp(`data-attempt="${early}">[\\s\\S]*?data-field="counted">([^<]*)<`).exec(page)?.[1]).toBe(notCounted.replace(/&/g, "&amp;"));
    expect(new RegExp(`data-attempt="${attemptId}">[\\s\\S]*?data-field="counted">([^<]*)<`).exec(page)?.[1]).toBe("Played while subscribed");
    const earlyPage = (await admin.get(`/admin/attempts/${early}`).expect(200)).text;
    expect(earlyPage).toContain('data-report="not-counted"');
    expect(earlyPage).toContain(`${notCounted.replace(/&/g, "&amp;")}.`);
    expect(reasonOf(ASSESSMENT)).toMatch(/^Failed: 50%, pass mark 80%/);
    const cellOf = (course: string, field: string) => new RegExp(`data-component="${course}">[\\s\\S]*?data-field="${field}">([\\s\\S]*?)</td>`).exec(page)?.[1]?.replace(/<[^>]+>/g, "").trim();
    expect(cellOf(ASSESSMENT, "score")).toBe("50%");
    // The count is the link's visible text and starts its accessible name (WCAG 2.5.3): no aria-label replaces it.
    expect(cellOf(ASSESSMENT, "attempts")).toBe(`1 attempt: latest at ${ASSESSMENT}`);
    expect(page).toContain(`<a href="/admin/attempts/${attemptId}">1<span class="nhsuk-u-visually-hidden"> attempt: latest at ${ASSESSMENT}</span></a>`);
    expect(cellOf(SESSION, "attempts")).toBe("0");
    expect(page).toContain(`href="/admin/attempts/${attemptId}"`);
    const detail = (await admin.get(`/admin/attempts/${attemptId}`).expect(200)).text;
    expect(detail).toMatch(/data-interaction="q1">[\s\S]*?data-field="response">b<\/span>[\s\S]*?data-field="result">Incorrect<\/span>/);
    expect(detail).toMatch(/data-interaction="q2">[\s\S]*?data-field="result">Correct<\/span>/);
    // What the course recorded, in L&D's words: each part by its title, saved progress as yes or no, no SCORM terms.
    const launchables = JSON.parse(String((await t.db("attempts").join("course_versions", "course_versions.id", "attempts.course_version_id").where("attempts.id", attemptId).first("course_versions.manifest")).manifest)).launchables as Array<{ identifier: string; title: string }>;
    expect(detail).toContain("<h2>What the course recorded</h2>");
    expect(detail).toContain(`data-sco="${launchables[0]!.identifier}"><td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Part of the course </span><span data-field="part">${launchables[0]!.title}</span>`);
    expect(detail).toMatch(/data-field="saved-progress">(Yes|No)<\/span>/);
    expect(detail.replace(/<[^>]+>/g, " ")).not.toMatch(/\bCMI\b|\bSCOs?\b|suspend data|data model|characters|\bcommits?\b/i);
    expect(detail).toContain("(pass mark 80%)");
    // A SCORM 2004 course words its questions in cmi.interactions.n.description: the page shows them.
    const sco = await t.db("attempt_scos").where({ attempt_id: attemptId }).first("id", "cmi");
    const cmi = JSON.parse(sco.cmi);
    cmi.interactions["0"].description = "Which of these may you share with a colleague?";
    await t.db("attempt_scos").where({ id: sco.id }).update({ cmi: JSON.stringify(cmi) });
    expect((await admin.get(`/admin/attempts/${attemptId}`).expect(200)).text).toMatch(/data-interaction="q1">[\s\S]*?data-field="question">Which of these may you share with a colleague\? <span class="app-code">\(q1\)<\/span>/);
    await agent.get(`/admin/people/${learner.personId}`).expect(403); // a learner reaches none of it
  });

  // Last: it changes the certification's components for good.
  it("completes a subscription at once when a catalog import removes the only component it still lacked", async () => {
    const learner = await newLearner();
    clock.set("2026-03-01T09:00:00.000Z");
    await subscribe(t.db, t.clock, learner, certificationId);
    await learner.play(MODULE, "2026-03-01T10:00:00.000Z", "completed");
    clock.set("2026-03-01T11:00:00.000Z");
    const certification = await t.db("certifications").where({ id: certificationId }).first();
    // Another learner's open subscription must not be completed by it.
    const other = await newLearner();
    await subscribe(t.db, t.clock, other, certificationId);
    await importCatalog(t.db, t.clock, parseCatalog(JSON.stringify({
      competencies: [{ name: "NHS|CSTF|Credit Test - 3 Years|", description: "" }],
      certifications: [{ name: certification.name, competency: "NHS|CSTF|Credit Test - 3 Years|", competenceLevel: "1 - Assessed", validDays: 1095, completeWithinDays: 30, renewable: true, description: "", components: [{ course: MODULE, requires: "completion" }] }],
      positions: [],
      people: [],
    })));
    expect(await subscriptionOf(learner.personId)).toMatchObject({ status: "Completed", completed_at: "2026-03-01T11:00:00.000Z" });
    expect(await recordsOf(learner.personId)).toHaveLength(1);
    expect(await auditOf(learner.personId, "certification.completed")).toEqual([expect.objectContaining({ cause: "catalog import changed the certification's components" })]);
    expect(await subscriptionOf(other.personId)).toMatchObject({ status: "Subscribed" });
  });
});
