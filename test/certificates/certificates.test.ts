import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { buildAttempt, importCourses } from "../support/attempts.ts";
import { binaryBody, pdfPages } from "../support/pdf.ts";
import { listAudit } from "../../server/audit/store.ts";
import { VERIFY_THROTTLE } from "../../server/certificates/routes.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const MODULE = "297 Certificate Test - Part 1";
const ASSESSMENT = "297 Certificate Test - eAssessment";
const CERTIFICATION = "297 Core Skills - Certificate Test - 3 Years";
const COMPETENCY = "NHS|CSTF|Certificate Test - 3 Years|";

/** Certificates through the real app: downloads read back from the PDF, and the public check. */
describe("certificates", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let certificationId: number;
  const courseIds: Record<string, number> = {};
  const componentIds: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    Object.assign(courseIds, await importCourses(t, [MODULE, ASSESSMENT]));
    // The guide's rule: passing the eAssessment alone satisfies the session.
    const built = await buildCertification(t.db, {
      name: CERTIFICATION,
      competency: COMPETENCY,
      components: [{ courseCode: MODULE, satisfiedBy: ASSESSMENT }, { courseCode: ASSESSMENT, requires: "pass" }],
    });
    certificationId = built.certificationId;
    Object.assign(componentIds, built.componentIds);
  });
  afterAll(() => t.cleanup());

  /** Subscribes, enrols in the eAssessment and passes it, through the real routes: the certification completes on the 2nd of March. */
  async function completeCertification(learner: { username: string; password: string }) {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const certificationPage = `/learning/certifications/${certificationId}`;
    const csrf = csrfFrom((await agent.get(certificationPage)).text);
    clock.set("2026-03-01T09:00:00.000Z");
    await agent.post(`${certificationPage}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    await agent.post(`${certificationPage}/components/${componentIds[ASSESSMENT]}/enrol`).type("form").send({ _csrf: csrf }).expect(303);
    clock.set("2026-03-02T10:00:00.000Z");
    const attemptId = await passAssessment(agent, csrf);
    return { agent, csrf, attemptId };
  }

  async function passAssessment(agent: ReturnType<typeof request.agent>, csrf: string, score = "90") {
    const played = await agent.post(`/learning/courses/${courseIds[ASSESSMENT]}/play`).type("form").send({ _csrf: csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "passed", score: { raw: score } } } }).expect(200);
    return attemptId;
  }

  const subscriptionOf = async (personId: number) => Number((await t.db("subscriptions").where({ person_id: personId, certification_id: certificationId }).orderBy("id", "desc").first("id")).id);
  const pdfOf = (agent: ReturnType<typeof request.agent>, url: string) => agent.get(url).buffer(true).parse(binaryBody);
  const codeIn = (text: string) => /Verification code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)?.[1];
  /** The rows of the verification page's answer, as "Key: value". */
  const verified = (html: string) =>
    [...html.matchAll(/<dt class="nhsuk-summary-list__key">([^<]*)<\/dt><dd class="nhsuk-summary-list__value"[^>]*>([\s\S]*?)<\/dd>/g)].map(([, key, value]) => `${key}: ${value!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()}`);

  it("prints who, what, when, the expiry and a code on a completed certification's certificate, and /verify confirms exactly that", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Conroy, Emma", employeeNumber: "10009001", email: "emma.conroy.cert@example.org" });
    const { agent } = await completeCertification(learner);
    const subscriptionId = await subscriptionOf(learner.personId);
    expect((await t.db("subscriptions").where({ id: subscriptionId }).first("status")).status).toBe("Completed");

    // The certification page offers it.
    clock.set("2026-03-03T08:00:00.000Z");
    const html = (await agent.get(`/learning/certifications/${certificationId}`).expect(200)).text;
    expect(html).toContain(`<a href="/learning/subscriptions/${subscriptionId}/certificate">Download certificate</a>`);

    const response = await pdfOf(agent, `/learning/subscriptions/${subscriptionId}/certificate`).expect(200);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["content-disposition"]).toBe('attachment; filename=certificate-297-core-skills-certificate-test-3-years.pdf');
    const [text, ...more] = await pdfPages(response.body as Buffer);
    expect(more).toEqual([]);
    const code = codeIn(text!)!;
    expect(code).toBeDefined();
    for (const words of [
      "Test Trust",
      "Certificate of Completion",
      "This is to certify that Emma Conroy",
      "Employee Number 10009001",
      `has completed the learning certification ${CERTIFICATION}`,
      `${CERTIFICATION} NHS|CSTF|Certificate Test - 3 Years Competence Level 1 - Assessed Completed on`,
      "Completed on 02-Mar-2026 Expiry date 01-Mar-2029",
      `Verification code ${code}`,
      `${t.config.publicUrl}/verify/${code}`,
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain("Some letters cannot be printed");
    const [row] = await t.db("certificates").where({ subscription_id: subscriptionId });
    expect(row).toMatchObject({ code: code.replace(/-/g, ""), kind: "certification", person_id: learner.personId, attempt_id: null, issued_at: "2026-03-03T08:00:00.000Z" });
    const issued = await listAudit(t.db, { kind: "certificate.issued", personId: learner.personId });
    expect(issued.map((event) => event.detail)).toEqual([{ certificateId: Number(row.id), kind: "certification", subscriptionId, certification: CERTIFICATION, completedOn: "2026-03-02" }]);

    // Anyone, not logged in, checks the code: what the certificate says, valid today, nothing more.
    const check = await request(t.app).get(`/verify/${code}`).expect(200);
    expect(check.text).toContain("This certificate is genuine");
    expect(verified(check.text)).toEqual([
      "Name: Emma Conroy",
      "Employee Number: 10009001",
      `Learning certification: ${CERTIFICATION} NHS|CSTF|Certificate Test - 3 Years`,
      "Competence Level: 1 - Assessed",
      "Completed on: 02-Mar-2026",
      "Expiry Date: 01-Mar-2029",
      "Today, 03-Mar-2026: Valid",
    ]);
    for (const secret of [learner.username, "emma.conroy.cert@example.org", "1990", MODULE, ASSESSMENT, `/learning/`, `/admin/`]) expect(check.text).not.toContain(secret);
    expect(check.headers["cache-control"]).toBe("no-store");

    // However it is typed: lower case, spaces, no dashes, other dashes; through the form too.
    const typedForms = [code.toLowerCase(), code.replace(/-/g, ""), ` ${code.replace(/-/g, " ")} `, code.replace(/-/g, "\u2013")];
    for (const typed of typedForms) {
      const form = await request(t.app).get("/verify").query({ code: typed }).expect(200);
      expect(verified(form.text)[0]).toBe("Name: Emma Conroy");
    }

    // Past the expiry date: still genuine, and says when it expired.
    clock.set("2029-03-01T12:00:00.000Z");
    expect(verified((await request(t.app).get(`/verify/${code}`).expect(200)).text).at(-1)).toBe("Today, 01-Mar-2029: Expired on 01-Mar-2029");
    clock.set("2026-03-03T08:00:00.000Z");
  });

  it("gives the same code on every later download, by the learner or by L&D from the person's page, and issues it once", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Patel, Asha" });
    const { agent } = await completeCertification(learner);
    const subscriptionId = await subscriptionOf(learner.personId);
    const admin = await buildLearner(t.db, t.clock, { name: "Okafor, Grace", role: "admin" });
    const adminAgent = await logInAgent(t.app, admin.username, admin.password);

    // Before any download, L&D see it completed and not issued yet.
    let person = (await adminAgent.get(`/admin/people/${learner.personId}`).expect(200)).text;
    expect(person).toContain(`<a href="/admin/subscriptions/${subscriptionId}/certificate" aria-label="Download certificate: ${CERTIFICATION}">Download certificate</a>`);
    expect(person).toMatch(/data-field="code">Not issued yet</);

    const first = codeIn((await pdfPages((await pdfOf(agent, `/learning/subscriptions/${subscriptionId}/certificate`).expect(200)).body as Buffer))[0]!);
    clock.set("2026-04-01T08:00:00.000Z");
    const second = codeIn((await pdfPages((await pdfOf(agent, `/learning/subscriptions/${subscriptionId}/certificate`).expect(200)).body as Buffer))[0]!);
    const byAdmin = codeIn((await pdfPages((await pdfOf(adminAgent, `/admin/subscriptions/${subscriptionId}/certificate`).expect(200)).body as Buffer))[0]!);
    expect(first).toBeDefined();
    expect([second, byAdmin]).toEqual([first, first]);
    expect(await t.db("certificates").where({ subscription_id: subscriptionId })).toHaveLength(1);
    expect(await listAudit(t.db, { kind: "certificate.issued", personId: learner.personId })).toHaveLength(1);
    person = (await adminAgent.get(`/admin/people/${learner.personId}`).expect(200)).text;
    expect(person).toContain(`data-field="code">${first}<`);
  });

  it("agrees on one code when the first two downloads come at once", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Twice, Tom" });
    const { agent } = await completeCertification(learner);
    const subscriptionId = await subscriptionOf(learner.personId);
    const other = await logInAgent(t.app, learner.username, learner.password);
    const responses = await Promise.all([agent, other, agent, other].map((each) => pdfOf(each, `/learning/subscriptions/${subscriptionId}/certificate`)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const codes = await Promise.all(responses.map(async (response) => codeIn((await pdfPages(response.body as Buffer))[0]!)));
    expect(new Set(codes).size).toBe(1);
    expect(await t.db("certificates").where({ subscription_id: subscriptionId })).toHaveLength(1);
    expect(await listAudit(t.db, { kind: "certificate.issued", personId: learner.personId })).toHaveLength(1);
  });

  it("refuses someone else's certificate as not found, and learning not completed, saying why", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Owner, Olive" });
    const { agent, attemptId } = await completeCertification(learner);
    const subscriptionId = await subscriptionOf(learner.personId);
    await agent.get(`/learning/subscriptions/${subscriptionId}/certificate`).expect(200);

    const stranger = await buildLearner(t.db, t.clock, { name: "Stranger, Sam" });
    const strangerAgent = await logInAgent(t.app, stranger.username, stranger.password);
    expect((await strangerAgent.get(`/learning/subscriptions/${subscriptionId}/certificate`).expect(404)).text).toContain("That certification was not found");
    expect((await strangerAgent.get(`/learning/attempts/${attemptId}/certificate`).expect(404)).text).toContain("That course attempt was not found");
    await strangerAgent.get(`/admin/subscriptions/${subscriptionId}/certificate`).expect(403);
    await request(t.app).get(`/learning/subscriptions/${subscriptionId}/certificate`).expect(302).expect("Location", `/login?next=${encodeURIComponent(`/learning/subscriptions/${subscriptionId}/certificate`)}`);

    // Subscribed but not finished: no certificate, and no link to one.
    const csrf = csrfFrom((await strangerAgent.get(`/learning/certifications/${certificationId}`)).text);
    await strangerAgent.post(`/learning/certifications/${certificationId}/subscribe`).type("form").send({ _csrf: csrf }).expect(303);
    const open = await subscriptionOf(stranger.personId);
    const refused = await strangerAgent.get(`/learning/subscriptions/${open}/certificate`).expect(409);
    expect(refused.text).toContain("This certification is not completed, so there is no certificate for it yet.");
    expect((await strangerAgent.get(`/learning/certifications/${certificationId}`)).text).not.toContain("Download certificate");
    expect(await t.db("certificates").where({ person_id: stranger.personId })).toHaveLength(0);
    await strangerAgent.get("/learning/subscriptions/2147483648/certificate").expect(404);
    await strangerAgent.get("/learning/subscriptions/abc/certificate").expect(404);
  });

  it("prints a course certificate for a passed eAssessment, offered on My e-Learning and the result page; none for a preview or a failure", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Course, Carla", employeeNumber: "10009002" });
    const { agent, attemptId } = await completeCertification(learner);
    // This learner's position does not require the course, so My e-Learning shows it once the
    // learner chooses NO for "Show mandatory learning only" (the guide's default is YES).
    const portal = (await agent.get("/?mandatory=no").expect(200)).text;
    expect(portal).toContain(`<a href="/learning/attempts/${attemptId}/certificate" aria-label="Download certificate: ${ASSESSMENT}">Download certificate</a>`);
    expect((await agent.get(`/learning/attempts/${attemptId}`).expect(200)).text).toContain(`<a href="/learning/attempts/${attemptId}/certificate">Download certificate</a>`);

    const response = await pdfOf(agent, `/learning/attempts/${attemptId}/certificate`).expect(200);
    expect(response.headers["content-disposition"]).toBe('attachment; filename=certificate-297-certificate-test-eassessment.pdf');
    const [text] = await pdfPages(response.body as Buffer);
    const code = codeIn(text!)!;
    for (const words of ["Certificate of Achievement", "Carla Course", "Employee Number 10009002", `has passed the course ${ASSESSMENT}`, "Completed on 02-Mar-2026 Expiry date Does not expire"]) expect(text).toContain(words);
    expect((await t.db("certificates").where({ attempt_id: attemptId }).first()).kind).toBe("course");
    const check = verified((await request(t.app).get(`/verify/${code}`).expect(200)).text);
    expect(check).toEqual(["Name: Carla Course", "Employee Number: 10009002", expect.stringMatching(new RegExp(`^Course: ${ASSESSMENT}`)), "Passed on: 02-Mar-2026", "Expiry Date: Does not expire", expect.stringMatching(/: Valid$/)]);

    // A preview attempt credits nothing and certifies nothing; nor does a failed attempt.
    const versionId = Number((await t.db("course_versions").where({ course_id: courseIds[ASSESSMENT] }).first("id")).id);
    const preview = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId, preview: true });
    await t.db("attempts").where({ id: preview }).update({ performance_status: "Passed", completed_at: "2026-03-02T11:00:00.000Z" });
    expect((await agent.get(`/learning/attempts/${preview}/certificate`).expect(409)).text).toContain("A preview attempt credits nothing, so it has no certificate.");
    const failed = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    await t.db("attempts").where({ id: failed }).update({ performance_status: "Failed" });
    expect((await agent.get(`/learning/attempts/${failed}/certificate`).expect(409)).text).toContain("This course is not completed or passed, so there is no certificate for it yet.");
    expect((await agent.get(`/learning/attempts/${failed}`).expect(200)).text).not.toContain("Download certificate");
    expect(await t.db("certificates").whereIn("attempt_id", [preview, failed])).toHaveLength(0);
  });

  it("prints letters of other alphabets as plain Latin letters rather than garbage, and shows the name as recorded on /verify", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Ørsted-Wołodźko, Łucja Zoë Жанна", employeeNumber: "10009003" });
    const { agent } = await completeCertification(learner);
    const [text] = await pdfPages((await pdfOf(agent, `/learning/subscriptions/${await subscriptionOf(learner.personId)}/certificate`).expect(200)).body as Buffer);
    // Ø and ë are in Helvetica's WinAnsi and print as they are; Ł, ł, ź and Cyrillic are spelt plainly.
    expect(text).toContain("This is to certify that Lucja Zoë Zhanna Ørsted-Wolodzko");
    expect(text).toContain("Some letters cannot be printed in this document's font and are spelt in plain Latin letters; the verification page shows the name as recorded.");
    const check = verified((await request(t.app).get(`/verify/${codeIn(text!)}`).expect(200)).text);
    expect(check[0]).toBe("Name: Łucja Zoë Жанна Ørsted-Wołodźko");

    const latin1 = await buildLearner(t.db, t.clock, { name: "Ñúñez-Ørsted, José Chloé" });
    const latin1Agent = (await completeCertification(latin1)).agent;
    const [latin1Text] = await pdfPages((await pdfOf(latin1Agent, `/learning/subscriptions/${await subscriptionOf(latin1.personId)}/certificate`).expect(200)).body as Buffer);
    expect(latin1Text).toContain("This is to certify that José Chloé Ñúñez-Ørsted");
    expect(latin1Text).not.toContain("Some letters cannot be printed");
  });

  it("says plainly that an unknown or garbage code is not a certificate issued here, and shows the form", async () => {
    const form = await request(t.app).get("/verify").expect(200);
    expect(form.text).toContain('<form method="get" action="/verify"');
    expect(form.text).toContain('<label class="nhsuk-label nhsuk-label--s" for="code">Verification code</label>');
    // Check pressed with nothing typed: the design system's error pattern, on the code's field.
    const empty = await request(t.app).get("/verify").query({ code: "   " }).expect(400);
    expect(empty.text).not.toContain("Not a certificate issued here");
    expectErrorPattern(empty.text, [{ field: "code", message: "Enter the verification code, as printed on the certificate" }]);
    // A code that cannot be one says what a code looks like, beside the field; one that could be, but is not, says only that.
    expectErrorPattern((await request(t.app).get("/verify").query({ code: "short" }).expect(404)).text, [{ field: "code", message: "A verification code has 16 letters and digits, in four groups of four" }]);
    expect((await request(t.app).get("/verify").query({ code: "ABCD-EFGH-JKLM-NPQR" }).expect(404)).text).not.toContain("nhsuk-error-summary");

    for (const typed of ["ABCD-EFGH-JKLM-NPQR", "abcd efgh jkmn pqrs", "0000-1111-OOOO-IIII", "short", "x".repeat(500), "<script>alert(1)</script>", "'; drop table certificates; --"]) {
      const answer = await request(t.app).get("/verify").query({ code: typed }).expect(404);
      expect(answer.text).toContain("Not a certificate issued here");
      expect(answer.text).not.toContain("This certificate is genuine");
      expect(answer.text).not.toContain("<script>alert");
    }
    const byPath = await request(t.app).get(`/verify/${encodeURIComponent("ZZZZ-ZZZZ-ZZZZ-ZZZZ")}`).expect(404);
    expect(byPath.text).toContain('No certificate issued here has the code <strong class="app-certificate-code">ZZZZ-ZZZZ-ZZZZ-ZZZZ</strong>');
    expect(await t.db("certificates").where({ code: "ZZZZZZZZZZZZZZZZ" })).toHaveLength(0);
  });

  it("stops guessing from one address after the limit, as log in does", async () => {
    clock.set("2026-06-01T10:00:00.000Z"); // a fresh throttle window
    for (let n = 1; n <= VERIFY_THROTTLE.limit; n++) await request(t.app).get(`/verify/AAAA-AAAA-AAAA-A${String(n % 10).replace(/[01]/, "2")}AA`).expect(404);
    const stopped = await request(t.app).get("/verify").query({ code: "BBBB-BBBB-BBBB-BBBB" }).expect(429);
    expect(stopped.text).toContain("Too many attempts from your network.");
    expect(Number(stopped.headers["retry-after"])).toBeGreaterThan(0);
    // The form itself is not counted, and the next window lets checks through again.
    await request(t.app).get("/verify").expect(200);
    clock.set("2026-06-01T10:15:00.000Z");
    await request(t.app).get("/verify/BBBB-BBBB-BBBB-BBBB").expect(404);
  });
});
