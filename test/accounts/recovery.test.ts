import { afterAll, beforeAll, describe, expect, it } from "vitest";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";
import type { MailDelivery } from "../../server/mail/delivery.ts";
import { refuseInserts, stopRefusing } from "../support/refusal-trigger.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const NEW_PASSWORD = "purple kettle harbour";

/**
 * The guide's "Forgotten | Request Username/Password | Unlock Account", end to end through the
 * real app and its outbox: each link is taken from the stored email and used as a person would.
 */
describe("account recovery", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.cleanup());

  /** Waits for the work done after the answer, then delivers the outbox (kept as .eml: no SMTP_URL). */
  async function settle(): Promise<void> {
    await Promise.all([...((t.app.locals.recoveryJobs as Set<Promise<void>> | undefined) ?? [])]);
    await (t.app.locals.mail as MailDelivery).deliverDue();
  }
  const mailTo = (address: string) => t.db("mail_outbox").where({ to_address: address }).orderBy("id");
  const linkIn = (text: string, purpose: "reset" | "unlock") => {
    const match = new RegExp(`http://localhost:\\d+(/account/${purpose}\\?token=[A-Za-z0-9_-]+)`).exec(text);
    expect(match, `a ${purpose} link in:\n${text}`).not.toBeNull();
    return match![1]!;
  };
  async function forgottenForm(agent = request.agent(t.app)) {
    const page = (await agent.get("/forgotten").expect(200)).text;
    return { agent, csrf: csrfFrom(page), page };
  }
  async function askUsername(email: string, day: string, month: string, year: string) {
    const { agent, csrf } = await forgottenForm();
    const response = await agent.post("/forgotten/username").type("form").send({ _csrf: csrf, email, day, month, year });
    await settle();
    return response;
  }

  it("shows the three parts, linked from Log in with the guide's words", async () => {
    expect((await request(t.app).get("/login").expect(200)).text).toContain('<a href="/forgotten">Forgotten | Request Username/Password | Unlock Account</a>');
    const { page } = await forgottenForm();
    for (const words of ["Forgot Username", "Email", "Date of Birth", "Day", "Month", "Year", "Reset Password", "Unlock Account", "(Example : first.last@domain.com)"]) expect(page).toContain(words);
  });

  it("emails the username, with a link to reset the password, when email and date of birth match; and the link works once", async () => {
    const learner = await buildLearner(t.db, t.clock, { email: "Hana.Held@Example.org", dob: "1984-03-15" });
    const before = await logInAgent(t.app, learner.username, learner.password); // a session that the reset must end
    const answer = await askUsername("hana.held@example.org", "15", "3", "1984");
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("If the details you gave match an account, we have sent an email");

    const [mail] = await mailTo("Hana.Held@Example.org"); // the address held, as held
    expect(mail).toMatchObject({ subject: "297 ESR User Name Lookup", status: "kept" });
    expect(mail.text_body).toContain(`Your username is: ${learner.username}`);
    expect(mail.text_body).toContain("or reset your password");
    // Where to log in is the trust's own address, not the product's name (issue 20's branding).
    expect(mail.text_body).toContain(`log in at ${t.config.publicUrl}.`);
    expect(mail.text_body).not.toContain("NHS Electronic Staff Record");
    expect(fs.readFileSync(path.join(t.config.dataDir, "outbox", mail.eml_file), "utf8")).toMatch(/^Subject: 297 ESR User Name Lookup$/m);

    const link = linkIn(mail.text_body, "reset");
    const secret = new URL(link, "http://x").searchParams.get("token")!;
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(16); // at least 128 random bits
    const stored = await t.db("account_tokens").where({ account_id: (await t.db("accounts").where({ username: learner.username }).first("id")).id });
    expect(stored.map((row) => row.token_hash)).toContain(crypto.createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(secret); // only its hash is kept
    const resetPage = await request.agent(t.app).get(link).expect(200);
    expect(resetPage.text).toContain(`data-field="username">${learner.username}</strong>`);
    const agent = request.agent(t.app);
    const form = (await agent.get(link)).text;
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const weak = await agent.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token, password: "password1234", confirm: "password1234" }).expect(400);
    expectErrorPattern(weak.text, [{ field: "password", message: "That password is too common" }]);
    const both = await agent.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token, password: "short", confirm: "other" }).expect(400);
    expectErrorPattern(both.text, [
      { field: "password", message: "Password must be at least 12 characters" },
      { field: "confirm", message: "The two passwords are not the same" },
    ]);
    await agent.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).expect(303).expect("Location", "/login?reset=1");

    await before.get("/").expect(302); // logged out everywhere
    await logInAgent(t.app, learner.username, NEW_PASSWORD);
    const again = await agent.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token, password: "another long password", confirm: "another long password" }).expect(400);
    expect(again.text).toContain("This link has been used already");
    expect((await request(t.app).get(link).expect(400)).text).toContain("This link has been used already");
    expect((await listAudit(t.db, { personId: learner.personId })).map((event) => event.kind)).toEqual(expect.arrayContaining(["account.username_sent", "account.reset", "login"]));
  });

  it("answers the same, and sends nothing, for an unknown email or a wrong date of birth", async () => {
    const learner = await buildLearner(t.db, t.clock, { email: "known.person@example.org", dob: "1970-01-31" });
    const right = await askUsername("known.person@example.org", "31", "1", "1970");
    const wrongBirthday = await askUsername("known.person@example.org", "30", "1", "1970");
    const unknown = await askUsername("nobody.here@example.org", "31", "1", "1970");
    for (const response of [wrongBirthday, unknown]) {
      expect(response.status).toBe(right.status);
      expect(response.text.replace(/name="_csrf" value="[^"]+"/g, "")).toBe(right.text.replace(/name="_csrf" value="[^"]+"/g, ""));
    }
    expect(await mailTo("known.person@example.org")).toHaveLength(1);
    expect(await mailTo("nobody.here@example.org")).toHaveLength(0);
    expect(learner.username).toBeTruthy();
  });

  it("answers before it looks: the answer is the same even when queueing the email fails", async () => {
    await buildLearner(t.db, t.clock, { email: "first.answer@example.org", dob: "1981-05-06" });
    await refuseInserts(t.db, "mail_outbox", "to_address", "first.answer@example.org");
    try {
      const response = await askUsername("first.answer@example.org", "6", "5", "1981");
      expect(response.status).toBe(200);
      expect(response.text).toContain("If the details you gave match an account, we have sent an email");
    } finally {
      await stopRefusing(t.db, "mail_outbox");
    }
    expect(await mailTo("first.answer@example.org")).toHaveLength(0);
  });

  it("refuses a date that is not a date, naming the problem", async () => {
    const response = await askUsername("someone@example.org", "31", "2", "1990");
    expect(response.status).toBe(400);
    expectErrorPattern(response.text, [{ field: "dob-day", message: "Date of birth must be a real date (1990-02-31 does not exist)" }]);
  });

  it("shows every problem of each Forgotten form at once, each linked to its field, with what was typed", async () => {
    const lookup = await askUsername("not an address", "30", "2", "2026");
    expect(lookup.status).toBe(400);
    expectErrorPattern(lookup.text, [
      { field: "lookup-email", message: "Enter your email address, like first.last@domain.com" },
      { field: "dob-day", message: "Date of birth must be a real date (2026-02-30 does not exist)" },
    ]);
    expect(lookup.text).toContain('value="not an address"');
    expect(lookup.text).toMatch(/id="dob-day"[^>]*value="30"/);
    const partDate = await askUsername("someone@example.org", "", "3", "");
    expectErrorPattern(partDate.text, [{ field: "dob-day", message: "Date of birth must include a day and a year" }]);

    const { agent, csrf } = await forgottenForm();
    const unlock = await agent.post("/forgotten/unlock").type("form").send({ _csrf: csrf, username: "", email: "" }).expect(400);
    expectErrorPattern(unlock.text, [
      { field: "unlock-username", message: "Enter your username to unlock your account" },
      { field: "unlock-email", message: "Enter your email address to unlock your account" },
    ]);
    const reset = await agent.post("/forgotten/password").type("form").send({ _csrf: csrf, username: " " }).expect(400);
    expectErrorPattern(reset.text, [{ field: "reset-username", message: "Enter your username to reset your password" }]);
  });

  it("expires a link after 4 hours", async () => {
    const learner = await buildLearner(t.db, t.clock, { email: "late.reader@example.org" });
    clock.set("2026-03-02T09:00:00.000Z");
    const { agent, csrf } = await forgottenForm();
    await agent.post("/forgotten/password").type("form").send({ _csrf: csrf, username: learner.username.toLowerCase() }).expect(200);
    await settle();
    const [mail] = await mailTo("late.reader@example.org");
    expect(mail.subject).toBe("297 Reset your password");
    const link = linkIn(mail.text_body, "reset");
    clock.set("2026-03-02T12:59:59.000Z");
    await request(t.app).get(link).expect(200);
    clock.set("2026-03-02T13:00:00.000Z");
    expect((await request(t.app).get(link).expect(400)).text).toContain("This link has expired: links work for 4 hours.");
    expect((await request(t.app).get("/account/reset?token=not-a-token-at-all-really").expect(400)).text).toContain("This link is not valid");
  });

  /** A log-in attempt from a source address (the app trusts loopback's X-Forwarded-For, as behind a proxy). */
  const attemptFrom = (username: string) => async (source: string, password: string) => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get("/login")).text);
    return agent.post("/login").set("X-Forwarded-For", source).type("form").send({ _csrf: csrf, username, password });
  };

  // Issue 18, observed point 5: five wrong passwords from anywhere locked the account for 30
  // minutes, so anyone who knew a username could keep its owner out.
  it("slows only the source of 5 wrong passwords, and tells it to wait; the owner logs in from elsewhere", async () => {
    clock.set("2026-03-03T09:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock);
    const attempt = attemptFrom(learner.username);
    for (let n = 0; n < 5; n++) expect((await attempt("198.51.100.7", "not the password at all")).status).toBe(401);
    const waiting = await attempt("198.51.100.7", learner.password); // the right password, from the guessing source
    expect(waiting.status).toBe(429);
    expect(waiting.text).toContain("Too many wrong passwords for this username from your network. Wait 1 minute and try again");
    expect((await attempt("203.0.113.20", learner.password)).status).toBe(302); // the owner, at work
    expect(await listAudit(t.db, { personId: learner.personId, kind: "account.locked" })).toHaveLength(0);
    expect(await listAudit(t.db, { personId: learner.personId, kind: "login.source_delayed" })).toHaveLength(1);

    // An unknown username is delayed alike: the delay names no account.
    const nobody = attemptFrom("297NOBODY99");
    for (let n = 0; n < 5; n++) expect((await nobody("198.51.100.7", "not the password at all")).status).toBe(401);
    expect((await nobody("198.51.100.7", "anything at all")).text).toContain("Too many wrong passwords for this username");
    expect(JSON.stringify(await t.db("login_failures").select())).not.toMatch(/297NOBODY99/i); // kept hashed
  });

  it("doubles the source's wait with each further wrong password, up to LOCKOUT_MINUTES, and starts again after the right one", async () => {
    clock.set("2026-03-03T10:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock);
    const attempt = attemptFrom(learner.username);
    const source = "198.51.100.8";
    for (let n = 0; n < 5; n++) await attempt(source, "wrong wrong wrong");
    const waits: number[] = [];
    let now = Date.parse("2026-03-03T10:00:00.000Z");
    for (let n = 0; n < 7; n++) {
      const row = await t.db("login_failures").where({ source }).orderBy("last_failed_at", "desc").first("wait_until");
      const waitMs = Date.parse(row.wait_until) - now;
      waits.push(waitMs / 60_000);
      now += waitMs - 1000;
      clock.set(new Date(now).toISOString());
      expect((await attempt(source, learner.password)).status, "still waiting a second before the end").toBe(429);
      now += 2000;
      clock.set(new Date(now).toISOString());
      expect((await attempt(source, "wrong wrong wrong")).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30]);
    now += 31 * 60_000;
    clock.set(new Date(now).toISOString());
    expect((await attempt(source, learner.password)).status).toBe(302);
    expect((await attempt(source, "wrong wrong wrong")).status).toBe(401); // counting from nothing again
    expect((await attempt(source, learner.password)).status).toBe(302);
  });

  it("locks the whole account only for guessing from many sources, and the unlock link opens it", async () => {
    clock.set("2026-03-03T11:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock, { email: "locked.out@example.org" });
    const attempt = attemptFrom(learner.username);
    // 5 wrong passwords from each of 10 addresses: 50 guesses in a day, spread wide.
    for (let source = 1; source <= 10; source++) for (let n = 0; n < 5; n++) expect((await attempt(`192.0.2.${source}`, "not the password at all")).status).toBe(401);
    const refused = await attempt("203.0.113.21", learner.password); // the right password, from elsewhere, while locked
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("The username or password is not correct");
    expect(await listAudit(t.db, { personId: learner.personId, kind: "account.locked" })).toHaveLength(1);

    const { agent, csrf } = await forgottenForm();
    await agent.post("/forgotten/unlock").type("form").send({ _csrf: csrf, username: learner.username, email: "wrong@example.org" }).expect(200);
    await settle();
    expect(await mailTo("locked.out@example.org")).toHaveLength(0); // username and email must both match
    await agent.post("/forgotten/unlock").type("form").send({ _csrf: csrf, username: learner.username, email: "LOCKED.OUT@example.org" }).expect(200);
    await settle();
    const [mail] = await mailTo("locked.out@example.org");
    expect(mail.subject).toBe("297 Unlock your account");
    const link = linkIn(mail.text_body, "unlock");
    const page = await request.agent(t.app).get(link).expect(200); // opening the link changes nothing
    expect((await attempt("203.0.113.21", learner.password)).status).toBe(401);
    const unlocker = request.agent(t.app);
    const form = (await unlocker.get(link)).text;
    await unlocker.post("/account/unlock").type("form").send({ _csrf: csrfFrom(form), token: new URL(link, "http://x").searchParams.get("token") }).expect(303).expect("Location", "/login?unlocked=1");
    // Every delay on the account ends with it: even the sources that guessed may try again.
    expect((await attempt("192.0.2.1", learner.password)).status).toBe(302);
    expect(page.text).toContain("Unlock Account");
  });

  it("ends a source's wait, and the account's lock, with a password reset", async () => {
    clock.set("2026-03-03T12:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock, { email: "reset.unlocks@example.org" });
    const attempt = attemptFrom(learner.username);
    for (let source = 1; source <= 10; source++) for (let n = 0; n < 5; n++) await attempt(`192.0.2.${source + 20}`, "wrong wrong wrong");
    expect((await t.db("accounts").where({ username: learner.username }).first("locked_until")).locked_until).not.toBeNull();
    const { agent, csrf } = await forgottenForm();
    await agent.post("/forgotten/password").type("form").send({ _csrf: csrf, username: learner.username }).expect(200);
    await settle();
    const link = linkIn((await mailTo("reset.unlocks@example.org"))[0].text_body, "reset");
    const person = request.agent(t.app);
    const form = (await person.get(link)).text;
    await person.post("/account/reset").type("form").send({ _csrf: csrfFrom(form), token: new URL(link, "http://x").searchParams.get("token"), password: NEW_PASSWORD, confirm: NEW_PASSWORD }).expect(303);
    expect((await attempt("192.0.2.21", NEW_PASSWORD)).status).toBe(302);
  });

  it("counts a wrong current password on Change password toward the lockout, and ends the session at the lock", async () => {
    clock.set("2026-03-03T15:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/account/password")).text);
    for (let n = 0; n < 4; n++) await agent.post("/account/password").type("form").send({ _csrf: csrf, current: "a guess at it " + n, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).expect(400);
    await agent.get("/account/password").expect(200);
    await agent.post("/account/password").type("form").send({ _csrf: csrf, current: "a guess at it 5", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    await agent.get("/account/password").expect(302); // locked: the session has ended
    const again = request.agent(t.app);
    const loginCsrf = csrfFrom((await again.get("/login")).text);
    expect((await again.post("/login").type("form").send({ _csrf: loginCsrf, username: learner.username, password: learner.password })).status).toBe(401);
    expect(await listAudit(t.db, { personId: learner.personId, kind: "password_change.failed" })).toHaveLength(5);
  });

  it("unlocks by itself after LOCKOUT_MINUTES", async () => {
    clock.set("2026-03-04T09:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock);
    const attempt = attemptFrom(learner.username);
    for (let source = 1; source <= 10; source++) for (let n = 0; n < 5; n++) await attempt(`192.0.2.${source + 40}`, "wrong wrong wrong");
    clock.set("2026-03-04T09:29:59.000Z");
    expect((await attempt("203.0.113.22", learner.password)).status).toBe(401);
    clock.set("2026-03-04T09:30:01.000Z");
    expect((await attempt("203.0.113.22", learner.password)).status).toBe(302);
  });

  it("changes the password when logged in: the current one first, not a common one, and other sessions end", async () => {
    clock.set("2026-03-05T09:00:00.000Z");
    const learner = await buildLearner(t.db, t.clock);
    const other = await logInAgent(t.app, learner.username, learner.password);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const form = (await agent.get("/account/password").expect(200)).text;
    const csrf = csrfFrom(form);
    const change = (current: string, password: string, confirm: string) => agent.post("/account/password").type("form").send({ _csrf: csrf, current, password, confirm }).expect(400);
    expectErrorPattern((await change("not it at all", NEW_PASSWORD, NEW_PASSWORD)).text, [{ field: "current", message: "Your current password is not correct" }]);
    expectErrorPattern((await change(learner.password, "short", "short")).text, [{ field: "password", message: "Password must be at least 12 characters" }]);
    expectErrorPattern((await change(learner.password, NEW_PASSWORD, "something else")).text, [{ field: "confirm", message: "The two passwords are not the same" }]);
    // Every problem at once, each linked to its field.
    expectErrorPattern((await change("", "", "")).text, [
      { field: "current", message: "Enter your current password" },
      { field: "password", message: "Enter a new password" },
    ]);
    expectErrorPattern((await change("still not it", "short", "shorter")).text, [
      { field: "current", message: "Your current password is not correct" },
      { field: "password", message: "Password must be at least 12 characters" },
      { field: "confirm", message: "The two passwords are not the same" },
    ]);
    await agent.post("/account/password").type("form").send({ _csrf: csrf, current: learner.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).expect(303);
    await agent.get("/").expect(200); // this session stays
    await other.get("/").expect(302); // the other ends
    await logInAgent(t.app, learner.username, NEW_PASSWORD);
  });
});
