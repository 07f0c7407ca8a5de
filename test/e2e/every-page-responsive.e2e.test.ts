import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Db } from "../../server/db/connect.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { queueMail } from "../../server/mail/index.ts";
import { DEMO_LOGINS } from "../../server/demo/demo-logins.ts";
import { withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { createTestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { wcag22Problems } from "./accessibility.ts";

type Who = "anyone" | "learner" | "author" | "admin";
/** A page: who opens it, its address, and its status when that is not 200. */
type PageLine = [Who, string, number?];

/**
 * Every page of the learner's, the author's and L&D's journeys, one line each: who opens it, and
 * its address, where ":name" is a row of the demo trust found in findIds below (and its status,
 * when a page is rightly not a 200: a link without its token, a page that does not exist).
 */
const PAGES: PageLine[] = [
  ["anyone", "/login"],
  ["anyone", "/forgotten"],
  ["anyone", "/help"],
  ["anyone", "/verify"],
  ["anyone", "/account/reset", 400],
  ["anyone", "/no-such-page", 404],
  ["learner", "/"],
  ["learner", "/compliance"],
  ["learner", "/compliance?tab=all"],
  ["learner", "/compliance?tab=awaiting"],
  ["learner", "/compliance?print=1"],
  ["learner", "/compliance/competencies/:competency/learning"],
  ["learner", "/learning/certifications/:certification"],
  ["learner", "/learning/certifications/:certification/components/:component/play"],
  ["learner", "/learning/certifications/:certification/unsubscribe"],
  ["learner", "/learning/certifications/:otherCertification/subscribe"],
  ["learner", "/learning/certifications/:classCertification/components/:classComponent/enrol"],
  ["learner", "/learning/current"],
  ["learner", "/learning/requested"],
  ["learner", "/learning/search?q=fire"],
  ["learner", "/learning/search/advanced"],
  ["learner", "/learning/attempts/:attempt"],
  ["learner", "/learning/forums"],
  ["learner", "/learning/forums/certification/:certification"],
  ["learner", "/learning/forums/course/:course"],
  ["learner", "/learning/forums/topics/:topic"],
  ["learner", "/account/password"],
  ["author", "/author/courses"],
  ["author", "/author/courses/upload"],
  ["author", "/author/courses/:course"],
  ["author", "/catalog"],
  ["author", "/catalog/competencies/new"],
  ["author", "/catalog/competencies/:competency"],
  ["author", "/catalog/certifications/new"],
  ["author", "/catalog/certifications/:certification"],
  ["author", "/catalog/positions/new"],
  ["author", "/catalog/positions/:position"],
  ["admin", "/admin/accounts"],
  ["admin", "/admin/accounts/:account"],
  ["admin", "/admin/people"],
  ["admin", "/admin/people?q=conroy"],
  ["admin", "/admin/people/:person"],
  ["admin", "/admin/people/:person/edit"],
  ["admin", "/admin/people/new"],
  ["admin", "/admin/people/upload"],
  ["admin", "/admin/attempts/:attempt"],
  ["admin", "/admin/approvals"],
  ["admin", "/admin/reports"],
  ["admin", "/admin/reports/people?status=Red"],
  ["admin", "/admin/reminders"],
  ["admin", "/admin/reminders/runs/:run"],
  ["admin", "/learning/forums/topics/:topic"],
  ["admin", "/learning/forums/reported"],
  ["admin", "/admin/audit"],
  ["admin", "/admin/outbox"],
  ["admin", "/admin/outbox/:message"],
  ["admin", "/admin/classes"],
  ["admin", "/admin/classes/new"],
  ["admin", "/admin/classes/:class"],
];

const VIEWPORTS = [
  { width: 375, height: 800 },
  { width: 1280, height: 800 },
];

const login = (role: string) => DEMO_LOGINS.find((person) => person.role === role)!;

/** The demo trust's rows the pages above name. */
async function findIds(db: Db): Promise<Record<string, number>> {
  const id = (row: { id: unknown } | undefined, what: string) => {
    if (!row) throw new Error(`the demo trust has no ${what}`);
    return Number(row.id);
  };
  const learner = await db("accounts").where({ username: login("learner").username }).first("id", "person_id");
  const certification = await db("certifications").where({ name: "297 Core Skills - Fire Safety - 1 Year" }).first("id", "competency_id");
  const component = await db("certification_components").where({ certification_id: certification.id }).orderBy("position").first("id", "course_code");
  const classRow = await db("classes").join("courses", "courses.id", "classes.course_id").where("classes.kind", "classroom").orderBy("classes.id").first("classes.id", "courses.code");
  const classComponent = await db("certification_components").where({ course_code: classRow?.code ?? "" }).first("id", "certification_id");
  return {
    account: id(learner, "learner"),
    person: Number(learner.person_id),
    certification: id(certification, "Fire Safety certification"),
    competency: Number(certification.competency_id),
    component: id(component, "Fire Safety component"),
    course: id(await db("courses").where({ code: component.course_code }).first("id"), `course ${component.course_code}`),
    otherCertification: id(await db("certifications").whereNot({ id: certification.id }).orderBy("id").first("id"), "second certification"),
    class: id(classRow, "class"),
    classComponent: id(classComponent, "component taught in a class"),
    classCertification: Number(classComponent?.certification_id),
    position: id(await db("positions").orderBy("id").first("id"), "position"),
  };
}

async function logInAt(page: Page, lmsUrl: string, { username, password }: { username: string; password: string }): Promise<void> {
  await page.goto(`${lmsUrl}/login`);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: /^Log in/ }).click();
  await page.waitForURL(`${lmsUrl}/`);
}

/** What makes the page scroll sideways, or reach past the viewport's edge: the outermost such elements. */
function overflowOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // What a learner can open (a Details column's history) must fit as well as what shows at first.
    for (const details of document.querySelectorAll("details")) details.open = true;
    const root = document.documentElement;
    const width = root.clientWidth;
    const problems: string[] = [];
    if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth}px wide in a ${width}px viewport`);
    const describe = (element: Element) => {
      const classes = [...element.classList].slice(0, 2).map((name) => `.${name}`).join("");
      const text = (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes} "${text}"`;
    };
    const wide = new Set<Element>();
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (!element.checkVisibility({ visibilityProperty: true }) || getComputedStyle(element).position === "fixed") continue;
      if (box.right <= width + 0.5 && box.left >= -0.5) continue;
      // What a box with overflow hidden cuts off is seen by no one (the design system's visually
      // hidden text, a responsive table's headings on a phone); what a scrolling box holds is.
      let [left, right] = [box.left, box.right];
      for (let outer = element.parentElement; outer && outer !== document.body; outer = outer.parentElement) {
        if (!["hidden", "clip"].includes(getComputedStyle(outer).overflowX)) continue;
        const edges = outer.getBoundingClientRect();
        [left, right] = [Math.max(left, edges.left), Math.min(right, edges.right)];
      }
      if (right - left <= 1 || (right <= width + 0.5 && left >= -0.5)) continue;
      wide.add(element);
      if (element.parentElement && wide.has(element.parentElement)) continue;
      problems.push(`${describe(element)} spans ${Math.round(box.left)}px to ${Math.round(box.right)}px`);
    }
    return problems.slice(0, 6);
  });
}

/**
 * Issue 20's Deliver 1 in real Chromium: every page of the three journeys, on a phone (375 px) and
 * on a desktop (1280 px), scrolls only downwards and passes axe-core's WCAG 2.2 A and AA rules with
 * no violation of any impact. Every page's problems are gathered, so one run lists them all.
 */
describe("every page, on a phone and on a desktop", () => {
  let servers: LmsServers;
  let browser: Browser;
  let ids: Record<string, number>;
  withLmsAndBrowser("demo trust", (started) => ({ servers, browser } = started), 180_000);

  beforeAll(async () => {
    const { db, clock } = servers;
    ids = await findIds(db);
    // A subscription, an attempt and a message, so their pages have something to show.
    await subscribe(db, clock, { personId: ids.person!, accountId: ids.account! }, ids.certification!);
    ids.message = await queueMail(db, { to: "emma.conroy@example.org", subject: "297 ESR User Name Lookup", text: "Your username is 297ECONROY01." }, clock.now().toISOString());
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInAs(page, "learner");
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const played = await page.request.post(`${servers.lmsUrl}/learning/courses/${ids.course}/play`, { form: { _csrf: csrf }, maxRedirects: 0 });
    const attempt = /\/player\/attempts\/(\d+)$/.exec(played.headers().location ?? "");
    if (!attempt) throw new Error(`Play answered ${played.status()} ${played.headers().location ?? ""}`);
    ids.attempt = Number(attempt[1]);
    // A question in the certification's discussion, so that a topic has a page to show.
    const asked = await page.request.post(`${servers.lmsUrl}/learning/forums/certification/${ids.certification}/topics`, { form: { _csrf: csrf, title: "Which extinguisher is for electrical fires?", body: "The course says CO2.\nIs that right for a ward's computers too?" }, maxRedirects: 0 });
    const topic = /\/learning\/forums\/topics\/(\d+)$/.exec(asked.headers().location ?? "");
    if (!topic) throw new Error(`asking answered ${asked.status()} ${asked.headers().location ?? ""}`);
    ids.topic = Number(topic[1]);
    await context.close();
    // L&D send this week's reminders, so that a run has its page.
    const lnd = await browser.newContext();
    const lndPage = await lnd.newPage();
    await logInAs(lndPage, "admin");
    const lndCsrf = await lndPage.locator("input[name=_csrf]").first().inputValue();
    const sent = await lndPage.request.post(`${servers.lmsUrl}/admin/reminders`, { form: { _csrf: lndCsrf }, maxRedirects: 0 });
    const run = /\/admin\/reminders\/runs\/(\d+)/.exec(sent.headers().location ?? "");
    if (!run) throw new Error(`Send answered ${sent.status()} ${sent.headers().location ?? ""}`);
    ids.run = Number(run[1]);
    await lnd.close();
  }, 120_000);

  const logInAs = (page: Page, who: Exclude<Who, "anyone">) => logInAt(page, servers.lmsUrl, login(who));

  const address = (path: string) =>
    path.replace(/:([A-Za-z]+)/g, (_whole, name: string) => {
      if (ids[name] === undefined) throw new Error(`no id for :${name}`);
      return String(ids[name]);
    });

  // Observed 1: at 375 px the header ran off the screen and Logout read "Log…".
  it.each([320, 375])("at %i px, the header shows Logged In As, Change password, Logout and every link, folding what does not fit into More, or wrapping without script", async (width) => {
    const problems: string[] = [];
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled });
      const page = await context.newPage();
      await logInAs(page, "admin");
      const header = page.getByRole("banner");
      const menu = header.getByRole("navigation", { name: "Menu" });
      const more = menu.getByRole("button", { name: "Browse More" });
      const seen = async (what: string, locator: ReturnType<Page["locator"]>) => {
        const box = (await locator.isVisible()) ? await locator.boundingBox() : null;
        if (!box || box.x < 0 || box.x + box.width > width) problems.push(`${javaScriptEnabled ? "with" : "without"} script: ${what} is ${box ? `at ${Math.round(box.x)}px to ${Math.round(box.x + box.width)}px` : "not shown"}`);
      };
      await seen("Logged In As", header.getByText(`Logged In As ${login("admin").username}`));
      await seen("Change password", header.getByRole("link", { name: "Change password" }));
      await seen("Logout", header.getByRole("button", { name: "Logout" }));
      if (javaScriptEnabled) {
        await seen("More", more);
        await more.click();
        expect(await more.getAttribute("aria-expanded")).toBe("true");
      } else {
        expect(await more.isVisible()).toBe(false);
      }
      for (const name of ["Portal", "Help", "Courses", "Catalog", "Administration"]) await seen(name, menu.getByRole("link", { name, exact: true }));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it.each(VIEWPORTS)("at $width x $height, no page scrolls sideways or breaks WCAG 2.2 AA", async (viewport) => {
    const pages = new Map<Who, Page>();
    const contexts: BrowserContext[] = [];
    for (const who of ["anyone", "learner", "author", "admin"] as const) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      if (who !== "anyone") await logInAs(page, who);
      pages.set(who, page);
    }
    const failures: string[] = [];
    for (const [who, path, expected = 200] of PAGES) {
      const page = pages.get(who)!;
      let url: string;
      try {
        url = address(path);
      } catch (error) {
        failures.push(`${path} (${who}): ${(error as Error).message}`);
        continue;
      }
      const response = await page.goto(`${servers.lmsUrl}${url}`);
      const problems: string[] = [];
      if (response?.status() !== expected) problems.push(`answered ${response?.status()}, not ${expected}`);
      if (new URL(page.url()).pathname !== url.split("?")[0]) problems.push(`went to ${page.url()}`);
      problems.push(...(await overflowOf(page)).map((problem) => `overflow: ${problem}`));
      problems.push(...(await wcag22Problems(page)).map((problem) => `axe: ${problem}`));
      if (problems.length) failures.push(`${path} (${who}):\n    ${problems.join("\n    ")}`);
    }
    for (const context of contexts) await context.close();
    expect(failures, `${failures.length} of ${PAGES.length} pages at ${viewport.width}px:\n${failures.join("\n")}`).toEqual([]);
  }, 600_000);

  // Deliver 9 on the smallest phone: a wide logo and a long name from configuration still fit.
  it("at 320 px, a trust's wide logo and long name (TRUST_LOGO, TRUST_NAME) fit the header, logged out and in", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lms-logo-"));
    fs.writeFileSync(path.join(folder, "logo.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 80" width="600" height="80"><rect width="600" height="80" fill="#fff"/><text x="10" y="55" font-size="40" fill="#005eb8">Gateshead Health NHS Foundation Trust</text></svg>');
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const lmsUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    const trust = await createTestApp({ env: { PUBLIC_URL: lmsUrl, TRUST_NAME: "Gateshead Health NHS Foundation Trust Learning and Development", TRUST_LOGO: path.join(folder, "logo.svg"), TRUST_LOGO_ALT: "Gateshead Health NHS Foundation Trust" } });
    server.on("request", trust.app);
    const learner = await buildLearner(trust.db, trust.clock);
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    try {
      const problems: string[] = [];
      for (const step of ["logged out", "logged in"]) {
        if (step === "logged in") await logInAt(page, lmsUrl, learner);
        else await page.goto(`${lmsUrl}/login`);
        const logo = page.getByRole("banner").getByRole("img", { name: "Gateshead Health NHS Foundation Trust" });
        const box = await logo.boundingBox();
        if (!box || box.height < 20 || box.x < 0 || box.x + box.width > 320) problems.push(`${step}: the logo is ${JSON.stringify(box)}`);
        if (!(await logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0))) problems.push(`${step}: the logo did not load`);
        problems.push(...(await overflowOf(page)).map((problem) => `${step}: ${problem}`), ...(await wcag22Problems(page)).map((problem) => `${step}: axe: ${problem}`));
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await trust.cleanup();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
