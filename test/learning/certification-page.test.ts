import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourses } from "../support/attempts.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const MODULE = "297 Page Test - Part 1";
const ASSESSMENT = "297 Page Test - eAssessment";
const NOT_YET = "297 Page Test - Not Imported";
const RENEWABLE = "297 Page Test - Renewal Module";
const CLASSROOM = "297 Page Test - Practical Session";

/** The guide's certification screens, with its labels, through the real app. */
describe("the certification page", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let certificationId: number;
  const courseIds: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    Object.assign(courseIds, await importCourses(t, [MODULE, ASSESSMENT, RENEWABLE, CLASSROOM]));
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Page Test - 3 Years|" }).returning("id");
    const [certification] = await t.db("certifications")
      .insert({ name: "297 Core Skills - Page Test - 3 Years", competency_id: competency.id, competence_level: "1 - Assessed", valid_days: 1095, complete_within_days: 1095, renewable: true, description: "Complete every component." })
      .returning("id");
    certificationId = Number(certification.id);
    await t.db("certification_components").insert([
      { certification_id: certificationId, position: 1, course_code: MODULE, requires: "completion" },
      { certification_id: certificationId, position: 2, course_code: ASSESSMENT, requires: "pass" },
      { certification_id: certificationId, position: 3, course_code: NOT_YET, requires: "completion" },
    ]);
  });
  afterAll(() => t.cleanup());

  const page = () => `/learning/certifications/${certificationId}`;
  /** The text of a component's row: its cells in order. */
  const rowOf = (html: string, course: string) => {
    const row = new RegExp(`<tr class="nhsuk-table__row" data-component="${course}" role="row">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
    // The responsive table's headings (shown on a phone beside each value) are not the row's text.
    return row.replace(/<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*<\/span>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
  };

  it("shows the certification with the guide's words, and warns before playing without a subscription", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const html = (await agent.get(page()).expect(200)).text;
    for (const words of ["Learning Certification: 297 Core Skills - Page Test - 3 Years", "You must complete this certification in 1095 Day(s)", "Completed certification is valid for 1095 Day(s)", "Renewable Yes", "Description", "Complete every component."]) {
      expect(html).toContain(words);
    }
    expect(html).toContain(`href="/learning/certifications/${certificationId}/subscribe">Subscribe</a>`);
    expect([...html.matchAll(/role="columnheader" scope="col">([^<]+)<\/th>/g)].map((match) => match[1])).toEqual(["Course", "Component Completion Date", "Component Status", "Enrolment Details", "Choose or Enrol in class", "Performance Status", "Play"]);
    expect(html).toContain('<table class="nhsuk-table-responsive app-components" role="table">');
    expect(rowOf(html, MODULE)).toBe(`${MODULE} Planned Not Attempted not subscribed - learning played now will not count Play`);
    expect(rowOf(html, NOT_YET)).toBe(`${NOT_YET} Planned Not Attempted this course is not available yet`);

    const warning = await agent.get(`${page()}/components/${await componentId(MODULE)}/play`).expect(200);
    expect(warning.text).toContain("Your learning will not count yet");
    expect(warning.text).toContain("Subscribe first");
    expect(warning.text).toContain(`action="/learning/courses/${courseIds[MODULE]}/play"`);
  });

  it("subscribes through the confirmation (Back / Finish), enrols through the class summary (Cancel / Apply), then plays", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const confirmation = await agent.get(`${page()}/subscribe`).expect(200);
    expect(confirmation.text).toContain("Subscribe: 297 Core Skills - Page Test - 3 Years");
    expect(confirmation.text).toContain(`href="${page()}">Back</a>`);
    expect(confirmation.text).toMatch(/<button class="nhsuk-button" type="submit">Finish<\/button>/);
    await agent.post(`${page()}/subscribe`).type("form").send({ _csrf: csrfFrom(confirmation.text) }).expect(303).expect("Location", page());

    let html = (await agent.get(page())).text;
    expect(html).toContain(`href="${page()}/unsubscribe">Unsubscribe</a>`);
    expect(html).toContain("Subscribed on 01-Mar-2026; complete by 28-Feb-2029. 0 of 3 components completed.");
    expect(rowOf(html, MODULE)).toBe(`${MODULE} Planned Choose or Enrol in class Not Attempted not played yet`);

    const summary = await agent.get(`${page()}/components/${await componentId(MODULE)}/enrol`).expect(200);
    expect(summary.text).toContain("Class Summary");
    expect(summary.text).toContain(`href="${page()}">Cancel</a>`);
    expect(summary.text).toMatch(/type="submit">Apply<\/button>/);
    clock.set("2026-03-01T09:30:00.000Z");
    await agent.post(`${page()}/components/${await componentId(MODULE)}/enrol`).type("form").send({ _csrf: csrfFrom(summary.text) }).expect(303);
    html = (await agent.get(page())).text;
    // The guide's Component Status stays Planned until the component is completed; Enrolment Details says it is enrolled.
    expect(rowOf(html, MODULE)).toBe(`${MODULE} Planned E-Learning class, enrolled 01-Mar-2026 Not Attempted not played yet Play`);
    expect(html).toContain(`action="/learning/courses/${courseIds[MODULE]}/play" target="lms-course-${courseIds[MODULE]}"`);

    // Play, and commit as the player would: In Progress, then Completed with its date.
    clock.set("2026-03-02T10:00:00.000Z");
    const played = await agent.post(`/learning/courses/${courseIds[MODULE]}/play`).type("form").send({ _csrf: csrfFrom(html) }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    const csrf = csrfFrom(html);
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "incomplete" } } }).expect(200);
    expect(rowOf((await agent.get(page())).text, MODULE)).toBe(`${MODULE} Planned E-Learning class, enrolled 01-Mar-2026 Incomplete in progress Play`);
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 2, cmi: { core: { lesson_status: "completed" } } }).expect(200);
    html = (await agent.get(page())).text;
    expect(rowOf(html, MODULE)).toBe(`${MODULE} 02-Mar-2026 Completed E-Learning class, enrolled 01-Mar-2026 Completed Play`);
    expect(html).toContain("1 of 3 components completed.");

    // An assessment completed below the pass mark says so, with the score and the pass mark.
    await agent.post(`${page()}/components/${await componentId(ASSESSMENT)}/enrol`).type("form").send({ _csrf: csrf }).expect(303);
    const assessment = await agent.post(`/learning/courses/${courseIds[ASSESSMENT]}/play`).type("form").send({ _csrf: csrf }).expect(303);
    const assessmentAttempt = Number(/\/player\/attempts\/(\d+)/.exec(String(assessment.headers.location))![1]);
    await agent.post(`/runtime/attempts/${assessmentAttempt}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "completed", score: { raw: "60" } } } }).expect(200);
    expect(rowOf((await agent.get(page())).text, ASSESSMENT)).toContain("Failed failed: 60%, pass mark 80%; press Play to try again");
    // Its result page: the score beside the pass mark; nobody else's to see.
    const result = (await agent.get(`/learning/attempts/${assessmentAttempt}`).expect(200)).text;
    expect(result).toContain(`Result: ${ASSESSMENT}`);
    expect(result).toMatch(/data-field="performance-status">Failed</);
    expect(result).toMatch(/data-field="score">60%</);
    expect(result).toMatch(/data-field="pass-mark">80%</);
    expect(result).toContain("You need 80% to pass; you scored 60%. Press Play to try again.");
    const stranger = await buildLearner(t.db, t.clock);
    await (await logInAgent(t.app, stranger.username, stranger.password)).get(`/learning/attempts/${assessmentAttempt}`).expect(404);

    const asked = (await agent.get(`${page()}/unsubscribe`).expect(200)).text;
    expect(asked).toContain("Learning you play after this will not count");
    expect(asked).toContain('<span data-field="done">1 of 3</span> components');
    expect(asked).toContain(`href="${page()}">Back</a>`);
    expect(asked).toMatch(/type="submit">Unsubscribe<\/button>/);
    await agent.post(`${page()}/unsubscribe`).type("form").send({ _csrf: csrfFrom(asked) }).expect(303);
    html = (await agent.get(page())).text;
    expect(html).toContain("Unsubscribed. Subscribe again for your learning to count.");
    await agent.get(`${page()}/unsubscribe`).expect(303).expect("Location", page()); // nothing to unsubscribe from
    // What was completed stays completed.
    expect(rowOf(html, MODULE)).toContain("02-Mar-2026 Completed");
  });

  it("lists enrolled courses on My e-Learning, most recent first, with Play and Status, and the mandatory ones alone on request", async () => {
    const organisation = await t.db("organisations").where({ vpd: "297" }).first("id");
    if (!(await t.db("positions").where({ name: "Page Test Nurse" }).first("id"))) await t.db("positions").insert({ organisation_id: organisation.id, name: "Page Test Nurse" });
    const learner = await buildLearner(t.db, t.clock, { assignments: [{ number: "77700001", position: "Page Test Nurse" }] });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/")).text);
    // The guide's portlet: "Show mandatory learning only YES" unless the learner chooses NO.
    const home = (await agent.get("/")).text;
    expect(home).toContain('<option value="yes" selected>YES</option>');
    expect(home).toContain("No mandatory e-learning to show. Choose NO to see all the e-learning you are enrolled in");
    expect((await agent.get("/?mandatory=no")).text).toContain("You are not enrolled in any e-learning yet.");
    clock.set("2026-03-01T09:00:00.000Z");
    await agent.post(`${page()}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    clock.set("2026-03-01T09:10:00.000Z");
    await agent.post(`${page()}/components/${await componentId(MODULE)}/enrol`).type("form").send({ _csrf: csrf }).expect(303);
    clock.set("2026-03-01T09:20:00.000Z");
    await agent.post(`${page()}/components/${await componentId(ASSESSMENT)}/enrol`).type("form").send({ _csrf: csrf }).expect(303);
    const played = await agent.post(`/learning/courses/${courseIds[MODULE]}/play`).type("form").send({ _csrf: csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "incomplete" } } }).expect(200);

    const portal = (await agent.get("/?mandatory=no").expect(200)).text;
    const courses = [...portal.matchAll(/data-course="([^"]+)"[\s\S]*?aria-label="Play ([^"]+)"[\s\S]*?data-field="status">([^<]+)</g)].map((match) => [match[1], match[2], match[3]]);
    expect(courses).toEqual([
      [ASSESSMENT, ASSESSMENT, "Not Attempted"],
      [MODULE, MODULE, "In Progress"],
    ]);
    expect(portal).toContain("Show mandatory learning only");
    // Nothing this learner's position requires yet: mandatory only (the default) shows none.
    expect((await agent.get("/?mandatory=yes").expect(200)).text).not.toContain("data-course=");
    expect((await agent.get("/").expect(200)).text).not.toContain("data-course=");
    const position = await t.db("positions").where({ name: "Page Test Nurse" }).first("id");
    const certification = await t.db("certifications").where({ id: certificationId }).first("competency_id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: certification.competency_id, essential: true });
    expect((await agent.get("/?mandatory=yes").expect(200)).text.match(/data-course=/g)).toHaveLength(2);
    expect(portal).toContain(`action="/learning/courses/${courseIds[MODULE]}/play"`);

    // Twenty-one later enrolments in optional courses fill the twenty places; mandatory only still finds both.
    for (let n = 1; n <= 21; n++) {
      const [course] = await t.db("courses").insert({ code: `297 Optional ${n}`, title: `Optional ${n}`, created_at: "2026-03-02T00:00:00.000Z" }).returning("id");
      const [elearning] = await t.db("classes").insert({ course_id: course.id, title: `Optional ${n} e-learning` }).returning("id");
      await t.db("enrolments").insert({ person_id: learner.personId, class_id: elearning.id, status: "Enrolled", enrolled_at: `2026-03-02T09:${String(n).padStart(2, "0")}:00.000Z` });
    }
    expect((await agent.get("/?mandatory=no").expect(200)).text).not.toContain(`data-course="${MODULE}"`);
    const mandatoryOnly = (await agent.get("/?mandatory=yes").expect(200)).text;
    expect([...mandatoryOnly.matchAll(/data-course="([^"]+)"/g)].map((match) => match[1])).toEqual([ASSESSMENT, MODULE]);

    // Unsubscribed, learning played now would count for nothing: Play warns first.
    await agent.post(`${page()}/unsubscribe`).type("form").send({ _csrf: csrf }).expect(303);
    const after = (await agent.get("/?mandatory=yes").expect(200)).text;
    expect(after).toContain(`href="${page()}/components/${await componentId(MODULE)}/play" aria-label="Play ${MODULE}">Play</a>`);
    expect(after).not.toContain(`action="/learning/courses/${courseIds[MODULE]}/play"`);
  });

  it("takes Finish pressed twice as one subscription; refuses enrolment without one, and strangers", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get(page())).text);
    await agent.post(`${page()}/components/${await componentId(MODULE)}/enrol`).type("form").send({ _csrf: csrf }).expect(409);
    await agent.post(`${page()}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    const again = await agent.post(`${page()}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    expect(again.headers.location).toBe(page());
    expect(await t.db("subscriptions").where({ person_id: learner.personId, certification_id: certificationId })).toHaveLength(1);
    await agent.get("/learning/certifications/999999").expect(404);
    const anonymous = await request(t.app).get(page()).expect(302);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(page())}`);
  });

  it("offers the way back to the page a refused form came from, and never to another site", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get(page())).text);
    const url = `${page()}/components/${await componentId(MODULE)}/enrol`;
    const fromPage = await agent.post(url).set("host", "lms.example").set("referer", `http://lms.example${page()}?tab=1`).type("form").send({ _csrf: csrf }).expect(409);
    expect(fromPage.text).toContain(`<a href="${page()}?tab=1">Go back</a>`);
    const fromElsewhere = await agent.post(url).set("host", "lms.example").set("referer", `http://evil.example${page()}`).type("form").send({ _csrf: csrf }).expect(409);
    expect(fromElsewhere.text).not.toContain("Go back");
    expect(fromElsewhere.text).toContain("Go to the portal");
  });

  /** A one-component certification of this course, so that a learner can complete it in one play. */
  async function certificationOf(course: string, name: string): Promise<number> {
    const [competency] = await t.db("competencies").insert({ name: `NHS|CSTF|${name}|` }).returning("id");
    const [certification] = await t.db("certifications")
      .insert({ name: `297 Core Skills - ${name}`, competency_id: competency.id, competence_level: "1 - Assessed", valid_days: 1095, complete_within_days: 1095, renewable: true, description: "" })
      .returning("id");
    await t.db("certification_components").insert({ certification_id: certification.id, position: 1, course_code: course, requires: "completion" });
    return Number(certification.id);
  }

  it("after completing, shows the completion, the certificate and the expiry, and offers renewal only from 3 months before expiry (issue 20, observed 3)", async () => {
    clock.set("2026-03-01T09:00:00.000Z");
    const id = await certificationOf(RENEWABLE, "Renewal Test - 3 Years");
    const here = `/learning/certifications/${id}`;
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get(here)).text);
    await agent.post(`${here}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    const component = Number((await t.db("certification_components").where({ certification_id: id }).first("id")).id);
    clock.set("2026-03-02T10:00:00.000Z");
    await agent.post(`${here}/components/${component}/enrol`).type("form").send({ _csrf: csrf }).expect(303);
    const played = await agent.post(`/learning/courses/${courseIds[RENEWABLE]}/play`).type("form").send({ _csrf: csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "completed" } } }).expect(200);

    // The day after: what was achieved leads the page; no Subscribe, and Play is no longer the main action.
    clock.set("2026-03-03T09:00:00.000Z");
    let html = (await agent.get(here).expect(200)).text;
    expect(html).toContain('data-field="completed-on">02-Mar-2026</dd>');
    expect(html).toContain('data-field="expiry-date">01-Mar-2029</dd>');
    expect(html).toMatch(/<a href="\/learning\/subscriptions\/\d+\/certificate">Download certificate<\/a>/);
    expect(html).toContain('data-field="renewal"><strong>Renewal:</strong> Renewal opens on 01-Dec-2028, 3 months before your competency expires on 01-Mar-2029.');
    expect(html).not.toMatch(/class="nhsuk-button"[^>]*>Subscribe/);
    expect(html).not.toContain(">Subscribe to renew</a>");
    expect(html).not.toContain("Subscribe again to renew");
    expect(html).not.toMatch(/<button class="nhsuk-button app-button-small" type="submit" aria-label="Play /); // no primary Play
    expect(rowOf(html, RENEWABLE)).toBe(`${RENEWABLE} 02-Mar-2026 Completed E-Learning class, enrolled 02-Mar-2026 Completed Play again`);
    // Play again warns, and does not invite a renewal that is not open yet.
    const warning = (await agent.get(`${here}/components/${component}/play`).expect(200)).text;
    expect(warning).toContain("Playing again is for review only");
    expect(warning).toContain("Renewal opens on 01-Dec-2028");
    expect(warning).not.toContain("Subscribe first");
    // Subscribing again now is refused back to the page: a renewal would not count yet.
    await agent.get(`${here}/subscribe`).expect(303).expect("Location", here);
    await agent.post(`${here}/subscribe`).type("form").send({ _csrf: csrf }).expect(303).expect("Location", here);
    expect(await t.db("subscriptions").where({ person_id: learner.personId, certification_id: id })).toHaveLength(1);

    // From 3 months before expiry, renewal is the page's main action, in words too.
    clock.set("2028-12-01T09:00:00.000Z");
    html = (await agent.get(here).expect(200)).text;
    expect(html).toContain("Renewal is open: subscribe again and complete it before your competency expires on 01-Mar-2029.");
    expect(html).toContain(`<a class="nhsuk-button" href="${here}/subscribe">Subscribe to renew</a>`);
    expect((await agent.get(`${here}/components/${component}/play`).expect(200)).text).toContain("Subscribe first");
    await agent.get(`${here}/subscribe`).expect(200);
    await agent.post(`${here}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    expect(await t.db("subscriptions").where({ person_id: learner.personId, certification_id: id })).toHaveLength(2);
    clock.set("2026-03-01T09:00:00.000Z");
  });

  it("says a component booked on a classroom class is completed by attending it, and offers no e-learning Play for it (issue 20, observed 8)", async () => {
    clock.set("2026-03-01T09:00:00.000Z");
    const id = await certificationOf(CLASSROOM, "Classroom Route Test - 3 Years");
    const here = `/learning/certifications/${id}`;
    const [session] = await t.db("classes")
      .insert({ course_id: courseIds[CLASSROOM], kind: "classroom", status: "open", title: "Practical Session", starts_at: "2026-03-10T09:30:00.000Z", ends_at: "2026-03-10T12:30:00.000Z", venue: "Training Room 2", capacity: 8, requires_approval: false, created_at: "2026-03-01T09:00:00.000Z" })
      .returning("id");
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get(here)).text);
    await agent.post(`${here}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    const component = Number((await t.db("certification_components").where({ certification_id: id }).first("id")).id);
    // Apply with no class chosen: the error pattern, linked to the first class's radio.
    const unchosen = (await agent.post(`${here}/components/${component}/enrol`).type("form").send({ _csrf: csrf }).expect(400)).text;
    expectErrorPattern(unchosen, [{ field: "classId", message: "Choose a class, then Apply" }]);
    expect(unchosen).toContain('<div class="nhsuk-form-group nhsuk-form-group--error">');
    await agent.post(`${here}/components/${component}/enrol`).type("form").send({ _csrf: csrf, classId: String(session.id) }).expect(303);

    const html = (await agent.get(here).expect(200)).text;
    const row = rowOf(html, CLASSROOM);
    expect(row).toContain("Planned Classroom class: Practical Session");
    expect(row).toContain("booked on a classroom class: attending it completes this component");
    expect(row).toMatch(/Attend your class: the classroom class counts, not the e-learning$/);
    expect(html).not.toContain(`action="/learning/courses/${courseIds[CLASSROOM]}/play"`);
    expect(html).not.toContain(`aria-label="Play ${CLASSROOM}"`);
    // Search Course's next step for it is the class, not Play.
    const found = (await agent.get("/learning/search").query({ q: "Practical Session" }).expect(200)).text;
    expect(found).toContain('data-action="Attend your class"');
    // Current Learning says the same, and offers no Play for it either.
    const current = (await agent.get("/learning/current").expect(200)).text;
    expect(current).toContain("Attend your class: the classroom class counts, not the e-learning");
    expect(current).not.toContain(`action="/learning/courses/${courseIds[CLASSROOM]}/play"`);
  });

  async function componentId(course: string): Promise<number> {
    return Number((await t.db("certification_components").where({ certification_id: certificationId, course_code: course }).first("id")).id);
  }
});
