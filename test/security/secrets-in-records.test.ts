// Issue 18, deliver 3: no secret in a log, an audit row or a URL. A learner's whole journey runs
// through the real LMS and content apps, logging at debug into memory; then the request logs of
// both origins, the audit table and every redirect's Location are searched for each secret the
// journey handled: passwords, the session cookie, anti-forgery tokens, the content token, the
// reset token. Before the fix the content origin logged /c/<token>/... and the audit kept a
// password typed into the username box.
import { Writable } from "node:stream";
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { createClock } from "../../server/clock.ts";
import { createApp } from "../../server/app.ts";
import { createContentApp } from "../../server/content/content-app.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import type { MailDelivery } from "../../server/mail/delivery.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { csrfFrom } from "../support/test-app.ts";
import path from "node:path";

const SESSION_SECRET = "journey-session-secret-".padEnd(48, "z");

describe("secrets stay out of logs, the audit trail and URLs", () => {
  let t: TestDb;
  const logLines: string[] = [];
  const locations: string[] = [];
  const secrets = new Map<string, string>();
  let lms: ReturnType<typeof createApp>;
  let content: ReturnType<typeof createContentApp>;

  beforeAll(async () => {
    t = await createTestDb();
    const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(...String(chunk).trim().split("\n")), done()) });
    const logger = pino({ level: "debug" }, sink);
    const config = loadConfig({ ...t.env, LOG_LEVEL: "debug" });
    const clock = createClock("2026-03-01T09:00:00Z");
    lms = createApp({ config, db: t.db, clock, logger, sessionSecret: SESSION_SECRET });
    content = createContentApp({ config, db: t.db, storage: createLocalStorage(path.join(config.dataDir, "packages")), contentSecret: SESSION_SECRET, logger });

    // Shaped like a username, as many passwords are: typed into the wrong box, it looks like one.
    const password = "Tidalmarshlantern7";
    const learner = await buildLearner(t.db, clock, { password });
    secrets.set("password", password);
    const versionId = await importCourseVersion({ db: t.db, clock, config }, VALID_PACKAGES["scorm12-single"]!.files, "297 Journey");
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const noteRedirect = (response: request.Response) => {
      if (response.headers.location) locations.push(response.headers.location);
      return response;
    };

    // A slip first: the password typed into the username box.
    const slip = request.agent(lms);
    const slipPage = await slip.get("/login");
    secrets.set("csrf (log in page)", csrfFrom(slipPage.text));
    noteRedirect(await slip.post("/login").type("form").send({ _csrf: csrfFrom(slipPage.text), username: password, password: "x" }));

    const agent = request.agent(lms);
    const loginPage = await agent.get("/login?next=/");
    const loggedIn = noteRedirect(await agent.post("/login").type("form").send({ _csrf: csrfFrom(loginPage.text), username: learner.username, password }));
    const cookie = String(loggedIn.headers["set-cookie"]).match(/lms\.sid=([^;]+)/)?.[1];
    expect(cookie, "the session cookie").toBeTruthy();
    secrets.set("session cookie", decodeURIComponent(cookie!));
    secrets.set("session id", decodeURIComponent(cookie!).replace(/^s:/, "").split(".")[0]!);

    // The player, then the content origin with the token it was given.
    const player = (await agent.get(`/player/attempts/${attemptId}`).expect(200)).text;
    const contentToken = /\/(?:c|launch)\/([0-9]+\.[0-9]+\.[0-9]+\.[A-Za-z0-9_-]{43})\//.exec(player)?.[1];
    expect(contentToken, "a content token on the player page").toBeTruthy();
    secrets.set("content token", contentToken!);
    const csrf = csrfFrom((await agent.get("/account/password").expect(200)).text);
    secrets.set("csrf", csrf);
    await request(content).get(`/launch/${contentToken}/I1`).expect(200);
    await request(content).get(`/c/${contentToken}/index.html`);
    await request(content).get(`/c/${contentToken}/no-such-file.html`).expect(404);
    await request(content).get(`/c/${contentToken!.slice(0, -2)}xx/index.html`).expect(403);
    // Addresses that name the token elsewhere than the first segment, or encode it: none of them
    // serves anything, and none may write the token to the log either.
    const encodedToken = [...contentToken!].map((character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`).join("");
    secrets.set("content token, percent-encoded", encodedToken);
    for (const odd of [`//c/${contentToken}/index.html`, `/C/${contentToken}/index.html`, `/./c/${contentToken}/index.html`, `/c;${contentToken}/index.html`, `/x/${contentToken}`, `/c/${encodedToken}/index.html`, `/%63/${encodedToken}/index.html`]) {
      await request(content).get(odd);
    }

    // A password change, then a reset by email, then the new password.
    const changed = "Quiet harbour compass 42";
    secrets.set("changed password", changed);
    noteRedirect(await agent.post("/account/password").type("form").send({ _csrf: csrf, current: password, password: changed, confirm: changed }));
    const forgotten = request.agent(lms);
    const forgottenCsrf = csrfFrom((await forgotten.get("/forgotten").expect(200)).text);
    await forgotten.post("/forgotten/password").type("form").send({ _csrf: forgottenCsrf, username: learner.username }).expect(200);
    await Promise.all([...((lms.locals.recoveryJobs as Set<Promise<void>> | undefined) ?? [])]);
    await (lms.locals.mail as MailDelivery).deliverDue();
    const mail = await t.db("mail_outbox").orderBy("id", "desc").first("text_body");
    const resetLink = /(\/account\/reset\?token=[A-Za-z0-9_-]+)/.exec(String(mail?.text_body))?.[1];
    expect(resetLink, "a reset link in the email").toBeTruthy();
    secrets.set("reset token", new URL(resetLink!, "http://x").searchParams.get("token")!);
    const reset = request.agent(lms);
    const resetCsrf = csrfFrom((await reset.get(resetLink!).expect(200)).text);
    const renewed = "Amber orchard ferry 913";
    secrets.set("reset password", renewed);
    noteRedirect(await reset.post("/account/reset").type("form").send({ _csrf: resetCsrf, token: secrets.get("reset token"), password: renewed, confirm: renewed }));
    const again = request.agent(lms);
    const againPage = await again.get("/login");
    noteRedirect(await again.post("/login").type("form").send({ _csrf: csrfFrom(againPage.text), username: learner.username, password: renewed }));
    noteRedirect(await again.post("/logout").type("form").send({ _csrf: csrfFrom((await again.get("/account/password")).text) }));
  });
  afterAll(() => t.cleanup());

  it("logged every request of the journey, on both origins", () => {
    const urls = logLines.map((line) => JSON.parse(line) as { req?: { url?: string } }).map((entry) => entry.req?.url).filter(Boolean);
    expect(urls).toEqual(expect.arrayContaining(["/login", "/account/password", "/account/reset", "/c/<token>/index.html", "/launch/<token>/I1"]));
  });

  it.each(["request log", "audit table", "redirect locations"] as const)("keeps every secret out of the %s", async (where) => {
    const text = where === "request log" ? logLines.join("\n") : where === "audit table" ? JSON.stringify(await t.db("audit_events").select()) : locations.join("\n");
    expect(text.length, `the ${where} holds something to search`).toBeGreaterThan(20);
    for (const [name, secret] of secrets) expect(text.includes(secret), `${name} in the ${where}`).toBe(false);
  });
});
