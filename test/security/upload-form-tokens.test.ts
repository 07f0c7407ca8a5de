// Issue 18, observed point 7: the anti-forgery token of a multipart form travelled in its action
// URL (/compliance/records?_csrf=...), so it stayed in the address bar, the history and proxy logs.
// Upload forms now carry it as their first field, checked once multer has read the form.
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");

type Agent = ReturnType<typeof request.agent>;

describe("upload forms keep the anti-forgery token out of the address", () => {
  let t: TestApp;
  let competencyId: number;
  let learner: { agent: Agent; csrf: string; personId: number };
  let admin: { agent: Agent; csrf: string };
  let author: { agent: Agent; csrf: string };

  const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(dir, name)).isFile()) : []);

  beforeAll(async () => {
    t = await createTestApp();
    const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Fire Safety - 2 Years|" }).returning("id");
    competencyId = Number(competency.id);
    const logIn = async (role?: "admin" | "author") => {
      const person = await buildLearner(t.db, t.clock, role ? { role } : {});
      const agent = await logInAgent(t.app, person.username, person.password);
      return { agent, csrf: csrfFrom((await agent.get("/account/password").expect(200)).text), personId: person.personId };
    };
    learner = await logIn();
    admin = await logIn("admin");
    author = await logIn("author");
  });
  afterAll(() => t.cleanup());

  it("renders every upload form with its token as the first field and none in its action", async () => {
    const pages = [
      { agent: learner.agent, url: "/compliance?tab=awaiting", forms: 1 },
      { agent: admin.agent, url: `/admin/people/${learner.personId}`, forms: 2 },
      { agent: admin.agent, url: "/admin/people/upload", forms: 1 },
      { agent: author.agent, url: "/author/courses/upload", forms: 1 },
    ];
    for (const page of pages) {
      const html = (await page.agent.get(page.url).expect(200)).text;
      const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].filter(([, attributes]) => /multipart\/form-data/.test(attributes!));
      expect(forms, page.url).toHaveLength(page.forms);
      for (const [, attributes, body] of forms) {
        expect(attributes, page.url).not.toMatch(/_csrf/);
        expect(/<(input|select|textarea)\b[^>]*>/.exec(body!)?.[0], `${page.url}: the first field`).toMatch(/type="hidden" name="_csrf"/);
      }
    }
  });

  it("accepts an evidence upload whose token is a field, and refuses one whose token is only in the query, keeping no file", async () => {
    const uploads = path.join(t.config.dataDir, "evidence");
    const before = filesUnder(uploads);
    const record = (req: request.Test) =>
      req.set("Accept", "application/json").field("competencyId", String(competencyId)).field("achievedOn", "2026-01-15").field("evidence", "Fire safety elsewhere").attach("file", PDF, "certificate.pdf");

    const refused = await record(learner.agent.post(`/compliance/records?_csrf=${encodeURIComponent(learner.csrf)}`)).expect(403);
    expect(refused.body.error).toMatchObject({ code: "csrf.invalid" });
    expect(filesUnder(uploads)).toEqual(before);
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toEqual([]);

    const wrong = await record(learner.agent.post("/compliance/records").field("_csrf", "not-the-token")).expect(403);
    expect(wrong.body.error).toMatchObject({ code: "csrf.invalid" });
    expect(filesUnder(uploads)).toEqual(before);

    await record(learner.agent.post("/compliance/records").field("_csrf", learner.csrf)).expect(303);
    expect(await t.db("competence_records").where({ person_id: learner.personId })).toHaveLength(1);
  });

  it("refuses a course package whose token is only in the query, and stores nothing", async () => {
    const packages = path.join(t.config.dataDir, "packages");
    const before = filesUnder(packages);
    await author.agent.post(`/author/courses/upload?_csrf=${encodeURIComponent(author.csrf)}`).set("Accept", "application/json").attach("package", PDF, "course.zip").expect(403);
    expect(filesUnder(packages)).toEqual(before);
  });

  it("refuses a multipart post to a route that is not an upload form unless its header carries the token", async () => {
    const other = await buildLearner(t.db, t.clock);
    const url = `/admin/people/${other.personId}/assignments`;
    const refused = await admin.agent.post(url).set("Accept", "application/json").field("_csrf", admin.csrf).field("number", "30000077").field("position", "Healthcare Assistant").expect(403);
    expect(refused.body.error).toMatchObject({ code: "csrf.invalid" });
    expect(await t.db("assignments").where({ number: "30000077" })).toEqual([]);
  });
});
