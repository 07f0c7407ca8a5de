import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { importCourses } from "../support/attempts.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const COURSE = "297 Moving and Handling - Practical";
const START = "2026-03-01T09:00:00.000Z";

type Agent = Awaited<ReturnType<typeof logInAgent>>;

/** Classroom classes through the real app: L&D's class pages, applying, the waiting list, attendance crediting. */
describe("classroom classes", () => {
  let t: TestApp;
  const clock = settableClock(START);
  let certificationId: number;
  let componentId: number;
  let courseId: number;
  let lnd: { agent: Agent; csrf: string };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    courseId = (await importCourses(t, [COURSE]))[COURSE]!;
    const built = await buildCertification(t.db, {
      name: "297 Core Skills - Moving and Handling - 2 Years",
      competency: "NHS|CSTF|Moving and Handling - Level 2 - 2 Years|",
      level: "2 - Practical",
      validDays: 730,
      completeWithinDays: 365,
      description: "Attend the practical session.",
      components: [{ courseCode: COURSE }],
    });
    certificationId = built.certificationId;
    componentId = built.componentIds[COURSE]!;
    const admin = await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" });
    const agent = await logInAgent(t.app, admin.username, admin.password);
    lnd = { agent, csrf: csrfFrom((await agent.get("/admin/classes").expect(200)).text) };
  });
  afterAll(() => t.cleanup());
  beforeEach(() => clock.set(START));

  const page = () => `/learning/certifications/${certificationId}`;
  const enrolUrl = () => `${page()}/components/${componentId}/enrol`;
  const form = (overrides: Record<string, string> = {}) => ({ _csrf: lnd.csrf, courseId: String(courseId), title: "Moving and Handling - Practical Session", date: "2026-03-10", startTime: "09:30", endTime: "12:30", venue: "Training Room 2, Education Centre", capacity: "2", ...overrides });
  async function addClass(overrides: Record<string, string> = {}): Promise<number> {
    const response = await lnd.agent.post("/admin/classes").type("form").send(form(overrides)).expect(303);
    return Number(/\/admin\/classes\/(\d+)/.exec(String(response.headers.location))![1]);
  }
  /** A learner, logged in and subscribed to the certification. */
  async function subscribedLearner(name = "Smith, Jane") {
    const person = await buildLearner(t.db, t.clock, { name });
    const agent = await logInAgent(t.app, person.username, person.password);
    const csrf = csrfFrom((await agent.get(page())).text);
    await agent.post(`${page()}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    return { ...person, agent, csrf };
  }
  const apply = (learner: { agent: Agent; csrf: string }, classId: number | string) => learner.agent.post(enrolUrl()).type("form").send({ _csrf: learner.csrf, classId: String(classId) });
  const stateOf = async (personId: number, classId: number) => String((await t.db("enrolments").where({ person_id: personId, class_id: classId }).orderBy("id", "desc").first("status"))?.status);
  const enrolmentOf = async (personId: number, classId: number) => Number((await t.db("enrolments").where({ person_id: personId, class_id: classId }).orderBy("id", "desc").first("id")).id);
  const act = (classId: number, enrolmentId: number, action: string, reason = "") => lnd.agent.post(`/admin/classes/${classId}/enrolments/${enrolmentId}/${action}`).type("form").send({ _csrf: lnd.csrf, reason });
  const mailsTo = async (personId: number) => (await t.db("mail_outbox").where({ to_address: (await t.db("people").where({ id: personId }).first("email")).email }).orderBy("id")).map((row) => `${row.subject}: ${row.text_body}`);
  // A responsive table's cell headings are for narrow screens only (and hidden from screen readers): the text read here is a wide screen's.
  const text = (html: string) => html.replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

  it("lets L&D add a class with date, times, venue and capacity, listed with its places", async () => {
    const classId = await addClass();
    const stored = await t.db("classes").where({ id: classId }).first();
    expect(stored).toMatchObject({ kind: "classroom", course_id: courseId, starts_at: "2026-03-10T09:30:00.000Z", ends_at: "2026-03-10T12:30:00.000Z", venue: "Training Room 2, Education Centre", capacity: 2, status: "open" });
    const list = text((await lnd.agent.get("/admin/classes").expect(200)).text);
    expect(list).toContain(`Moving and Handling - Practical Session ${COURSE} 10-Mar-2026 09:30-12:30 Training Room 2, Education Centre 0 of 2 taken 0 0 Open`);
    expect((await t.db("audit_events").where({ kind: "class.created" })).length).toBeGreaterThan(0);
  });

  it("refuses a class in the past, a capacity of 0 or less, an end before the start, with every problem named and nothing stored", async () => {
    const before = (await t.db("classes").count({ n: "*" }).first())!.n;
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ date: "2026-02-28" }, "date", "The class must start in the future"],
      [{ capacity: "0" }, "capacity", "Capacity must be a whole number of places, 1 or more"],
      [{ capacity: "-3" }, "capacity", "Capacity must be a whole number of places, 1 or more"],
      [{ capacity: "two" }, "capacity", "Capacity must be a whole number of places, 1 or more"],
      [{ startTime: "14:00", endTime: "13:00" }, "endTime", "The end time must be after the start time"],
      [{ date: "2026-02-30" }, "date", "The date must be a real date (2026-02-30 does not exist)"],
      [{ date: "10/03/2026" }, "date", "The date must be a date written like 2027-03-31"],
      [{ startTime: "25:00" }, "startTime", "Enter the start time as hours and minutes"],
      [{ venue: "" }, "venue", "Enter the venue"],
      [{ courseId: "2147483648" }, "courseId", "Choose the course the class is for"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await lnd.agent.post("/admin/classes").type("form").send(form(overrides)).expect(400);
      expectErrorPattern(response.text, [{ field, message }]);
    }
    expect((await t.db("classes").count({ n: "*" }).first())!.n).toBe(before);
    // Unknown ids, and ids past 2^31, are not found rather than a failure.
    for (const id of ["999999", "2147483648", "abc"]) await lnd.agent.get(`/admin/classes/${id}`).expect(404);
  });

  it("shows every problem of Add a class at once, each linked to its field, with what was typed: a past date, an end before the start, capacity 0 and an empty venue", async () => {
    const before = (await t.db("classes").count({ n: "*" }).first())!.n;
    const response = await lnd.agent.post("/admin/classes").type("form").send(form({ courseId: "", title: "Evening <Session>", date: "2026-02-27", startTime: "14:00", endTime: "13:00", venue: "", capacity: "0" })).expect(400);
    expectErrorPattern(response.text, [
      { field: "courseId", message: "Choose the course the class is for" },
      { field: "date", message: "The class must start in the future" },
      { field: "endTime", message: "The end time must be after the start time" },
      { field: "venue", message: "Enter the venue" },
      { field: "capacity", message: "Capacity must be a whole number of places, 1 or more" },
    ]);
    // The venue is the server's to refuse: no input leaves it to the browser's tooltip.
    expect(response.text).not.toMatch(/<(input|select)[^>]*\srequired/);
    expect(response.text).toContain('value="Evening &lt;Session&gt;"');
    expect(response.text).toMatch(/id="date"[^>]*value="2026-02-27"/);
    const impossible = await lnd.agent.post("/admin/classes").type("form").send(form({ date: "2026-02-30", capacity: "0" })).expect(400);
    expectErrorPattern(impossible.text, [
      { field: "date", message: "The date must be a real date (2026-02-30 does not exist)" },
      { field: "capacity", message: "Capacity must be a whole number of places, 1 or more" },
    ]);
    expect((await t.db("classes").count({ n: "*" }).first())!.n).toBe(before);
  });

  it("shows the problems of Change the class at once, linked to its fields, and a missing reason beside its own field", async () => {
    const classId = await addClass({ title: "Changeable Session" });
    const changed = await lnd.agent.post(`/admin/classes/${classId}`).type("form").send({ ...form({ date: "2026-02-30", venue: "", capacity: "0" }) }).expect(400);
    expectErrorPattern(changed.text, [
      { field: "date", message: "The date must be a real date (2026-02-30 does not exist)" },
      { field: "venue", message: "Enter the venue" },
      { field: "capacity", message: "Capacity must be a whole number of places, 1 or more" },
    ]);
    expect((await t.db("classes").where({ id: classId }).first()).venue).toBe("Training Room 2, Education Centre");
    const cancel = await lnd.agent.post(`/admin/classes/${classId}/cancel`).type("form").send({ _csrf: lnd.csrf, reason: " " }).expect(400);
    expectErrorPattern(cancel.text, [{ field: "cancel-reason", message: "Give a reason for cancelling the class" }]);
    const long = await lnd.agent.post(`/admin/classes/${classId}/cancel`).type("form").send({ _csrf: lnd.csrf, reason: "x".repeat(501) }).expect(400);
    expectErrorPattern(long.text, [{ field: "cancel-reason", message: "The reason must be 500 characters or fewer." }]);
    expect(long.text).toContain(`value="${"x".repeat(501)}"`);
    expect((await t.db("classes").where({ id: classId }).first()).status).toBe("open");
  });

  it("keeps learners out of L&D's class pages", async () => {
    const classId = await addClass();
    const learner = await subscribedLearner();
    await learner.agent.get("/admin/classes").expect(403);
    await learner.agent.get(`/admin/classes/${classId}`).expect(403);
    await learner.agent.post("/admin/classes").type("form").send({ ...form(), _csrf: learner.csrf }).expect(403);
    await apply(learner, classId).expect(303);
    await learner.agent.post(`/admin/classes/${classId}/enrolments/${await enrolmentOf(learner.personId, classId)}/cancel`).type("form").send({ _csrf: learner.csrf, reason: "x" }).expect(403);
    expect(await stateOf(learner.personId, classId)).toBe("Enrolled");
  });

  it("gives places first come, then the waiting list in order; a cancelled place goes to the first waiting, told by email", async () => {
    const classId = await addClass({ capacity: "2", title: "Places Session" });
    const [a, b, c, d] = [await subscribedLearner("Ash, Amy"), await subscribedLearner("Bell, Ben"), await subscribedLearner("Cole, Cat"), await subscribedLearner("Dunn, Dan")];

    const choices = text((await a.agent.get(enrolUrl()).expect(200)).text);
    expect(choices).toContain("Choose or Enrol in class: " + COURSE);
    expect(choices).toContain("Places Session: 10-Mar-2026, 09:30-12:30, Training Room 2, Education Centre");
    expect(choices).toMatch(/Places Session: 10-Mar-2026, 09:30-12:30, Training Room 2, Education Centre 2 places left/);

    for (const [learner, minute] of [[a, 1], [b, 2], [c, 3], [d, 4]] as const) {
      clock.set(`2026-03-01T10:0${minute}:00.000Z`);
      await apply(learner, classId).expect(303).expect("Location", page());
    }
    expect([await stateOf(a.personId, classId), await stateOf(b.personId, classId), await stateOf(c.personId, classId), await stateOf(d.personId, classId)]).toEqual(["Enrolled", "Enrolled", "Waiting List", "Waiting List"]);
    await d.agent.get(enrolUrl()).expect(303).expect("Location", page()); // booked already: cancel first to choose again
    const fullChoices = text((await (await subscribedLearner("Eve, Eva")).agent.get(enrolUrl())).text);
    expect(fullChoices).toMatch(/Places Session: 10-Mar-2026, 09:30-12:30, Training Room 2, Education Centre Full - join the waiting list. 2 waiting/);

    // The certification page: Component Status in the guide's words, the class state in Enrolment Details.
    const aPage = text((await a.agent.get(page())).text);
    expect(aPage).toContain(`${COURSE} Planned Classroom class: Places Session, 10-Mar-2026 09:30-12:30, Training Room 2, Education Centre. Enrolled Cancel`);
    const cPage = text((await c.agent.get(page())).text);
    expect(cPage).toContain(`${COURSE} Planned Classroom class: Places Session, 10-Mar-2026 09:30-12:30, Training Room 2, Education Centre. Waiting List: position 1`);
    expect(text((await d.agent.get("/learning/requested").expect(200)).text)).toContain(`${COURSE} Places Session 10-Mar-2026 09:30-12:30 Training Room 2, Education Centre Waiting List: position 2`);

    // A classroom booking is not e-learning: the portal's My e-Learning does not list it.
    expect((await c.agent.get("/?mandatory=no").expect(200)).text).toContain("You are not enrolled in any e-learning yet.");
    // One learner cannot cancel another's booking: it is not found, and stays.
    await b.agent.post(`/learning/enrolments/${await enrolmentOf(d.personId, classId)}/cancel`).type("form").send({ _csrf: b.csrf }).expect(404);
    expect(await stateOf(d.personId, classId)).toBe("Waiting List");

    clock.set("2026-03-02T09:00:00.000Z");
    await a.agent.post(`/learning/enrolments/${await enrolmentOf(a.personId, classId)}/cancel`).type("form").send({ _csrf: a.csrf, from: String(certificationId) }).expect(303).expect("Location", `${page()}?done=cancelled`);
    expect((await a.agent.get(`${page()}?done=cancelled`).expect(200)).text).toContain("Your class booking is cancelled. Choose or Enrol in class to book another.");
    expect([await stateOf(a.personId, classId), await stateOf(c.personId, classId), await stateOf(d.personId, classId)]).toEqual(["Cancelled", "Enrolled", "Waiting List"]);
    const promoted = await t.db("audit_events").where({ kind: "enrolment.promoted", person_id: c.personId }).first();
    expect(JSON.parse(promoted.detail)).toMatchObject({ classId, cause: `enrolment ${await enrolmentOf(a.personId, classId)} cancelled` });
    expect((await mailsTo(c.personId)).join("\n")).toContain("297 Class place available: Dear Cat,");
    expect(text((await d.agent.get("/learning/requested")).text)).toContain("Waiting List: position 1");
    expect(text((await c.agent.get("/learning/requested")).text)).toContain("You have no requests waiting");
    expect(text((await c.agent.get(page())).text)).toContain(`${COURSE} Planned Classroom class: Places Session, 10-Mar-2026 09:30-12:30, Training Room 2, Education Centre. Enrolled`);
    // The one who cancelled may choose again.
    expect((await a.agent.get(page())).text).toContain(`href="${enrolUrl()}"`);
  });

  it("tells a learner waiting for a place to wait, not Play, in Search Course too; one who completed the component another way is passed over", async () => {
    const classId = await addClass({ capacity: "1", title: "Passed Over Session" });
    const [held, waiting, next] = [await subscribedLearner("Hale, Hal"), await subscribedLearner("Wade, Wyn"), await subscribedLearner("Nash, Nia")];
    for (const learner of [held, waiting, next]) await apply(learner, classId).expect(303);
    const actionFor = async (learner: { agent: Agent }) => /data-field="next-action" data-action="([^"]+)"/.exec((await learner.agent.get(`/learning/search?q=${encodeURIComponent("moving handling practical")}`).expect(200)).text)?.[1];
    expect(await actionFor(held)).toBe("Attend your class"); // a classroom place: its class counts, not Play (8a690c8)
    expect(await actionFor(waiting)).toBe("Awaiting a place");
    expect(await actionFor(next)).toBe("Awaiting a place");

    // Wyn does the course's e-learning meanwhile: the component is credited, and the search says so.
    clock.set("2026-03-01T10:00:00.000Z");
    const played = await waiting.agent.post(`/learning/courses/${courseId}/play`).type("form").send({ _csrf: waiting.csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    await waiting.agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", waiting.csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "completed" } } }).expect(200);
    expect(await actionFor(waiting)).toBe("Completed");

    // Hal's place frees: it goes to Nia, who still needs it; Wyn's waiting is ended, with why.
    await held.agent.post(`/learning/enrolments/${await enrolmentOf(held.personId, classId)}/cancel`).type("form").send({ _csrf: held.csrf }).expect(303);
    expect([await stateOf(waiting.personId, classId), await stateOf(next.personId, classId)]).toEqual(["Cancelled", "Enrolled"]);
    expect((await t.db("enrolments").where({ person_id: waiting.personId, class_id: classId }).first("reason")).reason).toBe("no longer needed: the component was completed another way");
  });

  it("gives exactly one learner the last place when several apply at once; the rest wait, in order", async () => {
    const classId = await addClass({ capacity: "1" });
    const learners = [];
    for (let i = 0; i < 6; i++) learners.push(await subscribedLearner(`Race, Runner${i}`));
    const responses = await Promise.all(learners.map((learner) => apply(learner, classId)));
    expect(responses.map((response) => response.status)).toEqual([303, 303, 303, 303, 303, 303]);
    const rows = await t.db("enrolments").where({ class_id: classId });
    expect(rows.filter((row) => row.status === "Enrolled")).toHaveLength(1);
    expect(rows.filter((row) => row.status === "Waiting List")).toHaveLength(5);
    const positions = await Promise.all(learners.filter((learner) => rows.some((row) => Number(row.person_id) === learner.personId && row.status === "Waiting List")).map(async (learner) => /Waiting List: position (\d)/.exec(text((await learner.agent.get("/learning/requested")).text))![1]));
    expect(positions.sort()).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("sends a request awaiting approval when the class says so: L&D reject with a reason, or approve into a place or the waiting list", async () => {
    const classId = await addClass({ capacity: "1", requiresApproval: "yes" });
    const [a, b, c] = [await subscribedLearner("Ash, Amy"), await subscribedLearner("Bell, Ben"), await subscribedLearner("Cole, Cat")];
    expect(text((await a.agent.get(enrolUrl())).text)).toContain("1 place left. Needs approval by Learning and Development");
    for (const learner of [a, b, c]) await apply(learner, classId).expect(303);
    expect(text((await a.agent.get("/learning/requested")).text)).toContain("Requested: awaiting approval");
    expect(text((await a.agent.get(page())).text)).toContain(`${COURSE} Planned Classroom class`);

    const people = text((await lnd.agent.get(`/admin/classes/${classId}`).expect(200)).text);
    expect(people).toContain("Ash, Amy");
    expect(people).toContain("Requested");
    // A rejection without a reason is refused; with one, it ends the request and the learner is told why.
    const refused = await act(classId, await enrolmentOf(a.personId, classId), "reject").expect(400);
    expectErrorPattern(refused.text, [{ field: `reject-${await enrolmentOf(a.personId, classId)}`, message: "Give a reason for rejecting the request" }]);
    expect(await stateOf(a.personId, classId)).toBe("Requested");
    await act(classId, await enrolmentOf(a.personId, classId), "reject", "Book the March session instead").expect(303);
    expect(await stateOf(a.personId, classId)).toBe("Rejected");
    expect((await mailsTo(a.personId)).join("\n")).toContain("Reason: Book the March session instead");

    await act(classId, await enrolmentOf(b.personId, classId), "approve").expect(303);
    await act(classId, await enrolmentOf(c.personId, classId), "approve").expect(303);
    expect([await stateOf(b.personId, classId), await stateOf(c.personId, classId)]).toEqual(["Enrolled", "Waiting List"]);
    // Decided once only.
    await act(classId, await enrolmentOf(b.personId, classId), "approve").expect(409);
    // A raised capacity gives the new place to the first waiting at once.
    await lnd.agent.post(`/admin/classes/${classId}`).type("form").send(form({ capacity: "2", requiresApproval: "yes" })).expect(303);
    expect(await stateOf(c.personId, classId)).toBe("Enrolled");
    // Capacity below the places held is refused.
    const lowered = await lnd.agent.post(`/admin/classes/${classId}`).type("form").send(form({ capacity: "1", requiresApproval: "yes" })).expect(400);
    expect(lowered.text).toContain("2 people hold places: capacity cannot be less than that");
  });

  it("credits attendance as a SCORM completion is credited: the component, the certification and the competence record", async () => {
    const classId = await addClass();
    const learner = await subscribedLearner("Attend, Alex");
    clock.set("2026-03-01T10:00:00.000Z");
    await apply(learner, classId).expect(303);
    const enrolmentId = await enrolmentOf(learner.personId, classId);
    // Not before the class has started.
    const early = await act(classId, enrolmentId, "attended").expect(409);
    // The class page again, the reason in its error summary.
    expect(early.text).toMatch(/<div class="nhsuk-error-summary"[\s\S]*?<li>Attendance can be marked once the class has started\.<\/li>/);
    expect(early.text).toContain("<h2>People</h2>");

    clock.set("2026-03-11T09:00:00.000Z"); // marked the next morning: every date is still the class's
    await act(classId, enrolmentId, "attended").expect(303);
    expect(await stateOf(learner.personId, classId)).toBe("Attended");
    const attempt = await t.db("attempts").where({ enrolment_id: enrolmentId }).first();
    expect(attempt).toMatchObject({ kind: "classroom", performance_status: "Completed", started_at: "2026-03-10T09:30:00.000Z", completed_at: "2026-03-10T12:30:00.000Z" });
    const subscription = await t.db("subscriptions").where({ person_id: learner.personId }).first();
    expect(subscription.status).toBe("Completed");
    expect(await t.db("component_credits").where({ subscription_id: subscription.id }).first()).toMatchObject({ course_code: COURSE, attempt_id: attempt.id, how: "done" });
    expect(await t.db("competence_records").where({ person_id: learner.personId }).first()).toMatchObject({ level: "2 - Practical", achieved_on: "2026-03-10", expires_on: "2028-03-09", source: "certification" });
    const kinds = (await t.db("audit_events").where({ person_id: learner.personId }).orderBy("id")).map((row) => row.kind);
    expect(kinds.slice(-4)).toEqual(["enrolment.attended", "component.credited", "certification.completed", "competency.awarded"]);
    const html = text((await learner.agent.get(page())).text);
    expect(html).toContain(`${COURSE} 10-Mar-2026 Completed Classroom class: Moving and Handling - Practical Session, 10-Mar-2026 09:30-12:30, Training Room 2, Education Centre. Attended`);
    expect(html).toContain("Completed on 10-Mar-2026.");
    // Current Learning lists the booking with its time and place, Completed as on the certification page.
    const current = text((await learner.agent.get("/learning/current").expect(200)).text);
    expect(current).toContain(COURSE);
    expect(current).toContain("Classroom class: Moving and Handling - Practical Session (10-Mar-2026 09:30, Training Room 2, Education Centre), enrolled 01-Mar-2026 Completed 10-Mar-2026");
    // Attended is final.
    await act(classId, enrolmentId, "did-not-attend").expect(409);
  });

  it("credits nothing for a class attended before subscribing (rule 1), nor for Did Not Attend", async () => {
    const classId = await addClass();
    const late = await subscribedLearner("Late, Lou");
    const absent = await subscribedLearner("Absent, Abi");
    await apply(late, classId).expect(303);
    await apply(absent, classId).expect(303);
    // Lou unsubscribes, and subscribes again only after the class started.
    await late.agent.post(`${page()}/unsubscribe`).type("form").send({ _csrf: late.csrf }).expect(303);
    clock.set("2026-03-10T10:00:00.000Z");
    await late.agent.post(`${page()}/subscribe`).type("form").send({ _csrf: late.csrf }).expect(303);
    clock.set("2026-03-10T13:00:00.000Z");
    await act(classId, await enrolmentOf(late.personId, classId), "attended").expect(303);
    const lateSubscriptions = await t.db("subscriptions").where({ person_id: late.personId }).orderBy("id");
    expect(lateSubscriptions.map((row) => row.status)).toEqual(["Unsubscribed", "Subscribed"]);
    expect(await t.db("component_credits").whereIn("subscription_id", lateSubscriptions.map((row) => row.id))).toHaveLength(0);
    expect(await t.db("competence_records").where({ person_id: late.personId })).toHaveLength(0);
    expect(text((await late.agent.get(page())).text)).toContain("played before subscribing - not counted");

    await act(classId, await enrolmentOf(absent.personId, classId), "did-not-attend").expect(303);
    expect(await stateOf(absent.personId, classId)).toBe("Did Not Attend");
    expect(await t.db("attempts").where({ person_id: absent.personId })).toHaveLength(0);
    expect(await t.db("component_credits").join("subscriptions", "subscriptions.id", "component_credits.subscription_id").where("subscriptions.person_id", absent.personId)).toHaveLength(0);
    expect(text((await absent.agent.get(page())).text)).toContain(`${COURSE} Planned`);
  });

  it("lets L&D cancel a class before it starts: every booking ends and each learner is told why", async () => {
    const classId = await addClass({ capacity: "1" });
    const [a, b] = [await subscribedLearner("Ash, Amy"), await subscribedLearner("Bell, Ben")];
    await apply(a, classId).expect(303);
    await apply(b, classId).expect(303);
    expect((await lnd.agent.post(`/admin/classes/${classId}/cancel`).type("form").send({ _csrf: lnd.csrf, reason: "" }).expect(400)).text).toContain("Give a reason for cancelling the class");
    await lnd.agent.post(`/admin/classes/${classId}/cancel`).type("form").send({ _csrf: lnd.csrf, reason: "Trainer unwell" }).expect(303);
    expect([await stateOf(a.personId, classId), await stateOf(b.personId, classId)]).toEqual(["Cancelled", "Cancelled"]);
    expect((await mailsTo(b.personId)).join("\n")).toContain("Reason: Trainer unwell");
    // A cancelled class is no longer offered, and cannot be applied for.
    expect((await apply(await subscribedLearner(), classId).expect(409)).text).toContain("That class has been cancelled");
  });

  it("answers a bad class choice clearly: unknown ids, ids past 2^31, another course's class, one already started", async () => {
    const learner = await subscribedLearner();
    const classId = await addClass();
    for (const id of ["999999", "2147483648", "abc", "-1"]) await apply(learner, id).expect(404);
    const otherCourse = (await importCourses(t, ["297 Other Course"]))["297 Other Course"]!;
    const other = await addClass({ courseId: String(otherCourse) });
    await apply(learner, other).expect(404);
    expect((await learner.agent.post(enrolUrl()).type("form").send({ _csrf: learner.csrf }).expect(400)).text).toContain("Choose a class, then Apply");
    clock.set("2026-03-10T10:00:00.000Z");
    expect((await apply(learner, classId).expect(409)).text).toContain("That class has already started");
    expect(await t.db("enrolments").where({ person_id: learner.personId })).toHaveLength(0);
    // Without a subscription there is nothing to enrol for.
    const unsubscribed = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, unsubscribed.username, unsubscribed.password);
    clock.set(START);
    await agent.post(enrolUrl()).type("form").send({ _csrf: csrfFrom((await agent.get(page())).text), classId: String(classId) }).expect(409);
  });
});
