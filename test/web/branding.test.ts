import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40"><rect width="100" height="40" fill="#005eb8"/></svg>';

/** Issue 20's branding: the trust's name, logo (a file or an address) and footer line, from configuration, on every page. */
describe("the trust's branding in the page frame", () => {
  let plain: TestApp;
  let withFile: TestApp;
  let withAddress: TestApp;
  let folder: string;
  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "lms-branding-"));
    fs.writeFileSync(path.join(folder, "logo.svg"), LOGO_SVG);
    plain = await createTestApp();
    withFile = await createTestApp({
      env: { TRUST_NAME: "Gateshead Health <NHS> Foundation Trust", TRUST_LOGO: path.join(folder, "logo.svg"), TRUST_LOGO_ALT: "Gateshead Health NHS Foundation Trust", FOOTER_TEXT: "Training records are kept by Learning & Development. <b>not bold</b>" },
    });
    withAddress = await createTestApp({ env: { TRUST_LOGO: "https://cdn.example.org/brand/logo.png?v=2" } });
  });
  afterAll(async () => {
    await Promise.all([plain.cleanup(), withFile.cleanup(), withAddress.cleanup()]);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("by default, names the service and says in the footer what it is for, in words for the trust's staff", async () => {
    const login = (await request(plain.app).get("/login").expect(200)).text;
    expect(login).toContain("<title>Log in - NHS Electronic Staff Record learning</title>");
    expect(login).toContain('<a class="nhsuk-header__service-name" href="/">NHS Electronic Staff Record learning</a>');
    expect(login).toContain("Your mandatory training, your compliance and your certificates, in one place.");
    expect(login).not.toMatch(/open-source|LMS runtime/);
    expect(login).not.toContain("<img");
  });

  it("shows the configured name, logo file and footer, escaped, on logged-out, logged-in and error pages, and serves the logo itself", async () => {
    const learner = await buildLearner(withFile.db, withFile.clock);
    const agent = await logInAgent(withFile.app, learner.username, learner.password);
    const pages = [(await request(withFile.app).get("/login").expect(200)).text, (await agent.get("/").expect(200)).text, (await agent.get("/no-such-page").expect(404)).text];
    for (const page of pages) {
      expect(page).toMatch(/<title>[^<]+ - Gateshead Health &lt;NHS&gt; Foundation Trust<\/title>/);
      expect(page).toMatch(/<a class="nhsuk-header__service-logo app-header__home" href="\/">\s*<img class="app-header__logo" src="\/assets\/trust-logo" alt="Gateshead Health NHS Foundation Trust">\s*<span class="nhsuk-header__service-name">Gateshead Health &lt;NHS&gt; Foundation Trust<\/span>/);
      expect(page).toContain("Training records are kept by Learning &amp; Development. &lt;b&gt;not bold&lt;/b&gt;");
      expect(page).not.toContain("Your mandatory training, your compliance and your certificates, in one place.");
    }
    expect(pages[1]).toContain(`Logged In As <strong>${learner.username}</strong>`);
    // The player window is a page of the trust's too: its title names the trust, not the product.
    const courseVersionId = await importCourseVersion(withFile, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Branded Course");
    const attemptId = await buildAttempt({ db: withFile.db, personId: learner.personId, courseVersionId });
    const player = (await agent.get(`/player/attempts/${attemptId}`).expect(200)).text;
    expect(player).toMatch(/<title>[^<]+ - Gateshead Health &lt;NHS&gt; Foundation Trust<\/title>/);
    expect(player).not.toContain("NHS Electronic Staff Record learning");
    const logo = await request(withFile.app).get("/assets/trust-logo").buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(logo.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    expect((logo.body as Buffer).toString("utf8")).toBe(LOGO_SVG);
    // An SVG opened on its own is a document: it may run nothing and load nothing.
    expect(logo.headers["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    // A logo file on our own origin needs nothing more from the page's CSP.
    expect((await request(withFile.app).get("/login")).headers["content-security-policy"]).toMatch(/img-src 'self' data:;/);
  });

  it("shows a logo address, lets the CSP load images from that origin only, and serves no logo of its own", async () => {
    const login = await request(withAddress.app).get("/login").expect(200);
    expect(login.text).toContain('<img class="app-header__logo" src="https://cdn.example.org/brand/logo.png?v=2" alt="NHS Electronic Staff Record learning logo">');
    expect(login.headers["content-security-policy"]).toMatch(/img-src 'self' data: https:\/\/cdn\.example\.org;/);
    await request(withAddress.app).get("/assets/trust-logo").expect(404);
    await request(plain.app).get("/assets/trust-logo").expect(404);
  });
});
