import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { listAudit } from "../../server/audit/store.ts";
import { lms } from "../support/run-cli.ts";

/** The page's sentence when no one needs a reminder, as one line of text; undefined when there is a Send. */
const nothingToSend = (page: string) => /data-report="nothing-to-send">([\s\S]*?)<\/p>/.exec(page)?.[1]?.replace(/\s+/g, " ").trim();

/** Administration's Reminders: preview who gets what, Send once however often it is pressed, and the history of what was sent. */
describe("Reminders page", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const ids: Record<string, number> = {};
  let admin: SignedInAgent;
  let adminAccountId: number;
  let veteran: Awaited<ReturnType<typeof buildLearner>>;
  let newcomer: Awaited<ReturnType<typeof buildLearner>>;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    for (const name of ["Fire Safety", "Equality"]) {
      const [row] = await t.db("competencies").insert({ name: `NHS|CSTF|${name}|` }).returning("id");
      ids[name] = Number(row.id);
    }
    veteran = await buildLearner(t.db, t.clock, { name: "Conroy, Emma", email: "emma.conroy@example.org" });
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await t.db("competence_requirements").insert(Object.values(ids).map((competencyId) => ({ position_id: position.id, competency_id: competencyId, essential: true })));
    await t.db("competence_records").insert({ person_id: veteran.personId, competency_id: ids["Fire Safety"], level: "1", achieved_on: "2025-04-15", expires_on: "2026-04-15", source: "manual", status: "approved", created_at: "2025-04-15T00:00:00Z" });
    const adminPerson = await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace", assignments: [] });
    adminAccountId = Number((await t.db("accounts").where({ username: adminPerson.username }).first("id")).id);
    clock.set("2026-03-20T09:00:00.000Z");
    // Uploaded this morning: their invitation, not a 2-item reminder, is what they get today.
    newcomer = await buildLearner(t.db, t.clock, { name: "Novak, Ana", email: "ana.novak@example.org" });
    admin = await signedIn(t.app, adminPerson);
  });
  afterAll(() => t.cleanup());

  const mailTo = (email: string) => t.db("mail_outbox").where({ to_address: email }).orderBy("id");

  it("previews each person with what their reminder lists, and holds a new person back until their grace ends", async () => {
    const page = (await admin.agent.get("/admin/reminders").expect(200)).text;
    const preview = /data-table="reminders"[\s\S]*?<\/table>/.exec(page)![0];
    expect(preview).toContain(`href="/admin/people/${veteran.personId}">Conroy, Emma</a>`);
    expect(preview).toContain("emma.conroy@example.org");
    expect(preview).toContain("<li>NHS|CSTF|Equality: not held</li>");
    expect(preview).toContain("<li>NHS|CSTF|Fire Safety: expires on 15-Apr-2026</li>");
    expect(preview).not.toContain("Novak");
    const held = /data-table="held-back"[\s\S]*?<\/table>/.exec(page)![0];
    expect(held).toMatch(new RegExp(`data-person="${newcomer.personId}"[\\s\\S]*Novak, Ana[\\s\\S]*27-Mar-2026[\\s\\S]*2 competencies`));
    expect(page).toContain("People added in the last 7 days");
    expect(page).toMatch(/<button[^>]*>Send \d+ reminders?<\/button>/);
    expect(await mailTo("emma.conroy@example.org")).toEqual([]); // a preview sends nothing
    expect(await t.db("reminder_state")).toEqual([]);
  });

  it("sends once: a double click, a second Send the same day and the command after it email no one twice; the history says who sent what", async () => {
    const before = await t.db("mail_outbox").count({ n: "*" }).first();
    // A double click: two posts at once.
    const [first, second] = await Promise.all([0, 1].map(() => admin.agent.post("/admin/reminders").type("form").send({ _csrf: admin.csrf }).expect(303)));
    expect(await mailTo("emma.conroy@example.org")).toHaveLength(1);
    expect(await mailTo("ana.novak@example.org")).toEqual([]);
    await admin.agent.post("/admin/reminders").type("form").send({ _csrf: admin.csrf }).expect(303);
    const command = await lms({ ...t.env, LMS_NOW: "2026-03-20T10:00:00Z" }, "send-reminders");
    expect(command.stdout).toBe("0 reminder(s) sent; 0 status change(s) noted; 1 new person(s) held back for their first 7 day(s)");
    expect(await mailTo("emma.conroy@example.org")).toHaveLength(1);
    const sentNow = Number((await t.db("mail_outbox").count({ n: "*" }).first())!.n) - Number(before!.n);

    const runs = [first!.headers.location, second!.headers.location].map(String);
    const pages = await Promise.all(runs.map(async (location) => (await admin.agent.get(location).expect(200)).text));
    const sending = pages.find((page) => page.includes("1 reminder has been sent."))!;
    expect(sending).toBeDefined();
    expect(pages.find((page) => page !== sending)).toContain("No reminder was sent: no one was due one. 1 new person was held back until their grace ends.");
    const message = await mailTo("emma.conroy@example.org").first();
    expect(sending).toContain(`<a href="/admin/outbox/${message.id}">The email to emma.conroy@example.org</a>`);
    expect(sending).toMatch(/Sent by<\/dt><dd class="nhsuk-summary-list__value">297GOKAFOR\d* from [\d.:a-f]+/);
    expect(sending).toContain("<li>NHS|CSTF|Equality: Red</li>");
    expect(sentNow).toBe(1);

    const history = (await admin.agent.get("/admin/reminders").expect(200)).text;
    expect([...history.matchAll(/data-run="(\d+)"/g)]).toHaveLength(4); // two clicks, the second Send, the command
    expect(history).toContain("The daily reminders (lms send-reminders)");
    expect(nothingToSend(history)).toBe("No one needs a reminder today. 1 new person is held back: their first reminder waits until 27-Mar-2026 (see New people held back). 1 person has an essential competency Amber, Red or coming due and has been told of it already.");
    const sent = await listAudit(t.db, { kind: "reminder.sent", personId: veteran.personId });
    expect(sent).toEqual([expect.objectContaining({ actorAccountId: adminAccountId, ip: expect.any(String), detail: expect.objectContaining({ asOf: "2026-03-20", messageId: message.id }) })]);
    expect((await listAudit(t.db, { kind: "reminders.run" })).filter((run) => run.actorAccountId === adminAccountId)).toHaveLength(3);
  });

  it("emails a new person after their grace, with everything still outstanding", async () => {
    clock.set("2026-03-27T09:00:00.000Z");
    const page = (await admin.agent.get("/admin/reminders").expect(200)).text;
    expect(/data-table="reminders"[\s\S]*?<\/table>/.exec(page)![0]).toContain("Novak, Ana");
    await admin.agent.post("/admin/reminders").type("form").send({ _csrf: admin.csrf }).expect(303);
    const [mail] = await mailTo("ana.novak@example.org");
    expect(mail.text_body).toContain("- NHS|CSTF|Equality: not held");
    expect(mail.text_body).toContain("- NHS|CSTF|Fire Safety: not held");
    const after = (await admin.agent.get("/admin/reminders").expect(200)).text;
    expect(nothingToSend(after)).toBe("No one needs a reminder today. 2 people have an essential competency Amber, Red or coming due and have been told of it already.");
  });

  it("refuses a Send as of a date before the last run's, saying why, and sends nothing", async () => {
    const ahead = await lms({ ...t.env, LMS_NOW: "2026-03-27T09:00:00Z" }, "send-reminders", "--as-of", "2026-04-30");
    expect(ahead, ahead.stderr).toMatchObject({ code: 0 });
    const count = Number((await t.db("mail_outbox").count({ n: "*" }).first())!.n);
    const refused = await admin.agent.post("/admin/reminders").type("form").send({ _csrf: admin.csrf }).expect(409);
    expect(refused.text).toContain('<div class="nhsuk-error-summary"');
    expect(refused.text).toContain("Reminders have been sent as of 30-Apr-2026 already");
    expect(refused.text).not.toContain(">Send ");
    expect(Number((await t.db("mail_outbox").count({ n: "*" }).first())!.n)).toBe(count);
  });

  it("is for L&D administrators only, and Send needs the page's token", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) {
      await agents[who].agent.get("/admin/reminders").expect(403);
      await agents[who].agent.post("/admin/reminders").type("form").send({ _csrf: agents[who].csrf }).expect(403);
      await agents[who].agent.get("/admin/reminders/runs/1").expect(403);
    }
    await agents.anonymous.agent.get("/admin/reminders").expect(302).expect("Location", "/login?next=%2Fadmin%2Freminders");
    await agents.anonymous.agent.post("/admin/reminders").type("form").send({ _csrf: agents.anonymous.csrf }).expect(302);
    await agents.admin.agent.post("/admin/reminders").type("form").send({ _csrf: "forged" }).expect(403);
    await agents.admin.agent.get("/admin/reminders/runs/999999").expect(404);
    await agents.admin.agent.get("/admin/reminders/runs/abc").expect(404);
    expect(csrfFrom((await agents.admin.agent.get("/admin/reminders").expect(200)).text)).toBeTruthy();
  });
});

/** With no reminder due, the page says why in words true of the day: no one due, new people held back until dates, or everyone told already. */
describe("Reminders page when no one needs a reminder", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: SignedInAgent;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await signedIn(t.app, await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace", assignments: [] }));
  });
  afterAll(() => t.cleanup());

  it("says no one has anything due, and, on a fresh trust whose people are all new, who is held back and until when, never that anyone was told", async () => {
    await buildLearner(t.db, t.clock, { name: "Conroy, Emma" });
    expect(nothingToSend((await admin.agent.get("/admin/reminders").expect(200)).text)).toBe("No one needs a reminder today. No one has an essential competency Amber, Red or coming due.");

    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety|" }).returning("id");
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: competency.id, essential: true });
    clock.set("2026-03-03T09:00:00.000Z");
    await buildLearner(t.db, t.clock, { name: "Novak, Ana" });
    await buildLearner(t.db, t.clock, { name: "Reyes, Luis" });
    const page = (await admin.agent.get("/admin/reminders").expect(200)).text;
    expect(nothingToSend(page)).toBe("No one needs a reminder today. 3 new people are held back: their first reminders wait until 08-Mar-2026 to 10-Mar-2026 (see New people held back). No one else has an essential competency Amber, Red or coming due.");
    expect(nothingToSend(page)).not.toContain("told");
  });
});
