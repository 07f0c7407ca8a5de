// Learner B's objects for the other-learners probe (other-learners-ids.test.ts): what B holds,
// by id, each made through the real routes as B made it.
import { expect } from "vitest";
import { settableClock, type TestApp } from "../../support/test-app.ts";
import { buildCertification, buildLearner } from "../../support/factories.ts";
import { importCourses, importCourseVersion } from "../../support/attempts.ts";
import { VALID_PACKAGES } from "../../support/valid-packages.ts";
import { binaryBody } from "../../support/pdf.ts";
import { signedIn, type SignedInAgent } from "../../support/role-agents.ts";

const FIRE = "297 Other Learners - Fire Safety";
const PRACTICAL = "297 Other Learners - Moving and Handling Practical";
const SEQUENCED = "297 Other Learners - Moving and Handling eLearning";
// B's evidence file, with B's name inside: a download of it by A would show it.
const PDF = Buffer.from("%PDF-1.4\n% evidence of Bartholomew Quenby\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");

export interface Person {
  personId: number;
  username: string;
  email: string;
}

/** What B holds, by id: every route's id names one of these. */
export interface Theirs {
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
  /** B's question in the discussion of B's certification (Forums and Chats), and its posts. */
  topics: number[];
  posts: number[];
  /** B's name and account, and what B wrote: no answer to A shows any of it. */
  hidden: string[];
  /** The courses B's objects are on: a refusal names none of them (a catalogue page for A may). */
  coursesNamed: string[];
}

/** Learner B's learning, made through the real routes as B made it, and author B's preview attempt. */
export async function theirLearning(t: TestApp, clock: ReturnType<typeof settableClock>, newLearner: (role: "admin") => Promise<SignedInAgent>): Promise<{ b: Theirs; authorB: Theirs }> {
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

  // A question in the discussion of Moving and Handling, which A (subscribed to nothing) may not read.
  const asked = await agent.post(`/learning/forums/certification/${handling.certificationId}/topics`).type("form").send({ ...form, title: "A question from Quenby", body: "quenby-forum-words" }).expect(303);
  const topicId = Number(String(asked.headers.location).split("/").at(-1));

  const mine = async (table: string) => (await t.db(table).where({ person_id: person.personId }).orderBy("id").pluck("id")).map(Number);
  const records = await mine("competence_records");
  const b: Theirs = {
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
    topics: [topicId],
    posts: (await t.db("forum_posts").where({ topic_id: topicId }).pluck("id")).map(Number),
    hidden: ["quenby-forum-words", "Quenby", "Bartholomew", person.username, person.email, "10029701", "quenby-infection-control.pdf", "Infection control at Leeds", "quenby-page-7", "quenby-handling-bookmark", "quenby-fire-bookmark"],
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
  const authorB: Theirs = {
    ...b,
    person: author,
    attempts: [{ id: preview, scoId: "A", cmi: { completion_status: "completed" } }],
    hidden: ["Oyelaran", "Chidinma", author.username, author.email, "oyelaran-preview-bookmark"],
    coursesNamed: [SEQUENCED, "297 Test 2004 3rd Sequenced"],
  };
  // B's class is still to come: cancelling B's request would be allowed, were it A's to cancel.
  clock.set("2026-03-02T09:00:00.000Z");
  return { b, authorB };
}
