import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import request from "supertest";
import pino from "pino";
import { createContentApp } from "../../server/content/content-app.ts";
import { verifyContentToken } from "../../server/content/content-token.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import type { PlayerConfig } from "../../server/runtime/player-config.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const SESSION_SECRET = "test-secret-".padEnd(40, "x"); // createTestApp's

function configOf(html: string): PlayerConfig {
  const match = /<script type="application\/json" id="player-config">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error("no player configuration on the page");
  return JSON.parse(match[1]!) as PlayerConfig;
}

describe("GET /player/attempts/:attemptId", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  let multi: number;
  let sequenced: number;

  beforeAll(async () => {
    t = await createTestApp();
    learner = await buildLearner(t.db, t.clock);
    multi = await importCourseVersion(t, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Player Multi");
    sequenced = await importCourseVersion(t, VALID_PACKAGES["scorm2004-3rd-sequencing"]!.files, "297 Player Sequenced");
  });
  afterAll(() => t.cleanup());

  it("gives the attempt's learner the player window: strict CSP, no inline script, its configuration as JSON", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: multi });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const page = await agent.get(`/player/attempts/${attemptId}`).expect(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-src ${t.config.contentUrl}`);
    // Windows the content opens keep their opener, through which they find the API; and the player
    // keeps its own opener (the page Play was pressed on) only if both send the same policy.
    expect(page.headers["cross-origin-opener-policy"]).toBe("same-origin-allow-popups");
    expect((await agent.get("/").expect(200)).headers["cross-origin-opener-policy"]).toBe("same-origin-allow-popups");
    // Every script is a file from this origin, or data.
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((match) => match[1]!);
    // A SCORM 1.2 course loads the 1.2 player window alone, at a URL versioned by its contents.
    expect(scripts.every((attributes) => /\bsrc="\/assets\/player-12\.js\?v=[\w-]+"/.test(attributes) || /type="application\/json"/.test(attributes))).toBe(true);
    expect(scripts).toHaveLength(2);

    const config = configOf(page.text);
    expect(config).toMatchObject({
      attemptId,
      courseTitle: "297 Test 1.2 Multi",
      scormVersion: "1.2",
      preview: false,
      contentOrigin: new URL(t.config.contentUrl).origin,
      runtimeBase: `/runtime/attempts/${attemptId}/scos/`,
      resumeScoId: null,
      sequencing: null,
      exitUrl: "/",
    });
    expect(config.scos).toEqual([
      { id: "S1", title: "One", depth: 1, visible: true, asset: false, completed: false, prerequisites: null, lessonStatus: "not attempted" },
      { id: "S2", title: "Two", depth: 1, visible: true, asset: false, completed: false, prerequisites: null, lessonStatus: "not attempted" },
      { id: "S3", title: "Three", depth: 0, visible: true, asset: false, completed: false, prerequisites: "S1&S2", lessonStatus: "not attempted" },
    ]);
    // The CSRF token the commits carry is this session's.
    expect(config.csrfToken).toBe(csrfFrom((await agent.get("/")).text));
    // The launcher's token names this attempt's course version.
    const launcher = new URL(config.launcherBase);
    expect(launcher.origin).toBe(new URL(t.config.contentUrl).origin);
    const token = /^\/launch\/([^/]+)\/$/.exec(launcher.pathname)![1]!;
    expect(verifyContentToken(SESSION_SECRET, token)).toMatchObject({ courseVersionId: multi, attemptId });
    // Contents, Previous and Next for a course of several SCOs.
    expect(page.text).toContain('data-sco-id="S2"');
    expect(page.text).toContain("data-player-next");
  });

  it("hands a SCORM 2004 course its sequencing settings, and resumes where the learner was", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: sequenced });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await t.db("attempt_scos").insert([
      { attempt_id: attemptId, sco_identifier: "A", cmi: "{}", completion_status: "completed", updated_at: "2026-03-01T09:00:00.000Z" },
      { attempt_id: attemptId, sco_identifier: "B", cmi: "{}", completion_status: "incomplete", updated_at: "2026-03-01T09:05:00.000Z" },
    ]);
    const page = await agent.get(`/player/attempts/${attemptId}`).expect(200);
    expect(page.text).toMatch(/<script src="\/assets\/player-2004\.js\?v=[\w-]+" defer><\/script>/);
    expect(page.text).not.toContain("player-12.js");
    const config = configOf(page.text);
    expect(config.scormVersion).toBe("2004");
    expect(config.sequencing?.activityTree).toMatchObject({ id: "O", children: [{ id: "A" }, { id: "B" }] });
    expect(config.resumeScoId).toBe("B");
    expect(config.scos.map((sco) => [sco.id, sco.completed])).toEqual([["A", true], ["B", false]]);
  });

  it("reads a version's manifest from the database once, not on every Play or SCO launched, and writes its sequencing the same each time", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: sequenced });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const content = createContentApp({ config: t.config, db: t.db, storage: createLocalStorage(path.join(t.config.dataDir, "packages")), contentSecret: SESSION_SECRET, logger: pino({ level: "silent" }) });
    let manifestReads = 0;
    const onQuery = (query: { sql: string }) => void (/\bmanifest\b/.test(query.sql) && manifestReads++);
    const playAndLaunch = async () => {
      const config = configOf((await agent.get(`/player/attempts/${attemptId}`).expect(200)).text);
      await request(content).get(new URL(`${config.launcherBase}A`).pathname).expect(200);
      return config;
    };
    const first = await playAndLaunch();
    t.db.on("query", onQuery);
    const again = await playAndLaunch().finally(() => t.db.off("query", onQuery));
    expect(manifestReads).toBe(0);
    expect(again.sequencing).toEqual(first.sequencing);
    expect(again.sequencing?.activityTree).toMatchObject({ id: "O", children: [{ id: "A" }, { id: "B" }] });
  });

  it.each([
    ["SCORM 1.2", "scorm12-no-organization", "1.2", [["LESSON", "Lesson"], ["QUIZ", "QUIZ"]]],
    ["SCORM 2004", "scorm2004-no-organization", "2004", [["PART-1", "PART-1"], ["PART-2", "PART-2"]]],
  ] as const)("plays a %s course whose organization was built from its resources like any other", async (_version, fixture, scormVersion, scos) => {
    const versionId = await importCourseVersion(t, VALID_PACKAGES[fixture]!.files, `297 Player ${fixture}`);
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const page = await agent.get(`/player/attempts/${attemptId}`).expect(200);
    const config = configOf(page.text);
    expect(config.scormVersion).toBe(scormVersion);
    expect(config.scos.map((sco) => [sco.id, sco.title])).toEqual(scos);
    expect(config.scos.every((sco) => sco.depth === 0 && sco.visible)).toBe(true);
    expect(page.text).toContain(`data-sco-id="${scos[1][0]}"`);
    if (scormVersion === "2004") {
      expect(config.sequencing?.activityTree).toMatchObject({ id: "noorg2004-ORGANIZATION", children: scos.map(([id]) => ({ id })) });
    } else {
      expect(config.sequencing).toBeNull();
    }
  });

  it("gzips the player window and the static files, and no page that shows what its request asked for beside a token", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: multi });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const gzipped = async (url: string) => (await agent.get(url).set("Accept-Encoding", "gzip").expect(200)).headers["content-encoding"];
    expect(await gzipped(`/player/attempts/${attemptId}`)).toBe("gzip");
    expect(await gzipped("/assets/player-12.js")).toBe("gzip");
    expect(await gzipped("/assets/nhsuk/nhsuk-frontend.min.css")).toBe("gzip");
    // A search page shows its words beside the anti-forgery token in its forms (BREACH).
    expect(await gzipped("/learning/search?q=fire+safety")).toBeUndefined();
    expect(await gzipped("/")).toBeUndefined();
  });

  it("is not found for anyone but the attempt's learner, and asks strangers to log in", async () => {
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: multi });
    const other = await buildLearner(t.db, t.clock, { name: "Jones, Sam" });
    const agent = await logInAgent(t.app, other.username, other.password);
    await agent.get(`/player/attempts/${attemptId}`).expect(404);
    await agent.get("/player/attempts/999999").expect(404);
    await agent.get("/player/attempts/nope").expect(404);
    const anonymous = await request(t.app).get(`/player/attempts/${attemptId}`).expect(302);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(`/player/attempts/${attemptId}`)}`);
  });

  it.each(["player-12", "player-2004"])("serves the %s player window, built at first use, with its source map", async (name) => {
    const player = await request(t.app).get(`/assets/${name}.js`).expect(200);
    expect(player.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(player.text).toContain(`sourceMappingURL=${name}.js.map`);
    expect(player.headers["set-cookie"]).toBeUndefined();
    const map = await request(t.app).get(`/assets/${name}.js.map`).expect(200);
    const sources: string[] = JSON.parse(map.text).sources;
    expect(sources.some((source) => source.endsWith(`player/${name}.ts`))).toBe(true);
    // Back to scorm-again's own sources, through its minified build's map.
    expect(sources.some((source) => source.includes("scorm-again/src/"))).toBe(true);
  });

  it("serves the Play script, and no bundle of both editions or of the content origin", async () => {
    expect((await request(t.app).get("/assets/play.js").expect(200)).text).toContain("js-play");
    await request(t.app).get("/assets/player.js").expect(404);
    await request(t.app).get("/assets/launcher-12.js").expect(404);
  });

  it("sends a bundle gzipped as built, revalidated by ETag, and kept a year at its versioned URL", async () => {
    const plain = await request(t.app).get("/assets/player-12.js").set("Accept-Encoding", "identity").expect(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["cache-control"]).toBe("no-cache");
    const gzipped = await request(t.app).get("/assets/player-12.js").set("Accept-Encoding", "gzip, deflate, br").expect(200);
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(gzipped.headers["content-length"])).toBeLessThan(plain.text.length / 3);
    expect(gzipped.text).toBe(plain.text);
    // Each representation its own ETag, and each revalidates to 304.
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    await request(t.app).get("/assets/player-12.js").set("Accept-Encoding", "gzip").set("If-None-Match", gzipped.headers.etag!).expect(304);
    await request(t.app).get("/assets/player-12.js").set("Accept-Encoding", "identity").set("If-None-Match", plain.headers.etag!).expect(304);
    // The URL the page gives it: cached without asking again. Any other version: revalidated.
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: multi });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const src = /<script src="([^"]+)" defer>/.exec((await agent.get(`/player/attempts/${attemptId}`).expect(200)).text)![1]!;
    const versioned = await request(t.app).get(src).expect(200);
    expect(versioned.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(versioned.text).toBe(plain.text);
    expect((await request(t.app).get("/assets/player-12.js?v=an-older-build").expect(200)).headers["cache-control"]).toBe("no-cache");
  });
});

describe("POST /author/courses/:id/versions/:version/preview", () => {
  let t: TestApp;
  let courseId: number;
  let versionId: number;

  beforeAll(async () => {
    t = await createTestApp();
    versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Preview Test");
    courseId = Number((await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id);
  });
  afterAll(() => t.cleanup());

  it("makes the author a preview attempt of that version and opens the player on it", async () => {
    const author = await buildLearner(t.db, t.clock, { role: "author" });
    const agent = await logInAgent(t.app, author.username, author.password);
    const page = await agent.get(`/author/courses/${courseId}`).expect(200);
    expect(page.text).toContain(`action="/author/courses/${courseId}/versions/1/preview"`);
    expect(page.text).toContain('<script src="/assets/play.js" defer></script>');
    const response = await agent.post(`/author/courses/${courseId}/versions/1/preview`).type("form").send({ _csrf: csrfFrom(page.text) }).expect(303);
    const location = String(response.headers.location);
    const attemptId = Number(/^\/player\/attempts\/(\d+)$/.exec(location)![1]);
    const attempt = await t.db("attempts").where({ id: attemptId }).first();
    expect(attempt).toMatchObject({ person_id: author.personId, course_version_id: versionId });
    expect(Boolean(attempt.preview)).toBe(true);
    // Played in this tab (a pop-up blocker), Home goes back to the course's page.
    expect(configOf((await agent.get(location).expect(200)).text)).toMatchObject({ preview: true, exitUrl: `/author/courses/${courseId}` });
    await agent.post(`/author/courses/${courseId}/versions/9/preview`).type("form").send({ _csrf: csrfFrom(page.text) }).expect(404);
  });

  it("is for authors only", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const agent = await logInAgent(t.app, learner.username, learner.password);
    const token = csrfFrom((await agent.get("/").expect(200)).text);
    await agent.post(`/author/courses/${courseId}/versions/1/preview`).type("form").send({ _csrf: token }).expect(403);
  });
});

describe("the content origin's launcher", () => {
  let t: TestApp;
  let content: ReturnType<typeof createContentApp>;
  let versionId: number;
  let playerConfig: PlayerConfig;

  beforeAll(async () => {
    t = await createTestApp();
    versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-multi-sco"]!.files, "297 Launcher Test");
    const learner = await buildLearner(t.db, t.clock);
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    playerConfig = configOf((await agent.get(`/player/attempts/${attemptId}`).expect(200)).text);
    const storage = createLocalStorage(path.join(t.config.dataDir, "packages"));
    content = createContentApp({ config: t.config, db: t.db, storage, contentSecret: SESSION_SECRET, logger: pino({ level: "silent" }) });
  });
  afterAll(() => t.cleanup());

  const launcherPath = (scoId: string) => new URL(`${playerConfig.launcherBase}${encodeURIComponent(scoId)}`).pathname;

  it("serves a page that loads the launcher script and names the SCO, framed by the LMS only", async () => {
    const page = await request(content).get(launcherPath("S2")).expect(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["set-cookie"]).toBeUndefined();
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-ancestors ${t.config.publicUrl}`);
    expect(csp).not.toContain(`frame-ancestors ${t.config.publicUrl} ${t.config.contentUrl}`);
    // A SCORM 1.2 course's launcher loads the 1.2 API only.
    expect(page.text).toMatch(/<script src="\/launcher-12\.js\?v=[\w-]+"><\/script>/);
    expect(page.text).not.toContain("launcher-2004");
    expect(page.text).toContain(`data-lms-origin="${new URL(t.config.publicUrl).origin}"`);
    expect(page.text).toContain('data-sco-id="S2"');
    // The item's parameters stay on the launch URL, under the same token.
    const token = launcherPath("S2").split("/")[2];
    expect(page.text).toContain(`data-sco-url="/c/${token}/sco2/index.html?page=2"`);
    // Package files stay frameable by the launcher (the content origin itself).
    const file = await request(content).get(`/c/${token}/sco2/index.html`).expect(200);
    expect(file.headers["content-security-policy"]).toBe(`frame-ancestors ${t.config.publicUrl} ${t.config.contentUrl}`);
  });

  it("serves each edition's launcher script, the 1.2 one without 2004's API and sequencer, and its stylesheet", async () => {
    const script12 = await request(content).get("/launcher-12.js").expect(200);
    expect(script12.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(script12.text).toContain("sourceMappingURL=launcher-12.js.map");
    await request(content).get("/launcher-12.js.map").expect(200);
    // The content origin compresses nothing else: the launcher comes gzipped as built.
    expect(script12.headers["content-encoding"]).toBe("gzip");
    expect(script12.headers["cache-control"]).toBe("no-cache");
    const script2004 = await request(content).get("/launcher-2004.js").expect(200);
    expect(script2004.text).toContain("sourceMappingURL=launcher-2004.js.map");
    expect(script12.text.length).toBeLessThan(script2004.text.length / 2);
    await request(content).get("/launcher.js").expect(404);
    expect((await request(content).get("/launcher.css").expect(200)).headers["content-type"]).toMatch(/^text\/css/);
    await request(content).get("/player.js").expect(404);
  });

  it("opens nothing for a forged token or a SCO the course does not have", async () => {
    await request(content).get(launcherPath("NOPE")).expect(404);
    const forged = launcherPath("S1").replace(/\/launch\/([^/]+)\//, (_, token: string) => `/launch/${token.slice(0, -2)}xx/`);
    await request(content).get(forged).expect(403);
  });
});
