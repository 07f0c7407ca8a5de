import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const MODULE = "297 Sharps Safety - Part 1";
const ASSESSMENT = "297 Sharps Safety - eAssessment";

/** Catalog management in the browser, through the real app: forms in, rows and learners' pages out. */
describe("catalog management", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let author: Awaited<ReturnType<typeof logInAgent>>;
  let csrf: string;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    for (const code of [MODULE, ASSESSMENT]) await t.db("courses").insert({ code, title: code, kind: "elearning", created_at: clock.now().toISOString() });
    const person = await buildLearner(t.db, t.clock, { role: "author", name: "Patel, Amir" });
    author = await logInAgent(t.app, person.username, person.password);
    csrf = csrfFrom((await author.get("/catalog").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  const idOf = async (table: string, name: string) => Number((await t.db(table).where({ name }).first("id"))?.id);
  const addCompetency = (name: string) => author.post("/catalog/competencies").type("form").send({ _csrf: csrf, name, description: "" });
  const certificationForm = (fields: Record<string, unknown>) => ({
    _csrf: csrf,
    name: "297 Core Skills - Sharps Safety - 1 Year",
    competencyId: "",
    competenceLevel: "1 - Assessed",
    validDays: "365",
    completeWithinDays: "60",
    renewable: "yes",
    description: "Safe handling of sharps.",
    order: ["1", "2", "3"],
    course: [MODULE, ASSESSMENT, ""],
    requires: ["completion", "pass", "completion"],
    satisfiedBy: ["", "", ""],
    ...fields,
  });

  it("adds a competency, a certification with components and a position requiring it; audited; listed on the catalog page", async () => {
    await addCompetency("297|LOCAL|Sharps Safety|").expect(303).expect("Location", "/catalog?done=competency");
    const competencyId = await idOf("competencies", "297|LOCAL|Sharps Safety|");
    await author.post("/catalog/certifications").type("form").send(certificationForm({ competencyId: String(competencyId), satisfiedBy: [ASSESSMENT, "", ""] })).expect(303);
    const certificationId = await idOf("certifications", "297 Core Skills - Sharps Safety - 1 Year");
    expect(await t.db("certifications").where({ id: certificationId }).first("valid_days", "complete_within_days", "competence_level", "description")).toEqual({ valid_days: 365, complete_within_days: 60, competence_level: "1 - Assessed", description: "Safe handling of sharps." });
    expect(await t.db("certification_components").where({ certification_id: certificationId }).orderBy("position").select("course_code", "requires", "satisfied_by_course_code")).toEqual([
      { course_code: MODULE, requires: "completion", satisfied_by_course_code: ASSESSMENT },
      { course_code: ASSESSMENT, requires: "pass", satisfied_by_course_code: null },
    ]);

    await author.post("/catalog/positions").type("form").send({ _csrf: csrf, name: "Phlebotomist", competencyId: [String(competencyId)], [`need-${competencyId}`]: "essential", [`minLevel-${competencyId}`]: "1 - Assessed", [`due-${competencyId}`]: "30" }).expect(303);
    const positionId = await idOf("positions", "Phlebotomist");
    expect(await t.db("competence_requirements").where({ position_id: positionId }).select("competency_id", "essential", "min_level", "due_within_days")).toEqual([{ competency_id: competencyId, essential: expect.anything(), min_level: "1 - Assessed", due_within_days: 30 }]);

    const page = (await author.get("/catalog").expect(200)).text;
    expect(page).toContain(`href="/catalog/certifications/${certificationId}">297 Core Skills - Sharps Safety - 1 Year</a>`);
    expect(page).toContain(`href="/catalog/positions/${positionId}">Phlebotomist</a>`);
    expect((await listAudit(t.db, {})).map((event) => event.kind)).toEqual(expect.arrayContaining(["catalog.competency_saved", "catalog.certification_saved", "catalog.position_saved"]));
  });

  it("shows the form again with every problem listed and what was typed kept, and stores nothing", async () => {
    const before = await t.db("certifications").count({ n: "*" }).first();
    const response = await author
      .post("/catalog/certifications")
      .type("form")
      .send(certificationForm({ name: "297 Half Typed", competencyId: "", validDays: "three years", completeWithinDays: "", course: [MODULE, MODULE, ASSESSMENT], satisfiedBy: ["", "", ASSESSMENT], requires: ["completion", "completion", "pass"] }))
      .expect(400);
    // Every problem at once, each linked to its input: a component's problem to that component's row.
    expectErrorPattern(response.text, [
      { field: "competencyId", message: "Competency: choose the competency it gives" },
      { field: "validDays", message: "Valid for (days): must be a whole number of days" },
      { field: "completeWithinDays", message: "Complete within (days): must be a whole number of days" },
      { field: "course-2", message: `Component 2: "${MODULE}" is listed twice` },
      { field: "satisfiedBy-3", message: `Component 3: satisfied by "${ASSESSMENT}" must be another component` },
    ]);
    expect(response.text).toContain('value="297 Half Typed"');
    expect(response.text).toMatch(/id="validDays"[^>]*value="three years"/);
    expect(response.text).toMatch(/<select[^>]*id="satisfiedBy-3"[\s\S]*?<option value="297 Sharps Safety - eAssessment" selected>/);
    expect(await t.db("certifications").count({ n: "*" }).first()).toEqual(before);

    const unknown = await author.post("/catalog/certifications").type("form").send(certificationForm({ competencyId: String(await idOf("competencies", "297|LOCAL|Sharps Safety|")), name: "297 Another", course: ["297 Never Imported", "", ""] })).expect(400);
    expectErrorPattern(unknown.text, [{ field: "course-1", message: `Component 1: no imported course has the code "297 Never Imported"` }]);
    // A name already taken is found after the field rules' problems, and still listed first, as the form shows it.
    const taken = await author.post("/catalog/certifications").type("form").send(certificationForm({ competencyId: String(await idOf("competencies", "297|LOCAL|Sharps Safety|")), validDays: "0", course: [MODULE, MODULE, ""] })).expect(400);
    expectErrorPattern(taken.text, [
      { field: "name", message: `Name: a certification named "297 Core Skills - Sharps Safety - 1 Year" already exists` },
      { field: "validDays", message: "Valid for (days): must be at least 1 day" },
      { field: "course-2", message: `Component 2: "${MODULE}" is listed twice` },
    ]);
    expectErrorPattern((await addCompetency("297|LOCAL|Sharps Safety|").expect(400)).text, [{ field: "name", message: `Name: a competency named "297|LOCAL|Sharps Safety|" already exists` }]);
    const empty = await author.post("/catalog/competencies").type("form").send({ _csrf: csrf, name: " ", description: "x".repeat(10001) }).expect(400);
    expectErrorPattern(empty.text, [
      { field: "name", message: "Name: must not be empty" },
      { field: "description", message: "Description: must be at most 10000 characters" },
    ]);
    await addCompetency("297|local|sharps safety|").expect(400).expect(/already exists/);
  });

  it("renames a certification in place and drops a component: a subscription keeps its certification, and is settled against the new components", async () => {
    const certificationId = await idOf("certifications", "297 Core Skills - Sharps Safety - 1 Year");
    const learner = await buildLearner(t.db, t.clock);
    const subscriptionId = await subscribe(t.db, t.clock, learner, certificationId);
    const competencyId = String((await t.db("certifications").where({ id: certificationId }).first("competency_id")).competency_id);
    // Only the module stays, and it is satisfied by nothing: the learner still has it to do.
    await author.post(`/catalog/certifications/${certificationId}`).type("form").send(certificationForm({ competencyId, name: "297 Core Skills - Sharps Safety - 1 Year (2026)", course: [MODULE, "", ""] })).expect(303);
    expect((await t.db("subscriptions").where({ id: subscriptionId }).first("certification_id")).certification_id).toBe(certificationId);
    expect((await t.db("certifications").where({ id: certificationId }).first("name")).name).toBe("297 Core Skills - Sharps Safety - 1 Year (2026)");
    expect(await t.db("certification_components").where({ certification_id: certificationId }).pluck("course_code")).toEqual([MODULE]);
    const learnerPage = (await (await logInAgent(t.app, learner.username, learner.password)).get(`/learning/certifications/${certificationId}`).expect(200)).text;
    expect(learnerPage).toContain("297 Core Skills - Sharps Safety - 1 Year (2026)");
    expect(learnerPage).not.toContain(ASSESSMENT);
  });

  it("changes a position's requirements, and its holders' compliance pages follow, Min Req included", async () => {
    const competencyId = await idOf("competencies", "297|LOCAL|Sharps Safety|");
    const learner = await buildLearner(t.db, t.clock, { assignments: [{ number: "87000001", position: "Healthcare Assistant" }] });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    expect((await agent.get("/compliance").expect(200)).text).not.toContain("Sharps Safety");
    const positionId = await idOf("positions", "Healthcare Assistant");
    await author.post(`/catalog/positions/${positionId}`).type("form").send({ _csrf: csrf, name: "Healthcare Assistant", competencyId: [String(competencyId)], [`need-${competencyId}`]: "essential", [`minLevel-${competencyId}`]: "2 - Practised" }).expect(303);
    const page = (await agent.get("/compliance").expect(200)).text;
    expect(page).toContain("Sharps Safety");
    expect(page).toContain("2 - Practised");
    expect(page).toMatch(/app-status--red/);

    await author.post(`/catalog/positions/${positionId}`).type("form").send({ _csrf: csrf, name: "Healthcare Assistant", competencyId: [String(competencyId)], [`need-${competencyId}`]: "" }).expect(303);
    expect((await agent.get("/compliance").expect(200)).text).not.toContain("Sharps Safety");

    const refused = await author.post(`/catalog/positions/${positionId}`).type("form").send({ _csrf: csrf, name: "", competencyId: [String(competencyId)], [`need-${competencyId}`]: "essential", [`minLevel-${competencyId}`]: "x".repeat(101), [`due-${competencyId}`]: "soon" }).expect(400);
    expectErrorPattern(refused.text, [
      { field: "name", message: "Name: must not be empty" },
      { field: `minLevel-${competencyId}`, message: "297|LOCAL|Sharps Safety| minimum level: must be at most 100 characters" },
      { field: `due-${competencyId}`, message: "297|LOCAL|Sharps Safety| due within (days): must be a whole number of days" },
    ]);
    expect(refused.text).toMatch(new RegExp(`id="due-${competencyId}"[^>]*value="soon"`));
  });

  it("deletes only what nothing refers to, naming what still does", async () => {
    const competencyId = await idOf("competencies", "297|LOCAL|Sharps Safety|");
    const refused = await author.post(`/catalog/competencies/${competencyId}/delete`).type("form").send({ _csrf: csrf }).expect(409);
    expect(refused.text).toContain("cannot be deleted while 1 certifications give it");
    // On the competency's own page, in the error summary, with its form as it was.
    expect(refused.text).toMatch(/<div class="nhsuk-error-summary"[\s\S]*?<li>&#34;297\|LOCAL\|Sharps Safety\|&#34; cannot be deleted while 1 certifications give it[^<]*<\/li>/);
    expect(refused.text).toContain('value="297|LOCAL|Sharps Safety|"');
    await addCompetency("297|LOCAL|Unused|").expect(303);
    const unused = await idOf("competencies", "297|LOCAL|Unused|");
    await author.post(`/catalog/competencies/${unused}/delete`).type("form").send({ _csrf: csrf }).expect(303);
    expect(await t.db("competencies").where({ id: unused }).first()).toBeUndefined();
    expect(await listAudit(t.db, { kind: "catalog.competency_deleted" })).toEqual([expect.objectContaining({ detail: { id: unused, name: "297|LOCAL|Unused|" } })]);
    await author.get("/catalog/positions/99999").expect(404);
  });

  it("is closed to learners, who change nothing", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const learnerCsrf = csrfFrom((await agent.get("/").expect(200)).text);
    await agent.get("/catalog").expect(403);
    await agent.post("/catalog/competencies").type("form").send({ _csrf: learnerCsrf, name: "297|LOCAL|Sneaky|" }).expect(403);
    expect(await t.db("competencies").where({ name: "297|LOCAL|Sneaky|" }).first()).toBeUndefined();
  });
});
