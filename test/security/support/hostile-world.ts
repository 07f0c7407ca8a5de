// The world the HTML-escaping probe (test/security/html-escaping.test.ts) looks at: every text a
// user can set that a page may show holds markup naming its field, set the way people set it:
// through the app's own forms, uploads and runtime commits, and the organisation's name through the
// catalog import (`lms import-catalog`), the only way it is set. So the rows are what real use stores.
import request from "supertest";
import type { Response } from "supertest";
import { checkCatalog, importCatalog } from "../../../server/setup/import-catalog.ts";
import type { Role } from "../../../server/web/roles.ts";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../../support/test-app.ts";
import { buildLearner } from "../../support/factories.ts";
import { buildZip } from "../../support/build-zip.ts";

export type Agent = ReturnType<typeof request.agent>;

/** Markup naming its field: an element, a break out of a double-quoted attribute, and of a single-quoted one. */
export const hostile = (tag: string) => `<script>alert("${tag}")</script>"><img src=x onerror=alert("${tag}")>'onmouseover='${tag}`;
/** The same without whitespace, for an email address (whose form allows none). */
const hostileEmail = (tag: string) => `<script>alert("${tag}")</script>"><img/src=x/onerror=alert("${tag}")>'onmouseover='${tag}@example.org`;
/** What fits a short field: every marker starts so, and the probe looks for it. */
const scriptOpen = (tag: string) => `<script>alert("${tag}")`;

/** Each field that holds markup, by the tag its markup names. */
export const FIELDS = {
  org: "organisation name (catalog import)",
  cname: "competency name (catalog form)",
  cdesc: "competency description (catalog form)",
  certname: "certification name (catalog form)",
  certlevel: "certification competence level (catalog form; becomes the credited record's level)",
  certdesc: "certification description (catalog form)",
  posname: "position name (catalog form)",
  minlevel: "position requirement's minimum level (catalog form)",
  code: "course code (package upload form)",
  ctitle: "course title: the manifest's organization <title> (package upload)",
  itemtitle: "item <title> in the manifest (package upload)",
  itemid: "item identifier in the manifest, the SCO's id (package upload)",
  href: "resource href in the manifest, the SCO's launch file (package upload)",
  lastname: "person's last name (Add a person form)",
  firstname: "person's first name (Add a person form)",
  email: "person's email address (Add a person form)",
  username: "username typed in the Add a person form (refused; the form comes back with it)",
  classtitle: "classroom class title (Add a class form)",
  venue: "classroom class venue (Add a class form)",
  cancel: "classroom class cancellation reason",
  rejectcls: "reason a class request was rejected",
  evidence: "evidence of a competence held elsewhere (learner's form)",
  evfile: "evidence file name (learner's form)",
  reject: "reason a competence record was rejected (Awaiting Approval)",
  evidence2: "evidence of a competence held elsewhere (L&D's form on Verify a learner)",
  tlevel: "level of a record in an imported records file",
  transorg: "organisation name in an imported records file",
  transat: "exportedAt of an imported records file",
  emp: "employee number in an imported records file",
  location: "cmi.location (runtime commit)",
  suspend: "cmi.suspend_data (runtime commit)",
  iid: "cmi.interactions.0.id (runtime commit)",
  idesc: "cmi.interactions.0.description (runtime commit)",
  iresp: "cmi.interactions.0.learner_response (runtime commit)",
  ipattern: "cmi.interactions.0.correct_responses.0.pattern (runtime commit)",
  comment: "cmi.comments_from_learner.0.comment (runtime commit)",
  cmtloc: "cmi.comments_from_learner.0.location (runtime commit)",
  objid: "cmi.objectives.0.id (runtime commit)",
  objdesc: "cmi.objectives.0.description (runtime commit)",
  qsearch: "Search Course words (?q=)",
  qpeople: "Verify a learner search (?q=)",
  qaccounts: "Accounts search (?q=)",
  qverify: "certificate code typed on /verify (?code=)",
  qcode: "course code of Upload a new version (?code=)",
  as: "reports' As of date (?asOf=, refused and named in the error)",
  qnext: "page to return to after logging in (/login?next=)",
  ftitle: "forum topic title (Forums and Chats: Start a topic form)",
  fbody: "forum post (Forums and Chats: Start a topic form, then replied to and reported)",
} as const;
export type Tag = keyof typeof FIELDS;

const CP_2004 =
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" ' +
  'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';
const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const LAUNCH = `${hostile("href")}.html`;
/** One SCO (a SCORM 2004 course of one item completes from its SCO's own statuses), hostile in every text its manifest has. */
const MANIFEST = `<?xml version="1.0"?><manifest identifier="hostile" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>${xml(hostile("ctitle"))}</title>
<item identifier="${xml(hostile("itemid"))}" identifierref="R"><title>${xml(hostile("itemtitle"))}</title></item></organization></organizations>
<resources><resource identifier="R" type="webcontent" adlcp:scormType="sco" href="${xml(LAUNCH)}"><file href="${xml(LAUNCH)}"/></resource></resources></manifest>`;

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const DOB = { day: "3", month: "2", year: "1990" };

export interface World {
  t: TestApp;
  agents: Record<"anonymous" | Role, Agent>;
  /** Each agent's anti-forgery token, sent as the player sends it (the runtime's reads need it). */
  tokens: Record<"anonymous" | Role, string>;
  ids: {
    organisationVpd: string;
    competency: number;
    certification: number;
    component: number;
    position: number;
    course: number;
    courseCode: string;
    learnerPerson: number;
    learnerAccount: number;
    classes: number[];
    attempt: number;
    scoId: string;
    subscription: number;
    evidenceFiles: number[];
    messages: number[];
    certificateCodes: string[];
    topic: number;
    reminderRun: number;
  };
  /** Pages the setup was answered with (an upload's report, a form shown again): looked at like the GET pages. */
  answers: Array<{ what: string; response: Response }>;
}

/** Builds the world on a fresh database, as an author, L&D (admin) and the hostile learner would. */
export async function buildHostileWorld(): Promise<World> {
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const t = await createTestApp({ clock });
  const answers: World["answers"] = [];
  const one = async (table: string, where: Record<string, unknown>) => Number((await t.db(table).where(where).orderBy("id", "desc").first("id")).id);

  // The organisation first: people added later join it, and its name is the import's.
  await importCatalog(t.db, t.clock, await checkCatalog(t.db, JSON.stringify({ organisation: { vpd: "297", name: hostile("org") } })));
  const staff = async (role: Role) => {
    const person = await buildLearner(t.db, t.clock, { role, name: `${role === "admin" ? "Okafor" : "Reyes"}, Sam` });
    const agent = await logInAgent(t.app, person.username, person.password);
    return { agent, csrf: csrfFrom((await agent.get("/account/password")).text) };
  };
  const author = await staff("author");
  const admin = await staff("admin");
  const form = (who: { agent: Agent; csrf: string }, url: string, fields: Record<string, string | string[]>) => who.agent.post(url).type("form").send({ _csrf: who.csrf, ...fields });

  // The course, uploaded as a package: its code typed in the form, the rest from its manifest.
  const zip = await buildZip({ "imsmanifest.xml": MANIFEST, [LAUNCH]: "<!doctype html><title>Lesson</title>" });
  const uploaded = await author.agent.post("/author/courses/upload").set("Accept", "text/html").field("_csrf", author.csrf).field("code", hostile("code")).attach("package", zip);
  expectStatus("package upload", uploaded, 201);
  answers.push({ what: "POST /author/courses/upload (the validation report)", response: uploaded });
  const course = await one("courses", {});
  const courseCode = String((await t.db("courses").where({ id: course }).first("code")).code);

  expectStatus("competency", await form(author, "/catalog/competencies", { name: hostile("cname"), description: hostile("cdesc") }), 303);
  const competency = await one("competencies", {});
  // The same name again is refused, and the form comes back with it in the field and the problem.
  const again = await form(author, "/catalog/competencies", { name: hostile("cname"), description: "" });
  expectStatus("competency named twice", again, 400);
  answers.push({ what: "POST /catalog/competencies (a name taken: the form again)", response: again });
  expectStatus("certification", await form(author, "/catalog/certifications", {
    name: hostile("certname"), competencyId: String(competency), competenceLevel: hostile("certlevel"), validDays: "1095", completeWithinDays: "365",
    renewable: "yes", description: hostile("certdesc"), order: ["1"], course: [courseCode], requires: ["completion"], satisfiedBy: [""],
  }), 303);
  const certification = await one("certifications", {});
  const component = await one("certification_components", { certification_id: certification });
  expectStatus("position", await form(author, "/catalog/positions", {
    name: hostile("posname"), competencyId: [String(competency)], [`need-${competency}`]: "essential", [`minLevel-${competency}`]: hostile("minlevel"), [`due-${competency}`]: "",
  }), 303);
  const position = await one("positions", {});

  // The learner, added by L&D; they choose their password through the emailed link, as everyone does.
  const person = { lastName: hostile("lastname"), firstName: hostile("firstname"), email: hostileEmail("email"), ...DOB, role: "learner", number: "30000001", position: hostile("posname") };
  const refused = await form(admin, "/admin/people", { ...person, username: hostile("username") });
  expectStatus("a username with markup", refused, 400);
  answers.push({ what: "POST /admin/people (a username with markup: the form again)", response: refused });
  const added = await form(admin, "/admin/people", person);
  expectStatus("person", added, 303);
  const learnerPerson = await one("people", { email: person.email });
  const account = await t.db("accounts").where({ person_id: learnerPerson }).first("id", "username");
  const invite = String((await t.db("mail_outbox").where({ to_address: person.email }).first("text_body")).text_body);
  const token = /token=([A-Za-z0-9_-]+)/.exec(invite)![1]!;
  const resetter = request.agent(t.app);
  const resetForm = (await resetter.get(`/account/reset?token=${token}`)).text;
  expectStatus("password chosen", await resetter.post("/account/reset").type("form").send({ _csrf: csrfFrom(resetForm), token, password: "heather otter lamplight", confirm: "heather otter lamplight" }), 303);
  const learnerAgent = await logInAgent(t.app, String(account.username), "heather otter lamplight");
  const learner = { agent: learnerAgent, csrf: csrfFrom((await learnerAgent.get("/compliance?tab=awaiting")).text) };

  // Two classroom classes: a request for the first is rejected, the second is cancelled with its booking.
  const addClass = async (requiresApproval: boolean) => {
    const fields = { courseId: String(course), title: hostile("classtitle"), date: "2026-03-10", startTime: "09:30", endTime: "12:30", venue: hostile("venue"), capacity: "5", ...(requiresApproval ? { requiresApproval: "yes" } : {}) };
    expectStatus("class", await form(admin, "/admin/classes", fields), 303);
    return one("classes", { kind: "classroom" });
  };
  const requested = await addClass(true);
  const cancelled = await addClass(false);
  const certificationPage = `/learning/certifications/${certification}`;
  const enrolIn = async (classId: number) => expectStatus(`enrol in class ${classId}`, await form(learner, `${certificationPage}/components/${component}/enrol`, { classId: String(classId) }), 303);
  expectStatus("subscribe", await form(learner, `${certificationPage}/subscribe`, {}), 303);
  await enrolIn(requested);
  const request1 = await one("enrolments", { class_id: requested });
  expectStatus("class request rejected", await form(admin, `/admin/classes/${requested}/enrolments/${request1}/reject`, { reason: hostile("rejectcls") }), 303);
  await enrolIn(cancelled);
  expectStatus("class cancelled", await form(admin, `/admin/classes/${cancelled}/cancel`, { reason: hostile("cancel") }), 303);
  await enrolIn(await one("classes", { course_id: course, kind: "elearning" }));

  // Play, and commit what a SCO may write: the attempt passes, which credits the certification
  // (learning counts when it starts after the subscription: a moment later).
  clock.set("2026-03-01T10:00:00.000Z");
  const played = await form(learner, `/learning/courses/${course}/play`, {});
  expectStatus("play", played, 303);
  const attempt = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
  const scoId = hostile("itemid");
  const cmi = {
    // Suspended, as a learner leaving mid-course: the next launch (a GET of its state) resumes this data model.
    completion_status: "completed", success_status: "passed", score: { scaled: "0.9" }, session_time: "PT5M", exit: "suspend",
    location: hostile("location"), suspend_data: hostile("suspend"),
    interactions: { 0: { id: hostile("iid"), type: "long-fill-in", description: hostile("idesc"), learner_response: hostile("iresp"), correct_responses: { 0: { pattern: hostile("ipattern") } }, result: "incorrect" } },
    comments_from_learner: { 0: { comment: hostile("comment"), location: hostile("cmtloc") } },
    objectives: { 0: { id: hostile("objid"), description: hostile("objdesc"), success_status: "passed" } },
  };
  const committed = await learner.agent.post(`/runtime/attempts/${attempt}/scos/${encodeURIComponent(scoId)}/commit`).set("X-CSRF-Token", learner.csrf).send({ commitSequence: 1, cmi });
  expectStatus("commit", committed, 200);
  if (committed.body.performanceStatus !== "Passed") throw new Error(`the commit left the attempt ${committed.body.performanceStatus}: ${committed.text}`);
  const subscription = await one("subscriptions", { person_id: learnerPerson });
  // A certificate's code is issued when it is first downloaded; /verify/:code shows what it says.
  expectStatus("certification certificate", await learner.agent.get(`/learning/subscriptions/${subscription}/certificate`), 200);
  expectStatus("course certificate", await learner.agent.get(`/learning/attempts/${attempt}/certificate`), 200);

  // Competences held elsewhere: one of the learner's is rejected with a reason; the other, and L&D's, await approval.
  const recordElsewhere = (evidence: string, achievedOn: string) =>
    learner.agent.post("/compliance/records").field("_csrf", learner.csrf).field("competencyId", String(competency)).field("achievedOn", achievedOn).field("evidence", evidence);
  expectStatus("record held elsewhere, rejected", await recordElsewhere("Fire safety at Leeds", "2026-01-10"), 303);
  expectStatus("record rejected", await form(admin, `/admin/approvals/${await one("competence_records", { source: "manual" })}/reject`, { reason: hostile("reject") }), 303);
  expectStatus("record held elsewhere", await recordElsewhere(hostile("evidence"), "2026-01-15").attach("file", PDF, `${hostile("evfile")}.pdf`), 303);
  const forLearner = await admin.agent.post(`/admin/people/${learnerPerson}/records`).field("_csrf", admin.csrf).field("competencyId", String(competency)).field("achievedOn", "2026-01-20")
    .field("evidence", hostile("evidence2")).attach("file", PDF, "certificate.pdf");
  expectStatus("record by L&D", forLearner, 303);
  const transfer = {
    format: "lms-competence-records", version: 1, exportedAt: `${scriptOpen("transat")}</script>`,
    organisation: { vpd: "999", name: hostile("transorg") },
    person: { lastName: "Smith", firstName: "Jane", employeeNumber: scriptOpen("emp"), dateOfBirth: "1990-02-03" },
    records: [{ competency: hostile("cname"), level: hostile("tlevel"), achievedOn: "2025-06-01", expiresOn: null, source: "certification" }],
  };
  const imported = await admin.agent.post(`/admin/people/${learnerPerson}/records/import`).field("_csrf", admin.csrf).attach("file", Buffer.from(JSON.stringify(transfer)), "records.json");
  expectStatus("records imported", imported, 200);
  answers.push({ what: "POST /admin/people/:personId/records/import (what was imported)", response: imported });

  // Forums and Chats: the learner asks in the certification's discussion; L&D answers (the learner
  // is emailed, with the title), and the question is reported (L&D's reported posts show it).
  const started = await form(learner, `/learning/forums/certification/${certification}/topics`, { title: hostile("ftitle"), body: hostile("fbody") });
  expectStatus("forum topic", started, 303);
  const topic = Number(String(started.headers.location).split("/").at(-1));
  expectStatus("forum reply", await form(admin, `/learning/forums/topics/${topic}/replies`, { body: "An answer" }), 303);
  const asked = Number((await t.db("forum_posts").where({ topic_id: topic }).orderBy("id").first("id")).id);
  expectStatus("forum report", await form(admin, `/learning/forums/posts/${asked}/report`, {}), 303);

  // Reminders: the learner, here since January (past the grace for new people), is emailed; the
  // run's page lists them and what their reminder named.
  await t.db("people").where({ id: learnerPerson }).update({ created_at: "2026-01-15T09:00:00.000Z" });
  const reminded = await form(admin, "/admin/reminders", {});
  expectStatus("reminders sent", reminded, 303);
  const reminderRun = Number(/\/admin\/reminders\/runs\/(\d+)/.exec(String(reminded.headers.location))?.[1]);

  return {
    t,
    agents: { anonymous: request.agent(t.app), learner: learner.agent, author: author.agent, admin: admin.agent },
    tokens: { anonymous: "", learner: learner.csrf, author: author.csrf, admin: admin.csrf },
    ids: {
      organisationVpd: "297",
      competency,
      certification,
      component,
      position,
      course,
      courseCode,
      learnerPerson,
      learnerAccount: Number(account.id),
      classes: [requested, cancelled],
      attempt,
      scoId,
      subscription,
      evidenceFiles: (await t.db("evidence_files").orderBy("id").select("id")).map((row) => Number(row.id)),
      messages: (await t.db("mail_outbox").orderBy("id").select("id")).map((row) => Number(row.id)),
      certificateCodes: (await t.db("certificates").orderBy("id").select("code")).map((row) => String(row.code)),
      topic,
      reminderRun,
    },
    answers,
  };
}

/** A setup step that went otherwise fails here, naming the step, so the probe never looks at a world half built. */
function expectStatus(step: string, response: Response, status: number): void {
  if (response.status !== status) throw new Error(`${step}: expected ${status}, got ${response.status} ${response.headers.location ?? ""} ${response.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(-700)}`);
}
