// Markup in any text a user can set is shown as text on every page, never run. Every such field
// (catalog, course package, people, classes, reasons, evidence, the CMI a SCO commits, and what a
// query string reflects) holds markup naming its field (support/hostile-world.ts); then every GET
// route the app mounts is visited, with the ids of those rows, as each role that may use it. A page
// must show no marker unescaped, and every field must be shown escaped somewhere: a field no page
// shows would pass trivially, so those are listed in NOT_SHOWN, each with why.
import ejs from "ejs";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleAllows, type Role } from "../../server/web/roles.ts";
import { ACCESS, mountedRoutes } from "../support/route-table.ts";
import { buildHostileWorld, FIELDS, hostile, type Tag, type World } from "./support/hostile-world.ts";

const q = (tag: Tag) => encodeURIComponent(hostile(tag));

/**
 * Where to look for each GET route with ids (or a regular expression), and for routes whose page
 * shows more with a query. A route without ids and not here is visited at its own path; one with
 * ids and not here fails the first test.
 */
const PAGES: Record<string, (w: World["ids"]) => string[]> = {
  "GET /^\\/assets\\/(player-12|player-2004|play)\\.js(\\.map)?$/": () => ["/assets/player-12.js", "/assets/player-2004.js", "/assets/play.js"],
  "GET /runtime/attempts/:attemptId/scos/:scoId/state": (ids) => [`/runtime/attempts/${ids.attempt}/scos/${encodeURIComponent(ids.scoId)}/state`],
  "GET /login": () => ["/login", `/login?next=/${q("qnext")}`],
  "GET /admin/accounts": () => ["/admin/accounts", `/admin/accounts?q=${q("qaccounts")}`],
  "GET /admin/accounts/:accountId": (ids) => [`/admin/accounts/${ids.learnerAccount}`],
  "GET /admin/outbox/:messageId": (ids) => ids.messages.map((id) => `/admin/outbox/${id}`),
  "GET /admin/audit": () => ["/admin/audit", "/admin/audit?page=1"],
  "GET /admin/reminders/runs/:runId": (ids) => [`/admin/reminders/runs/${ids.reminderRun}`, `/admin/reminders/runs/${ids.reminderRun}?done=sent`],
  "GET /admin/reports": () => ["/admin/reports", `/admin/reports?asOf=${q("as")}`],
  "GET /admin/reports/:report.csv": () => ["compliance-by-position", "compliance-by-competency", "compliance-trend", "expiring", "courses"].map((report) => `/admin/reports/${report}.csv`),
  "GET /admin/reports/people": (ids) => [`/admin/reports/people?position=${ids.position}`, `/admin/reports/people?competency=${ids.competency}&status=Red`, "/admin/reports/people?status=Red", `/admin/reports/people?asOf=${q("as")}&position=${ids.position}`],
  "GET /admin/reports/people.csv": (ids) => [`/admin/reports/people.csv?position=${ids.position}`, "/admin/reports/people.csv"],
  "GET /admin/reports/course-people": (ids) => [`/admin/reports/course-people?course=${encodeURIComponent(ids.courseCode)}`, `/admin/reports/course-people?course=${encodeURIComponent(ids.courseCode)}&asOf=${q("as")}`],
  "GET /admin/reports/course-people.csv": (ids) => [`/admin/reports/course-people.csv?course=${encodeURIComponent(ids.courseCode)}`],
  "GET /admin/people": () => ["/admin/people?q=lastname", `/admin/people?q=${q("qpeople")}`],
  "GET /admin/people/:personId": (ids) => [`/admin/people/${ids.learnerPerson}`],
  "GET /admin/attempts/:attemptId": (ids) => [`/admin/attempts/${ids.attempt}`],
  "GET /admin/evidence-files/:fileId": (ids) => ids.evidenceFiles.map((id) => `/admin/evidence-files/${id}`),
  "GET /admin/people/:personId/records/export.json": (ids) => [`/admin/people/${ids.learnerPerson}/records/export.json`],
  "GET /admin/people/:personId/edit": (ids) => [`/admin/people/${ids.learnerPerson}/edit`],
  "GET /catalog/competencies/:id": (ids) => [`/catalog/competencies/${ids.competency}`],
  "GET /catalog/certifications/:id": (ids) => [`/catalog/certifications/${ids.certification}`],
  "GET /catalog/positions/:id": (ids) => [`/catalog/positions/${ids.position}`],
  "GET /author/courses/upload": (ids) => ["/author/courses/upload", `/author/courses/upload?code=${encodeURIComponent(ids.courseCode)}`, `/author/courses/upload?code=${q("qcode")}`],
  "GET /author/courses/:id": (ids) => [`/author/courses/${ids.course}`],
  "GET /author/courses/:id/versions/:version/package.zip": (ids) => [`/author/courses/${ids.course}/versions/1/package.zip`],
  "GET /learning/current": () => ["/learning/current", "/learning/current?show=all"],
  "GET /learning/attempts/:attemptId": (ids) => [`/learning/attempts/${ids.attempt}`],
  "GET /learning/certifications/:certificationId": (ids) => [`/learning/certifications/${ids.certification}`],
  "GET /learning/certifications/:certificationId/subscribe": (ids) => [`/learning/certifications/${ids.certification}/subscribe`],
  "GET /learning/certifications/:certificationId/unsubscribe": (ids) => [`/learning/certifications/${ids.certification}/unsubscribe`],
  "GET /learning/certifications/:certificationId/components/:componentId/enrol": (ids) => [`/learning/certifications/${ids.certification}/components/${ids.component}/enrol`],
  "GET /learning/certifications/:certificationId/components/:componentId/play": (ids) => [`/learning/certifications/${ids.certification}/components/${ids.component}/play`],
  "GET /learning/search": (ids) => ["/learning/search?q=code", `/learning/search?q=${q("qsearch")}`, `/learning/search?competency=${ids.competency}&certification=${ids.certification}&organisation=${ids.organisationVpd}`],
  "GET /compliance": () => ["/compliance", "/compliance?tab=all", "/compliance?tab=awaiting", "/compliance?print=1"],
  "GET /compliance/evidence-files/:fileId": (ids) => ids.evidenceFiles.map((id) => `/compliance/evidence-files/${id}`),
  "GET /compliance/competencies/:competencyId/learning": (ids) => [`/compliance/competencies/${ids.competency}/learning`],
  "GET /player/attempts/:attemptId": (ids) => [`/player/attempts/${ids.attempt}`],
  "GET /admin/classes/new": (ids) => [`/admin/classes/new?courseId=${ids.course}`],
  "GET /admin/classes/:classId": (ids) => ids.classes.map((id) => `/admin/classes/${id}`),
  "GET /learning/subscriptions/:subscriptionId/certificate": (ids) => [`/learning/subscriptions/${ids.subscription}/certificate`],
  "GET /learning/attempts/:attemptId/certificate": (ids) => [`/learning/attempts/${ids.attempt}/certificate`],
  "GET /admin/subscriptions/:subscriptionId/certificate": (ids) => [`/admin/subscriptions/${ids.subscription}/certificate`],
  "GET /admin/attempts/:attemptId/certificate": (ids) => [`/admin/attempts/${ids.attempt}/certificate`],
  "GET /verify": () => ["/verify", `/verify?code=${q("qverify")}`],
  "GET /verify/:code": (ids) => ids.certificateCodes.map((code) => `/verify/${code}`),
  "GET /learning/forums/topics/:topicId": (ids) => [`/learning/forums/topics/${ids.topic}`, `/learning/forums/topics/${ids.topic}?done=reported`],
  "GET /learning/forums/:kind/:id": (ids) => [`/learning/forums/certification/${ids.certification}`, `/learning/forums/course/${ids.course}`],
};

/** Fields stored with their markup that no page shows, and why; checked, so the list cannot go stale. */
const NOT_SHOWN: Partial<Record<Tag, string>> = {
  suspend: "Verify a learner's attempt page shows suspend data's length only",
  comment: "no page shows a learner's comments",
  cmtloc: "no page shows a learner's comments",
  objid: "no page shows a SCO's objectives",
  objdesc: "no page shows a SCO's objectives",
};
/** Fields whose markup is taken out as they are saved: shown is their tag on a page, and no markup stored. */
const SANITISED: Partial<Record<Tag, string>> = {
  evfile: "an evidence file is kept under its name with anything but letters, digits and _ .()- made _ (safeFilename)",
};
// Fields that cannot hold markup at all, so are not listed: usernames (letters, digits, dots,
// dashes, underscores: FIELDS.username is the form refusing one), employee and assignment numbers
// (digits), VPDs (three digits), dates and times, SCO scores (real numbers) and statuses (their
// vocabularies).

/** Each marker's unescaped form, capturing the tag of the field it came from. */
const UNESCAPED = [/<script>alert\("(\w+)"\)/g, /<img[\s/]+src=x[\s/]+onerror=alert\("(\w+)"\)/g, /'onmouseover='(\w+)/g];

/** The tags of the markers left as markup on an HTML page. JSON inside <script type="application/json"> is data, unless it could end its element. */
function unescapedIn(html: string): string[] {
  const outside = html.replace(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g, (_whole, json: string) => (json.includes("<") ? json : ""));
  return UNESCAPED.flatMap((pattern) => [...outside.matchAll(pattern)].map((match) => match[1]!));
}

/** Whether the page shows the field's marker as text: escaped as the templates escape, or as JSON (an audit event's detail) escaped so. */
const shows = (html: string, tag: string) => html.includes(`&lt;script&gt;alert(&#34;${tag}&#34;)`) || html.includes(`&lt;script&gt;alert(\\&#34;${tag}\\&#34;)`);

type Who = "anonymous" | Role;
interface Visit {
  page: string;
  status: number;
  type: string;
  nosniff: boolean;
  body: string;
}

const isHtml = (visit: Visit) => visit.type.startsWith("text/html");
const visitOf = (page: string, response: Response): Visit => ({
  page,
  status: response.status,
  type: String(response.headers["content-type"] ?? ""),
  nosniff: response.headers["x-content-type-options"] === "nosniff",
  body: Buffer.isBuffer(response.body) ? response.body.toString("utf8") : response.text,
});

describe("HTML in every field a user can set is escaped on every page", () => {
  let world: World;
  const visits: Visit[] = [];
  const unaddressed: string[] = [];
  const gets = () => mountedRoutes(world.t.app).filter((route) => route.startsWith("GET "));

  beforeAll(async () => {
    world = await buildHostileWorld();
    for (const route of gets()) {
      const path = route.slice("GET ".length);
      const needed = ACCESS[route];
      const addresses = PAGES[route]?.(world.ids) ?? (/:|^\/\^/.test(path) ? undefined : [path]);
      if (!needed || !addresses) {
        unaddressed.push(route);
        continue;
      }
      const who = (["anonymous", "learner", "author", "admin"] as const).filter((role) => needed === "anyone" || (role !== "anonymous" && roleAllows(role, needed)));
      for (const role of who) {
        for (const url of addresses) {
          // Raw bytes for every answer (PDFs and zips too); redirects followed to the page they lead to.
          const response = await world.agents[role].get(url).set("X-CSRF-Token", world.tokens[role]).redirects(2).buffer(true).parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => done(null, Buffer.concat(chunks)));
          });
          visits.push(visitOf(`${route} ${url} as ${role}`, response));
        }
      }
    }
    for (const { what, response } of world.answers) visits.push(visitOf(what, response));
  }, 180_000);
  afterAll(() => world.t.cleanup());

  it("has an address, with the ids of the rows made here, for every GET route the app mounts", () => {
    // A new GET route with ids needs its entry in PAGES (and every route its entry in ACCESS).
    expect(unaddressed, "GET routes with no entry in PAGES of test/security/html-escaping.test.ts (or none in ACCESS)").toEqual([]);
    expect(Object.keys(PAGES).filter((route) => !gets().includes(route)), "entries in PAGES for routes the app no longer mounts").toEqual([]);
  });

  it("finds markup a template leaves unescaped, and sees escaped text as shown: the probe itself", () => {
    const v = hostile("probe");
    expect(unescapedIn(ejs.render('<p title="<%- v %>"><%- v %></p>', { v }))).toEqual(["probe", "probe", "probe", "probe", "probe", "probe"]);
    // Quotes escaped but not the apostrophe: safe in double quotes, not in single ones.
    expect(unescapedIn(`<a title='${v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;")}'>`)).toEqual(["probe"]);
    const escaped = ejs.render('<p title="<%= v %>"><%= v %></p><script type="application/json"><%- JSON.stringify(v).replace(/</g, "\\\\u003c") %></script>', { v });
    expect(unescapedIn(escaped)).toEqual([]);
    expect(shows(escaped, "probe")).toBe(true);
    expect(unescapedIn(`<script type="application/json">${JSON.stringify(v)}</script>`)).toContain("probe");
  });

  it("shows no marker unescaped on any page, as any role, and fails on none", () => {
    const html = visits.filter(isHtml);
    expect(html.length).toBeGreaterThan(100);
    const found = html.flatMap((visit) => [...new Set(unescapedIn(visit.body))].map((tag) => `${visit.page}: ${FIELDS[tag as Tag] ?? tag} (${tag}) unescaped`));
    expect(found).toEqual([]);
    expect(visits.filter((visit) => visit.status >= 500).map((visit) => `${visit.page}: ${visit.status}`)).toEqual([]);
  });

  it("shows every field escaped on some page, but those in NOT_SHOWN, which no page shows", () => {
    const html = visits.filter(isHtml);
    const shownOn = (tag: Tag) => html.filter((visit) => (SANITISED[tag] ? visit.body.includes(tag) : shows(visit.body, tag))).map((visit) => visit.page);
    const tags = Object.keys(FIELDS) as Tag[];
    expect(tags.filter((tag) => !NOT_SHOWN[tag] && shownOn(tag).length === 0).map((tag) => `${tag}: ${FIELDS[tag]}`), "fields no page shows (so escaping them is untested)").toEqual([]);
    expect(tags.filter((tag) => NOT_SHOWN[tag] && shownOn(tag).length > 0).map((tag) => `${tag}: now on ${shownOn(tag)[0]}`), "fields in NOT_SHOWN that a page now shows").toEqual([]);
  });

  it("keeps evidence file names without markup", async () => {
    const names = (await world.t.db("evidence_files").pluck("original_name")).map(String);
    expect(names.some((name) => name.includes("evfile"))).toBe(true);
    expect(names.filter((name) => /[<>"'=]/.test(name))).toEqual([]);
  });

  it("serves CSV, JSON and every other answer with nosniff, and markup only in answers that are not HTML", () => {
    expect(visits.filter((visit) => !visit.nosniff).map((visit) => `${visit.page}: ${visit.type}`)).toEqual([]);
    // Downloads and JSON carry the text as stored: a browser must never take them for a page.
    const raw = visits.filter((visit) => !isHtml(visit) && UNESCAPED.some((pattern) => new RegExp(pattern.source).test(visit.body)));
    expect(raw.map((visit) => `${visit.page.split(" ").slice(0, 2).join(" ")}: ${visit.type}`).sort()).toEqual(expect.arrayContaining([
      "GET /admin/people/:personId/records/export.json: application/json; charset=utf-8",
      "GET /admin/reports/:report.csv: text/csv; charset=utf-8",
      "GET /compliance/export.csv: text/csv; charset=utf-8",
      "GET /runtime/attempts/:attemptId/scos/:scoId/state: application/json; charset=utf-8",
    ]));
    // The package as uploaded and the certificates' PDFs carry it too: files, not pages.
    expect(raw.filter((visit) => !/^(text\/csv|application\/json);|^application\/(zip|pdf)$/.test(visit.type)).map((visit) => `${visit.page}: ${visit.type}`)).toEqual([]);
  });
});
