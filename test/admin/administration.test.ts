import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";
import type { MailDelivery } from "../../server/mail/delivery.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/** Administration through the real app: accounts, the outbox, the audit trail. */
describe("administration", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: Awaited<ReturnType<typeof logInAgent>>;
  let adminCsrf: string;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    const person = await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" });
    admin = await logInAgent(t.app, person.username, person.password);
    adminCsrf = csrfFrom((await admin.get("/admin/accounts").expect(200)).text);
  });
  afterAll(() => t.cleanup());

  const accountIdOf = async (username: string) => Number((await t.db("accounts").where({ username }).first("id")).id);

  it("finds an account and starts a password reset the person completes themselves, read from the outbox page", async () => {
    const learner = await buildLearner(t.db, t.clock, { name: "Held, Hana", email: "hana.held@example.org" });
    const found = (await admin.get(`/admin/accounts?q=held`).expect(200)).text;
    expect(found).toContain(`>${learner.username}</a>`);
    const id = await accountIdOf(learner.username);
    const response = await admin.get(`/admin/accounts/${id}`).expect(200);
    expect(response.headers["cache-control"]).toBe("no-store"); // Back after Logout shows nothing
    const page = response.text;
    expect(page).toContain("Send password reset link");
    expect(page).not.toMatch(/type="password"/); // an administrator never chooses someone's password

    await admin.post(`/admin/accounts/${id}/reset`).type("form").send({ _csrf: adminCsrf }).expect(303).expect("Location", `/admin/accounts/${id}?done=reset`);
    await (t.app.locals.mail as MailDelivery).deliverDue();
    const outbox = (await admin.get("/admin/outbox").expect(200)).text;
    const messageLink = /href="(\/admin\/outbox\/\d+)">297 Reset your password<\/a>/.exec(outbox);
    expect(messageLink).not.toBeNull();
    expect(outbox).toContain("hana.held@example.org");
    const message = (await admin.get(messageLink![1]!).expect(200)).text;
    expect(message).toContain("(Learning and Development, on your behalf)");
    const link = /http:\/\/localhost:\d+(\/account\/reset\?token=[A-Za-z0-9_-]+)/.exec(message)![1]!;

    const person = request.agent(t.app);
    const form = (await person.get(link.replace(/&amp;/g, "&")).expect(200)).text;
    await person.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token: new URL(link, "http://x").searchParams.get("token"), password: "amber lantern meadow", confirm: "amber lantern meadow" }).expect(303);
    await logInAgent(t.app, learner.username, "amber lantern meadow");
    const adminAccount = await accountIdOf((await t.db("accounts").where({ role: "admin" }).first("username")).username);
    expect(await listAudit(t.db, { personId: learner.personId, kind: "account.reset_requested" })).toEqual([expect.objectContaining({ actorAccountId: adminAccount })]);
  });

  it("changes a role, audited with who and from what; refuses an unknown role and taking away one's own", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const id = await accountIdOf(learner.username);
    const theirs = await logInAgent(t.app, learner.username, learner.password);
    await admin.post(`/admin/accounts/${id}/role`).type("form").send({ _csrf: adminCsrf, role: "author" }).expect(303);
    await theirs.get("/").expect(302); // the session that carried the old role has ended
    await (await logInAgent(t.app, learner.username, learner.password)).get("/author/courses").expect(200);
    expect((await t.db("accounts").where({ id }).first("role")).role).toBe("author");
    expect(await listAudit(t.db, { personId: learner.personId, kind: "account.role_changed" })).toEqual([expect.objectContaining({ detail: expect.objectContaining({ from: "learner", to: "author" }) })]);
    expectErrorPattern((await admin.post(`/admin/accounts/${id}/role`).type("form").send({ _csrf: adminCsrf, role: "superuser" }).expect(400)).text, [{ field: "role", message: "Choose one of the roles" }]);
    const own = await accountIdOf((await t.db("accounts").join("people", "people.id", "accounts.person_id").where("people.last_name", "Okafor").first("accounts.username")).username);
    expectErrorPattern((await admin.post(`/admin/accounts/${own}/role`).type("form").send({ _csrf: adminCsrf, role: "learner" }).expect(400)).text, [{ field: "role", message: "You cannot take away your own administrator role" }]);
  });

  it("shows the audit trail: log in, failure and a guessing source slowed, each with time, account and IP address", async () => {
    const learner = await buildLearner(t.db, t.clock);
    for (let n = 0; n < 5; n++) {
      const agent = request.agent(t.app);
      const csrf = csrfFrom((await agent.get("/login")).text);
      await agent.post("/login").type("form").send({ _csrf: csrf, username: learner.username, password: "wrong wrong wrong" }).expect(401);
    }
    const audit = (await admin.get("/admin/audit?kind=login.source_delayed").expect(200)).text;
    expect(audit).toMatch(/data-kind="login.source_delayed">\s*<td[^>]*><span[^>]*>When <\/span><span class="app-nowrap">01-Mar-2026 09:00<\/span><\/td>/);
    expect(audit).toContain("Log ins from this address must wait until 01-Mar-2026");
    expect(audit).toMatch(/data-field="from"><span[^>]*>From <\/span><span>127\.0\.0\.1<\/span>/);
    const all = (await admin.get("/admin/audit").expect(200)).text;
    for (const kind of ["login", "login.failed", "login.source_delayed", "account.role_changed", "account.reset"]) expect(all).toContain(`data-kind="${kind}"`);
  });

  it("escapes names: markup in a person's name is shown, never run", async () => {
    const hostile = await buildLearner(t.db, t.clock, { name: `<script>alert(1)</script>, "><img src=x onerror=alert(2)>` });
    const page = (await admin.get(`/admin/accounts/${await accountIdOf(hostile.username)}`).expect(200)).text;
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const own = await logInAgent(t.app, hostile.username, hostile.password);
    const compliance = (await own.get("/compliance").expect(200)).text;
    expect(compliance).not.toContain("<img src=x");
  });
});

describe("the outbox when an SMTP server is set", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens there: the message stays queued, which is when the page could leak its link.
    t = await createTestApp({ env: { SMTP_URL: "smtp://127.0.0.1:9" } });
  });
  afterAll(() => t.cleanup());

  it("shows each message without its link's secret: only the recipient's copy works", async () => {
    const person = await buildLearner(t.db, t.clock, { role: "admin" });
    const admin = await logInAgent(t.app, person.username, person.password);
    const [row] = await t.db("mail_outbox").insert({ to_address: "someone@example.org", subject: "297 Reset your password", text_body: "http://localhost:3000/account/reset?token=SECRETsecretSECRETsecret123", status: "queued", send_attempts: 0, created_at: "2026-03-01T09:00:00.000Z" }).returning("id");
    const page = (await admin.get(`/admin/outbox/${row.id}`).expect(200)).text;
    expect(page).not.toContain("SECRETsecretSECRETsecret123");
    expect(page).toContain("token=(removed: only the recipient&#39;s copy works)");
  });
});
