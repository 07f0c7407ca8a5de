import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { linkContacts } from "../../server/web/help.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

/** Issue 9's page frame: Logged In As, Portal, Help, Logout in the header; Need Help? from configuration. */
describe("the page frame", () => {
  let plain: TestApp;
  let configured: TestApp;
  beforeAll(async () => {
    plain = await createTestApp();
    configured = await createTestApp({
      env: {
        HELP_URL: "https://intranet.example.org/lms-help",
        NEED_HELP: "Support with access to ESR: email Workforce Information, workforce.information@example.org|Support with your eLearning: call Learning and Development on 0191 445 2690|<b>not bold</b>",
      },
    });
  });
  afterAll(async () => {
    await plain.cleanup();
    await configured.cleanup();
  });

  it("shows Logged In As, Portal, Help and Logout, and the default Need Help? footer", async () => {
    const learner = await buildLearner(plain.db, plain.clock);
    const agent = await logInAgent(plain.app, learner.username, learner.password);
    const page = (await agent.get("/").expect(200)).text;
    expect(page).toContain(`Logged In As <strong>${learner.username}</strong>`);
    // The portal is in the Portal section: the header marks it, in bold as well for forced colours.
    expect(page).toMatch(/<li class="nhsuk-header__navigation-item nhsuk-header__navigation-item--current"><a class="nhsuk-header__navigation-link" href="\/" aria-current="true"><strong class="nhsuk-header__navigation-item-current-fallback">Portal<\/strong><\/a><\/li>\s*<li class="nhsuk-header__navigation-item"><a class="nhsuk-header__navigation-link" href="\/help">Help<\/a>/);
    expect(page.match(/aria-current="true"/g)).toHaveLength(1);
    expect(page).toContain(">Logout</button>");
    expect(page).toContain("Need Help?");
    expect(page).toContain("Support with logging in: ask your line manager or your Workforce team.");
    expect(page).toContain("Support with completing your e-learning: contact Learning and Development.");
    // Staff read the footer on every page: in their words, not the developers' ("the LMS", "runtime").
    const learnerPages = [page, (await agent.get("/help").expect(200)).text, (await agent.get("/compliance").expect(200)).text, (await agent.get("/learning/current").expect(200)).text, (await request(plain.app).get("/login").expect(200)).text];
    for (const html of learnerPages) {
      const words = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<!--[\s\S]*?-->/g, " ").replace(/<[^>]+>/g, " ");
      expect(words).not.toMatch(/\bLMS\b|runtime|open-source/i);
    }
    // Help is there before logging in too: a learner who cannot log in needs it most.
    expect((await request(plain.app).get("/login").expect(200)).text).toContain(' href="/help">Help</a>');
  });

  it("keeps the logged-in header on an error page, its Logout working, and says the problem once", async () => {
    const learner = await buildLearner(plain.db, plain.clock);
    const agent = await logInAgent(plain.app, learner.username, learner.password);
    const refused = (await agent.get(`/learning/search?q=${"x".repeat(201)}`).expect(400)).text;
    expect(refused).toContain(`Logged In As <strong>${learner.username}</strong>`);
    // Said once in the summary and once beside its field (the NHS error pattern), nowhere else.
    expectErrorPattern(refused, [{ field: "advanced-words", message: "Search Course: at most 200 characters" }]);
    expect(refused.match(/at most 200 characters/g)).toHaveLength(2);
    const missing = (await agent.get("/learning/certifications/999999").expect(404)).text;
    expect(missing).toContain(`Logged In As <strong>${learner.username}</strong>`);
    // Titled and headed in the NHS design system's words, not a status number; the message kept.
    expect(missing).toMatch(/<title>Page not found - [^<]+<\/title>/);
    expect(missing).toContain("<h1>Page not found</h1>\n<p>That certification");
    expect(missing).not.toMatch(/Error 404/);
    // The error page's Logout carries a good anti-forgery value: it logs out.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(missing)![1]!;
    await agent.post("/logout").type("form").send({ _csrf: csrf }).expect(302).expect("Location", "/login?loggedOut=1");
    await agent.get("/").expect(302);
    // Logged out, the same error page has the logged-out header.
    expect((await agent.get("/learning/certifications/999999").expect(302)).headers.location).toMatch(/\/login/);
    const loggedOut = (await request(plain.app).get("/no-such-page").expect(404)).text;
    expect(loggedOut).not.toContain("Logged In As");
    expect(loggedOut).toContain(' href="/login">Log in</a>');
  });

  it("titles each error page in the NHS design system's words, keeping its status and message", async () => {
    const learner = await buildLearner(plain.db, plain.clock);
    const agent = await logInAgent(plain.app, learner.username, learner.password);
    const page = async (path: string, status: number) => (await agent.get(path).expect(status)).text;
    const titled = (html: string) => [/<title>([^<]+) - [^<]+<\/title>/.exec(html)?.[1], /<h1>([^<]+)<\/h1>/.exec(html)?.[1]];
    const missing = await page("/no-such-page", 404);
    expect(titled(missing)).toEqual(["Page not found", "Page not found"]);
    expect(missing).toContain("The page you asked for does not exist.");
    const forbidden = await page("/admin/reports", 403);
    expect(titled(forbidden)).toEqual(["You do not have permission to see this page", "You do not have permission to see this page"]);
    // A form sent without its anti-forgery value is refused, but it is not a matter of permission.
    const expired = (await agent.post("/account/password").type("form").send({}).expect(403)).text;
    expect(titled(expired)).toEqual(["There is a problem", "There is a problem"]);
    expect(expired).toContain("The form has expired");
    for (const html of [missing, forbidden, expired]) expect(html).not.toMatch(/Error \d{3}|Not allowed/);
    const { errorHeading } = await import("../../server/web/error-handler.ts");
    expect(errorHeading(500, "internal")).toBe("Sorry, there is a problem with the service");
    expect(errorHeading(507, "storage.full")).toBe("Sorry, there is a problem with the service");
    expect(errorHeading(503, "database.unavailable")).toBe("Sorry, the service is unavailable");
  });

  it("marks the section each page is in, in the header's menu", async () => {
    const admin = await buildLearner(plain.db, plain.clock, { role: "admin" });
    const agent = await logInAgent(plain.app, admin.username, admin.password);
    const current = async (path: string) => /<a class="nhsuk-header__navigation-link" href="[^"]*" aria-current="true"><strong[^>]*>([^<]+)<\/strong>/.exec((await agent.get(path).expect(200)).text)?.[1];
    expect(await current("/admin/reports")).toBe("Administration");
    expect(await current("/learning/forums/reported")).toBe("Administration");
    expect(await current("/catalog")).toBe("Catalog");
    expect(await current("/author/courses")).toBe("Courses");
    expect(await current("/learning/current")).toBe("Portal");
    expect(await current("/compliance")).toBe("Portal");
    expect(await current("/account/password")).toBeUndefined();
  });

  it("takes Help's address and the Need Help? contacts from configuration, linking emails and phone numbers", async () => {
    const page = (await request(configured.app).get("/login").expect(200)).text;
    expect(page).toContain(' href="https://intranet.example.org/lms-help">Help</a>');
    expect(page).toContain('Support with access to ESR: email Workforce Information, <a href="mailto:workforce.information@example.org">workforce.information@example.org</a>');
    expect(page).toContain('Support with your eLearning: call Learning and Development on <a href="tel:01914452690">0191 445 2690</a>');
    expect(page).toContain("&lt;b&gt;not bold&lt;/b&gt;"); // configuration is text, never HTML
    expect(page).not.toContain("contact Learning and Development.</p>");
  });

  it("serves a Help page that walks through the journey, logged in or not", async () => {
    const help = (await request(plain.app).get("/help").expect(200)).text;
    for (const words of ["Find Learning", "Subscribe", "Choose or Enrol in class", "Apply", "Play", "Home", "Search Course", "Exact Phrase", "Advanced Search", "waiting list", "Requested Learning", "Current Learning", "Download certificate", "href=\"/verify\"", "within one month of your start", "Green", "Amber", "Red", "Blue", "Forgotten"]) expect(help).toContain(words);
  });

  it("splits a line into text and contact links", () => {
    expect(linkContacts("Email a.b@nhs.net or ring +44 191 445 2690.")).toEqual([
      { text: "Email " },
      { text: "a.b@nhs.net", href: "mailto:a.b@nhs.net" },
      { text: " or ring " },
      { text: "+44 191 445 2690", href: "tel:+441914452690" },
      { text: "." },
    ]);
    expect(linkContacts("Ask your manager")).toEqual([{ text: "Ask your manager" }]);
  });
});
