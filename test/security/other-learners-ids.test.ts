// Learner A with learner B's ids, on every route a learner may use that takes one: B's attempts,
// subscriptions, enrolments, classroom requests, evidence files and certificates, each made through
// the real routes as B made them. A is refused as the app refuses (a page's "not found", so that ids
// tell a guesser nothing; the runtime's SCORM-form 403), sees nothing of B's, and changes nothing
// of B's. The routes come from the route table (test/support/route-table.ts), which is checked
// against the routes the app mounts: a new learner route with an id fails here until FIXTURES says
// how to build B's object for it.
//
// Author-only and L&D-only routes are not probed: their ids name nothing anyone owns. Authors share
// the course list (server/packages/routes.ts lists and opens every course, whoever imported it) and
// the catalog; L&D see and act on everyone. What an author does own is a preview attempt ("Preview
// attempts too belong to the author who made them, and to nobody else", runtime/attempt-context.ts),
// reached through the learner's attempt routes: probed below with author A against author B's.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { importCourses, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { binaryBody, pdfPages } from "../support/pdf.ts";
import { ACCESS } from "../support/route-table.ts";
import { signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { tableCounts } from "../reliability/fuzz-support.ts";

const FIRE = "297 Other Learners - Fire Safety";
const PRACTICAL = "297 Other Learners - Moving and Handling Practical";
const SEQUENCED = "297 Other Learners - Moving and Handling eLearning";
// B's evidence file, with B's name inside: a download of it by A would show it.
const PDF = Buffer.from("%PDF-1.4\n% evidence of Bartholomew Quenby\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");

interface Person {
  personId: number;
  username: string;
  email: string;
}

/** What B holds, by id: every route's id names one of these. */
interface Theirs {
  person: Person;
  /** Each with a commit that would be valid for its SCORM version, so that only ownership refuses it. */
  attempts: Array<{ id: number; scoId: string; cmi: object }>;
  subscriptions: number[];
  certifications: number[];
  components: Array<{ certificationId: number; componentId: number; form?: Record<string, string> }>;
  enrolments: number[];
  evidenceFiles: number[];
  certificates: number[];
  competencies: number[];
  courses: number[];
  /** B's name and account, and what B wrote: no answer to A shows any of it. */
  hidden: string[];
  /** The courses B's objects are on: a refusal names none of them (a catalogue page for A may). */
  coursesNamed: string[];
}

/** Who asks: A, logged in. */
type Asking = SignedInAgent & { personId: number };

interface Case {
  params: Record<string, string | number>;
  form?: Record<string, string>;
  json?: object;
}

/** B's own object behind the id: A is refused, with the app's words for it. */
interface Refused {
  theirs: "attempt" | "subscription" | "enrolment" | "evidence file" | "certificate";
  refusedWith: 403 | 404;
  says: string;
  cases: (b: Theirs) => Case[];
}

/**
 * A catalogue object (a course, certification, component, competency), nobody's own: any learner may
 * use it, and refusing A would be wrong. A is answered about A's own learning, never B's: B's
 * subscription, booking or attempt on the same object neither shows nor decides the answer.
 */
interface Shared {
  shared: "course" | "certification" | "component" | "competency";
  answeredWith: number;
  cases: (b: Theirs) => Case[];
  /** What of B's this page would show, beyond Theirs.hidden, were it B's view. */
  alsoHidden?: RegExp[];
  then?: (response: Response, text: string, a: { personId: number }, t: TestApp) => Promise<void>;
}

const certificationCases = (b: Theirs): Case[] => b.certifications.map((certificationId) => ({ params: { certificationId } }));
const attemptCases = (b: Theirs): Case[] => b.attempts.map(({ id, scoId, cmi }) => ({ params: { attemptId: id, scoId }, json: { commitSequence: 2, cmi } }));
const backToCertification = (response: Response) => expect(response.headers.location).toMatch(/^\/learning\/certifications\/\d+$/);

/** How to build B's object for each route a learner may use with an id: every such route needs one. */
const FIXTURES: Record<string, Refused | Shared> = {
  "GET /runtime/attempts/:attemptId/scos/:scoId/state": { theirs: "attempt", refusedWith: 403, says: "This attempt belongs to someone else", cases: attemptCases },
  "POST /runtime/attempts/:attemptId/scos/:scoId/commit": { theirs: "attempt", refusedWith: 403, says: "This attempt belongs to someone else", cases: attemptCases },
  "POST /runtime/attempts/:attemptId/sequencing-state": {
    theirs: "attempt",
    refusedWith: 403,
    says: "This attempt belongs to someone else",
    cases: (b) => b.attempts.map(({ id }) => ({ params: { attemptId: id }, json: { sequencingState: JSON.stringify({ version: "1.0", sequencing: { suspendedActivity: "B", activityStates: {} } }) } })),
  },
  "POST /learning/courses/:courseId/play": {
    shared: "course",
    answeredWith: 303,
    cases: (b) => b.courses.map((courseId) => ({ params: { courseId } })),
    // Play resumes the learner's own attempt: B's, suspended on this course, is not A's to resume.
    then: async (response, _text, a, t) => {
      const attemptId = Number(/^\/player\/attempts\/(\d+)$/.exec(String(response.headers.location))?.[1]);
      expect((await t.db("attempts").where({ id: attemptId }).first("person_id"))?.person_id).toBe(a.personId);
    },
  },
  "GET /learning/attempts/:attemptId": { theirs: "attempt", refusedWith: 404, says: "That attempt was not found", cases: attemptCases },
  "GET /learning/certifications/:certificationId": { shared: "certification", answeredWith: 200, cases: certificationCases },
  "GET /learning/certifications/:certificationId/subscribe": { shared: "certification", answeredWith: 200, cases: certificationCases },
  "POST /learning/certifications/:certificationId/subscribe": {
    shared: "certification",
    answeredWith: 303,
    cases: certificationCases,
    // B holds a subscription to each (one in progress, one completed): A is subscribed all the same, A's own.
    then: async (response, _text, a, t) => {
      backToCertification(response);
      const certificationId = Number(String(response.headers.location).split("/").at(-1));
      expect(await t.db("subscriptions").where({ person_id: a.personId, certification_id: certificationId }).pluck("status")).toEqual(["Subscribed"]);
    },
  },
  // A holds no subscription, so there is nothing to ask about: B's does not count as A's.
  "GET /learning/certifications/:certificationId/unsubscribe": { shared: "certification", answeredWith: 303, cases: certificationCases, then: async (response) => backToCertification(response) },
  "POST /learning/certifications/:certificationId/unsubscribe": {
    shared: "certification",
    answeredWith: 409,
    cases: certificationCases,
    then: async (_response, text) => expect(text).toContain("You are not subscribed to this certification."),
  },
  // B has a classroom request on one component and an e-learning place on the other: A still chooses.
  "GET /learning/certifications/:certificationId/components/:componentId/enrol": { shared: "component", answeredWith: 200, cases: (b) => b.components.map(({ certificationId, componentId }) => ({ params: { certificationId, componentId } })) },
  "POST /learning/certifications/:certificationId/components/:componentId/enrol": {
    shared: "component",
    answeredWith: 409,
    cases: (b) => b.components.map(({ certificationId, componentId, form }) => ({ params: { certificationId, componentId }, ...(form ? { form } : {}) })),
    // Applying needs the applicant's own subscription; B's is not A's.
    then: async (_response, text) => expect(text).toContain("Subscribe to the certification before enrolling in its components."),
  },
  "GET /learning/certifications/:certificationId/components/:componentId/play": { shared: "component", answeredWith: 200, cases: (b) => b.components.map(({ certificationId, componentId }) => ({ params: { certificationId, componentId } })) },
  "GET /compliance/evidence-files/:fileId": { theirs: "evidence file", refusedWith: 404, says: "That evidence file was not found", cases: (b) => b.evidenceFiles.map((fileId) => ({ params: { fileId } })) },
  "GET /compliance/competencies/:competencyId/learning": {
    shared: "competency",
    answeredWith: 200,
    cases: (b) => b.competencies.map((competencyId) => ({ params: { competencyId } })),
    // B's progress toward each certification that gives it ("1 of 1 components completed").
    alsoHidden: [/components completed/],
  },
  "GET /player/attempts/:attemptId": { theirs: "attempt", refusedWith: 404, says: "That attempt was not found", cases: attemptCases },
  "POST /learning/enrolments/:enrolmentId/cancel": { theirs: "enrolment", refusedWith: 404, says: "That enrolment was not found", cases: (b) => b.enrolments.map((enrolmentId) => ({ params: { enrolmentId } })) },
  "GET /learning/subscriptions/:subscriptionId/certificate": { theirs: "subscription", refusedWith: 404, says: "That certification was not found", cases: (b) => b.subscriptions.map((subscriptionId) => ({ params: { subscriptionId } })) },
  "GET /learning/attempts/:attemptId/certificate": { theirs: "attempt", refusedWith: 404, says: "That course attempt was not found", cases: attemptCases },
  // A certificate's code is public by design (whoever B hands it to sees B's name); its row id is not a code.
  "GET /verify/:code": { theirs: "certificate", refusedWith: 404, says: "Not a certificate issued here", cases: (b) => b.certificates.map((code) => ({ params: { code } })) },
};

/** Every route a learner may use whose address holds an id. */
const LEARNER_ID_ROUTES = Object.entries(ACCESS)
  .filter(([route, needed]) => (needed === "anyone" || needed === "learner") && /:[A-Za-z]+/.test(route))
  .map(([route]) => route);

/** The learner id-routes whose id names B's own object, of the kinds `which` picks. */
const refusedRoutes = (which: (fixture: Refused) => boolean) =>
  LEARNER_ID_ROUTES.filter((route) => {
    const fixture = FIXTURES[route];
    return fixture !== undefined && "theirs" in fixture && which(fixture);
  });

const fill = (route: string, params: Case["params"]) =>
  route.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${route}: its fixture gives no ${name}`);
    return encodeURIComponent(String(params[name]));
  });

/** The columns by which a row points at a person or at one of their own objects. */
const OWNER_COLUMNS = ["person_id", "attempt_id", "subscription_id", "enrolment_id", "competence_record_id", "assignment_id"];

/** Each table's owner columns, read once: the schema stays as migrated while the file runs (reading it twice a request was slow on PostgreSQL). */
let ownerColumnsRead: Promise<Record<string, string[]>> | undefined;
function ownerColumns(t: TestApp): Promise<Record<string, string[]>> {
  ownerColumnsRead ??= (async () => {
    const tables = Object.keys(await tableCounts(t.db));
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, Object.keys(await t.db(table).columnInfo()).filter((column) => OWNER_COLUMNS.includes(column))] as const)));
  })();
  return ownerColumnsRead;
}

/** Every row of the person's: theirs and those of any table pointing at them or at their attempts, subscriptions, enrolments, records or assignments; mail to them; their evidence files' bytes. */
async function everythingOf(t: TestApp, person: Person): Promise<Record<string, unknown>> {
  const idsIn = async (table: string) => (await t.db(table).where({ person_id: person.personId }).pluck("id")).map(Number);
  const owners: Record<string, number[]> = {
    person_id: [person.personId],
    attempt_id: await idsIn("attempts"),
    subscription_id: await idsIn("subscriptions"),
    enrolment_id: await idsIn("enrolments"),
    competence_record_id: await idsIn("competence_records"),
    assignment_id: await idsIn("assignments"),
  };
  const rows: Record<string, string[]> = {};
  for (const [table, columns] of Object.entries(await ownerColumns(t))) {
    const query =
      table === "people" ? t.db(table).where({ id: person.personId })
      : table === "mail_outbox" ? t.db(table).where({ to_address: person.email })
      : columns.length ? t.db(table).where((where) => { for (const column of columns) where.orWhereIn(column, owners[column]!); })
      : undefined;
    if (query) rows[table] = (await query).map((row) => JSON.stringify(row)).sort();
  }
  const evidence = path.join(t.config.dataDir, "evidence");
  const files = await t.db("evidence_files").whereIn("competence_record_id", owners.competence_record_id!).pluck("stored_name");
  const bytes = files.map((name: string) => [name, fs.existsSync(path.join(evidence, name)) ? crypto.createHash("sha256").update(fs.readFileSync(path.join(evidence, name))).digest("hex") : "missing"]);
  return { ...rows, evidenceBytes: bytes };
}

/** What an answer says, whatever it is: a page, JSON, a file's bytes, a PDF's text as a reader sees it. */
async function answerText(bytes: Buffer): Promise<string> {
  const text = bytes.toString("utf8");
  return text.startsWith("%PDF") ? `${text} ${(await pdfPages(bytes).catch(() => [])).join(" ")}` : text;
}

/** Which of these the text holds (words in any case). */
const shownOf = (text: string, secrets: Array<string | RegExp>) =>
  secrets.filter((secret) => (typeof secret === "string" ? text.toLowerCase().includes(secret.toLowerCase()) : secret.test(text))).map(String);

describe("learners' ids in other learners' hands", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let b: Theirs;
  let authorB: Theirs;

  /** Each learner logs in (the login limit, 30 an address in 15 minutes, counts every one of this file's). */
  const newLearner = async (role: "learner" | "author" | "admin" = "learner"): Promise<Asking> => {
    const person = await buildLearner(t.db, t.clock, { role });
    return { personId: person.personId, ...(await signedIn(t.app, person)) };
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const courseIds = await importCourses(t, [FIRE, PRACTICAL]);
    const sequencedVersion = await importCourseVersion(t, VALID_PACKAGES["scorm2004-3rd-sequencing"]!.files, SEQUENCED);
    courseIds[SEQUENCED] = Number((await t.db("course_versions").where({ id: sequencedVersion }).first("course_id")).course_id);
    const fire = await buildCertification(t.db, { name: "297 Core Skills - Other Learners Fire Safety - 1 Year", competency: "NHS|CSTF|Other Learners Fire Safety - 1 Year|", components: [{ courseCode: FIRE, requires: "pass" }] });
    const handling = await buildCertification(t.db, { name: "297 Core Skills - Other Learners Moving and Handling", competency: "NHS|CSTF|Other Learners Moving and Handling|", components: [{ courseCode: PRACTICAL }, { courseCode: SEQUENCED }] });
    const [infection] = await t.db("competencies").insert({ name: "NHS|CSTF|Other Learners Infection Control|" }).returning("id");

    // L&D's classroom class, needing approval: B's request on it awaits L&D.
    const lnd = await newLearner("admin");
    const added = await lnd.agent.post("/admin/classes").type("form").send({ _csrf: lnd.csrf, courseId: String(courseIds[PRACTICAL]), title: "Practical Session", date: "2026-03-10", startTime: "09:30", endTime: "12:30", venue: "Training Room 2", capacity: "4", requiresApproval: "yes" }).expect(303);
    const classId = Number(/\/admin\/classes\/(\d+)/.exec(String(added.headers.location))![1]);

    // Learner B, through the learner's own pages and the player's runtime calls.
    const email = "bartholomew.quenby@example.org";
    const person = { ...(await buildLearner(t.db, t.clock, { name: "Quenby, Bartholomew", employeeNumber: "10029701", email })), email };
    const { agent, csrf } = await signedIn(t.app, person);
    const form = { _csrf: csrf };
    const play = async (courseId: number) => Number(/\/player\/attempts\/(\d+)/.exec(String((await agent.post(`/learning/courses/${courseId}/play`).type("form").send(form).expect(303)).headers.location))![1]);

    // Fire Safety: completed, by passing its course; both certificates downloaded, so both issued.
    const fireUrl = `/learning/certifications/${fire.certificationId}`;
    await agent.post(`${fireUrl}/subscribe`).type("form").send(form).expect(303);
    await agent.post(`${fireUrl}/components/${fire.componentIds[FIRE]}/enrol`).type("form").send(form).expect(303);
    clock.set("2026-03-01T10:00:00.000Z");
    const passed = await play(courseIds[FIRE]!);
    await agent.post(`/runtime/attempts/${passed}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "passed", score: { raw: "90" } }, suspend_data: "quenby-fire-bookmark" } }).expect(200);
    const completed = Number((await t.db("subscriptions").where({ person_id: person.personId, certification_id: fire.certificationId, status: "Completed" }).first("id")).id);
    await agent.get(`/learning/subscriptions/${completed}/certificate`).buffer(true).parse(binaryBody).expect(200);
    await agent.get(`/learning/attempts/${passed}/certificate`).buffer(true).parse(binaryBody).expect(200);

    // Moving and Handling: in progress, a classroom request awaiting approval, an e-learning place, an attempt suspended.
    const handlingUrl = `/learning/certifications/${handling.certificationId}`;
    await agent.post(`${handlingUrl}/subscribe`).type("form").send(form).expect(303);
    await agent.post(`${handlingUrl}/components/${handling.componentIds[PRACTICAL]}/enrol`).type("form").send({ ...form, classId: String(classId) }).expect(303);
    await agent.post(`${handlingUrl}/components/${handling.componentIds[SEQUENCED]}/enrol`).type("form").send(form).expect(303);
    const suspended = await play(courseIds[SEQUENCED]!);
    await agent.get(`/runtime/attempts/${suspended}/scos/A/state`).set("X-CSRF-Token", csrf).expect(200);
    await agent.post(`/runtime/attempts/${suspended}/scos/A/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { location: "quenby-page-7", suspend_data: "quenby-handling-bookmark", exit: "suspend", completion_status: "incomplete", session_time: "PT5M" } }).expect(200);
    await agent.post(`/runtime/attempts/${suspended}/sequencing-state`).set("X-CSRF-Token", csrf).send({ sequencingState: JSON.stringify({ version: "1.0", sequencing: { suspendedActivity: "A", activityStates: {} } }) }).expect(200);

    // A competence held from elsewhere, awaiting approval, with its evidence file.
    await agent.post("/compliance/records").field("_csrf", csrf).field("competencyId", String(infection.id)).field("achievedOn", "2026-01-15").field("evidence", "Infection control at Leeds, certificate 4411 for Quenby").attach("file", PDF, "quenby-infection-control.pdf").expect(303);

    const mine = async (table: string) => (await t.db(table).where({ person_id: person.personId }).orderBy("id").pluck("id")).map(Number);
    const records = await mine("competence_records");
    b = {
      person,
      attempts: [
        { id: passed, scoId: "I1", cmi: { core: { lesson_status: "failed" } } },
        { id: suspended, scoId: "A", cmi: { completion_status: "completed", success_status: "passed" } },
      ],
      subscriptions: await mine("subscriptions"),
      certifications: [fire.certificationId, handling.certificationId],
      components: [
        { certificationId: handling.certificationId, componentId: handling.componentIds[PRACTICAL]!, form: { classId: String(classId) } },
        { certificationId: handling.certificationId, componentId: handling.componentIds[SEQUENCED]! },
      ],
      enrolments: await mine("enrolments"),
      evidenceFiles: (await t.db("evidence_files").whereIn("competence_record_id", records).pluck("id")).map(Number),
      certificates: await mine("certificates"),
      competencies: [fire.competencyId, handling.competencyId],
      courses: [courseIds[FIRE]!, courseIds[SEQUENCED]!],
      hidden: ["Quenby", "Bartholomew", person.username, person.email, "10029701", "quenby-infection-control.pdf", "Infection control at Leeds", "quenby-page-7", "quenby-handling-bookmark", "quenby-fire-bookmark"],
      coursesNamed: [FIRE, PRACTICAL, SEQUENCED, "297 Test 1.2 Single", "297 Test 2004 3rd Sequenced"],
    };
    // What each route's id names is there to be refused: so a refusal is never for want of it.
    expect(await t.db("enrolments").whereIn("id", b.enrolments).orderBy("id").pluck("status")).toEqual(["Enrolled", "Requested", "Enrolled"]);
    expect(await t.db("subscriptions").whereIn("id", b.subscriptions).orderBy("id").pluck("status")).toEqual(["Completed", "Subscribed"]);
    expect(await t.db("competence_records").whereIn("id", records).orderBy("id").pluck("status")).toEqual(["approved", "awaiting_approval"]);
    expect([b.evidenceFiles.length, b.certificates.length]).toEqual([1, 2]);
    await agent.get(`/compliance/evidence-files/${b.evidenceFiles[0]}`).buffer(true).parse(binaryBody).expect(200);

    // Author B's preview attempt, suspended, as the player keeps it.
    const authorEmail = "chidinma.oyelaran@example.org";
    const author = { ...(await buildLearner(t.db, t.clock, { role: "author", name: "Oyelaran, Chidinma", email: authorEmail })), email: authorEmail };
    const authorAgent = await signedIn(t.app, author);
    const previewed = await authorAgent.agent.post(`/author/courses/${courseIds[SEQUENCED]}/versions/1/preview`).type("form").send({ _csrf: authorAgent.csrf }).expect(303);
    const preview = Number(/\/player\/attempts\/(\d+)/.exec(String(previewed.headers.location))![1]);
    await authorAgent.agent.get(`/runtime/attempts/${preview}/scos/A/state`).set("X-CSRF-Token", authorAgent.csrf).expect(200);
    await authorAgent.agent.post(`/runtime/attempts/${preview}/scos/A/commit`).set("X-CSRF-Token", authorAgent.csrf).send({ commitSequence: 1, cmi: { suspend_data: "oyelaran-preview-bookmark", exit: "suspend" } }).expect(200);
    expect((await t.db("attempts").where({ id: preview }).first("preview")).preview).toBeTruthy();
    authorB = {
      ...b,
      person: author,
      attempts: [{ id: preview, scoId: "A", cmi: { completion_status: "completed" } }],
      hidden: ["Oyelaran", "Chidinma", author.username, author.email, "oyelaran-preview-bookmark"],
      coursesNamed: [SEQUENCED, "297 Test 2004 3rd Sequenced"],
    };
    // B's class is still to come: cancelling B's request would be allowed, were it A's to cancel.
    clock.set("2026-03-02T09:00:00.000Z");
  }, 60_000);
  afterAll(() => t.cleanup());

  /** A's request of each case, then: the answer, nothing of B's in it, nothing of B's changed. */
  async function probe(route: string, fixture: Refused | Shared, a: Asking, them: Theirs) {
    const [method, routePath] = route.split(" ") as [string, string];
    const cases = fixture.cases(them);
    expect(cases.length, `${route}: B holds nothing for it`).toBeGreaterThan(0);
    for (const c of cases) {
      const url = fill(routePath, c.params);
      const before = await everythingOf(t, them.person);
      const sent =
        method === "GET" ? a.agent.get(url).set("X-CSRF-Token", a.csrf)
        : url.startsWith("/runtime/") ? a.agent.post(url).set("X-CSRF-Token", a.csrf).send(c.json ?? {})
        : a.agent.post(url).type("form").send({ _csrf: a.csrf, ...c.form });
      const response = await sent.buffer(true).parse(binaryBody);
      const text = await answerText(response.body as Buffer);
      if ("theirs" in fixture) {
        expect(response.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(fixture.refusedWith);
        expect(text, `${method} ${url}`).toContain(fixture.says);
        expect(shownOf(text, [...them.hidden, ...them.coursesNamed]), `${method} ${url} shows B's`).toEqual([]);
      } else {
        expect(response.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(fixture.answeredWith);
        // The course's and certification's names are everyone's here; B's name, words and objects are not.
        const theirLinks = [...them.attempts.map(({ id }) => new RegExp(`attempts/${id}(?!\\d)`)), ...[...them.subscriptions, ...them.enrolments].map((id) => new RegExp(`(subscriptions|enrolments)/${id}(?!\\d)`))];
        expect(shownOf(text, [...them.hidden, ...theirLinks, ...(fixture.alsoHidden ?? [])]), `${method} ${url} shows B's`).toEqual([]);
        await fixture.then?.(response, text, a, t);
      }
      expect(await everythingOf(t, them.person), `${method} ${url} changed B's`).toEqual(before);
    }
  }

  it("has a fixture for every route a learner may use with an id, and none for a route that is not one", () => {
    const missing = LEARNER_ID_ROUTES.filter((route) => !(route in FIXTURES));
    expect(missing, `A learner may use these routes with an id, and FIXTURES (test/security/other-learners-ids.test.ts) does not say how to build another learner's object for them: add one each.`).toEqual([]);
    expect(Object.keys(FIXTURES).filter((route) => !LEARNER_ID_ROUTES.includes(route))).toEqual([]);
  });

  describe("learner A against learner B's ids", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner();
    });

    it.each(LEARNER_ID_ROUTES)("%s", async (route) => {
      const fixture = FIXTURES[route];
      if (!fixture) throw new Error(`${route}: no fixture in FIXTURES says how to build learner B's object for it`);
      // A catalogue route answers about A's own learning: a learner holding nothing each time, so
      // that the answer is known (Subscribe elsewhere in this file would otherwise change it).
      await probe(route, fixture, "shared" in fixture ? await newLearner() : a, b);
    });
  });

  // L&D act on a learner's objects from the person's page (/admin/...); the learner's own pages
  // compare the owner with whoever asks, whatever their role.
  describe("an L&D administrator against learner B's ids, on the learner's own pages", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner("admin");
    });

    it.each(refusedRoutes(() => true))("%s", async (route) => {
      await probe(route, FIXTURES[route]!, a, b);
    });
  });

  describe("author A against author B's preview attempt", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner("author");
    });

    it.each(refusedRoutes((fixture) => fixture.theirs === "attempt"))("%s", async (route) => {
      await probe(route, FIXTURES[route]!, a, authorB);
    });
  });
});
