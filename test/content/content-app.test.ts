import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import pino from "pino";
import { createClock } from "../../server/clock.ts";
import { loadConfig } from "../../server/config.ts";
import { createContentApp } from "../../server/content/content-app.ts";
import { createKeptFiles } from "../../server/content/kept-files.ts";
import { signContentToken, verifyContentToken, contentTokenExpiry } from "../../server/content/content-token.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";

const SECRET = "content-secret-for-tests".padEnd(40, "!");
const clock = createClock("2026-03-01T09:00:00Z");
const config = loadConfig({ PUBLIC_URL: "http://localhost:3000", CONTENT_URL: "http://127.0.0.1:3001" });

function course(page: string) {
  return {
    "imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="M" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>297 Video Course</title>
    <item identifier="I" identifierref="R"><title>Watch</title></item></organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/><file href="media/clip one.mp4"/><file href="css/site.css"/><file href="js/app.js"/></resource></resources>
</manifest>`,
    "index.html": `<!doctype html><title>${page}</title><p>${page}</p>`,
    "media/clip one.mp4": Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)),
    "css/site.css": "p { color: #005eb8 }",
    "js/app.js": "console.log('course script')",
    // Names authoring tools do write: a percent sign, and an escape kept literally in the name.
    "media/100% done.html": "<p>all done</p>",
    "media/a%20b.html": "<p>literally a-percent-20-b</p>",
  };
}

describe("the content origin", () => {
  let t: TestDb;
  let app: ReturnType<typeof createContentApp>;
  let first: { courseVersionId: number };
  let second: { courseVersionId: number };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-content-"));
  const token = (courseVersionId: number, expiresAt = contentTokenExpiry()) => signContentToken(SECRET, { courseVersionId, attemptId: 7, expiresAt });

  beforeAll(async () => {
    t = await createTestDb();
    const storage = createLocalStorage(path.join(dataDir, "packages"));
    first = await importPackage({ db: t.db, clock, storage }, await buildZip(course("Version one")));
    second = await importPackage({ db: t.db, clock, storage }, await buildZip(course("Version two")));
    app = createContentApp({ config, db: t.db, storage, contentSecret: SECRET, logger: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves a package's files with their MIME types, long-lived caching and no cookies", async () => {
    const base = `/c/${token(second.courseVersionId)}`;
    const page = await request(app).get(`${base}/index.html`).expect(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.text).toContain("Version two");
    expect(page.headers["cache-control"]).toMatch(/^private, max-age=\d+, immutable$/);
    expect(page.headers["set-cookie"]).toBeUndefined();
    expect((await request(app).get(`${base}/css/site.css`)).headers["content-type"]).toMatch(/^text\/css/);
    expect((await request(app).get(`${base}/js/app.js`)).headers["content-type"]).toMatch(/javascript/);
    expect((await request(app).get(`${base}/media/clip%20one.mp4`)).headers["content-type"]).toBe("video/mp4");
  });

  it("serves a file whose name holds a percent sign by its address, decoded once", async () => {
    const base = `/c/${token(second.courseVersionId)}`;
    expect((await request(app).get(`${base}/media/100%25%20done.html`).expect(200)).text).toBe("<p>all done</p>");
    expect((await request(app).get(`${base}/media/a%2520b.html`).expect(200)).text).toBe("<p>literally a-percent-20-b</p>");
    // Decoded twice, this address would name a%20b.html too: it names "a b.html", which is not there.
    await request(app).get(`${base}/media/a%20b.html`).expect(404);
  });

  it("answers Range requests, as video players need", async () => {
    const response = await request(app).get(`/c/${token(second.courseVersionId)}/media/clip%20one.mp4`).set("Range", "bytes=100-199").buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe("bytes 100-199/4096");
    expect([...(response.body as Buffer)]).toEqual(Array.from({ length: 100 }, (_, i) => (100 + i) % 256));
  });

  it("may be framed only by the LMS and itself", async () => {
    const page = await request(app).get(`/c/${token(second.courseVersionId)}/index.html`);
    expect(page.headers["content-security-policy"]).toBe("frame-ancestors http://localhost:3000 http://127.0.0.1:3001");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("keeps serving an earlier version to attempts started on it after a new version is imported", async () => {
    const old = await request(app).get(`/c/${token(first.courseVersionId)}/index.html`).expect(200);
    expect(old.text).toContain("Version one");
  });

  it("refuses forged, tampered and expired tokens", async () => {
    const good = token(second.courseVersionId);
    const tampered = good.replace(/^\d+/, String(first.courseVersionId));
    const expired = token(second.courseVersionId, Math.floor(Date.now() / 1000) - 1);
    const forged = signContentToken("another secret entirely".padEnd(40, "?"), { courseVersionId: second.courseVersionId, attemptId: 7, expiresAt: contentTokenExpiry() });
    for (const bad of [tampered, expired, forged, "nonsense"]) {
      const response = await request(app).get(`/c/${bad}/index.html`);
      expect(response.status, bad).toBe(403);
      expect(response.text).toMatch(/expired or is not valid/);
    }
  });

  it("never serves a file outside the package", async () => {
    const base = `/c/${token(second.courseVersionId)}`;
    for (const escape of ["..%2F..%2Flms.sqlite", "%2E%2E/%2E%2E/session-secret", "..%5C..%5Cx", "missing.html"]) {
      expect([403, 404], escape).toContain((await request(app).get(`${base}/${escape}`)).status);
    }
  });

  it("logs a request it cannot read (a malformed escape) as refused, at info: the visitor's mistake is not the server's fault", async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const logged = createContentApp({ config, db: t.db, storage: createLocalStorage(path.join(dataDir, "packages")), contentSecret: SECRET, logger });
    const answer = await request(logged).get(`/c/${token(second.courseVersionId)}/media/%E0%A4%A.html`);
    expect(answer.status).toBe(400);
    expect(answer.text).toBe("Bad request");
    expect(lines.filter((line) => line.msg.startsWith("content request"))).toEqual([expect.objectContaining({ level: 30, msg: "content request refused" })]);
  });

  it("logs refusals (a bad token, a missing file, a bad range) at info, and files served only at debug", async () => {
    const logged = (level: "info" | "debug") => {
      const lines: Array<{ level: number; req?: { url: string }; res?: { statusCode: number } }> = [];
      const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      return { lines, app: createContentApp({ config, db: t.db, storage: createLocalStorage(path.join(dataDir, "packages")), contentSecret: SECRET, logger }) };
    };
    const base = `/c/${token(second.courseVersionId)}`;
    const atInfo = logged("info");
    await request(atInfo.app).get(`${base}/index.html`).expect(200);
    await request(atInfo.app).get(`${base}/media/clip%20one.mp4`).set("Range", "bytes=0-9").expect(206);
    await request(atInfo.app).get(`/c/${token(second.courseVersionId).slice(0, -2)}xx/index.html`).expect(403);
    await request(atInfo.app).get(`${base}/missing.html`).expect(404);
    await request(atInfo.app).get(`${base}/css/site.css`).set("Range", "bytes=999999-").expect(416);
    const requests = (lines: typeof atInfo.lines) => lines.filter((line) => line.res).map((line) => [line.level, line.req?.url, line.res?.statusCode]);
    expect(requests(atInfo.lines)).toEqual([
      [30, "/c/<token>/index.html", 403],
      [30, "/c/<token>/missing.html", 404],
      [30, "/c/<token>/css/site.css", 416],
    ]);
    const atDebug = logged("debug");
    await request(atDebug.app).get(`${base}/index.html`).expect(200);
    expect(requests(atDebug.lines)).toEqual([[20, "/c/<token>/index.html", 200]]);
  });

  it("answers a folder, a bad range and other failures in plain words, never with a stack trace", async () => {
    const base = `/c/${token(second.courseVersionId)}`;
    const folder = await request(app).get(`${base}/media`);
    expect(folder.status).toBe(404);
    expect(folder.text).toBe("Not found in this package");
    const range = await request(app).get(`${base}/css/site.css`).set("Range", "bytes=999999-");
    expect(range.status).toBe(416);
    expect(range.text).not.toMatch(/at |Error|\/tmp\//);
  });

  it("stops serving a version deleted with its files, and asks the database about it again", async () => {
    const storage = createLocalStorage(path.join(dataDir, "packages"));
    const doomed = await importPackage({ db: t.db, clock, storage }, await buildZip(course("Deleted soon")));
    const base = `/c/${token(doomed.courseVersionId)}`;
    expect((await request(app).get(`${base}/index.html`).expect(200)).text).toContain("Deleted soon");
    const { storage_key: key } = await t.db("course_versions").where({ id: doomed.courseVersionId }).first("storage_key");
    await t.db("course_versions").where({ id: doomed.courseVersionId }).delete();
    await storage.remove(String(key));
    expect((await request(app).get(`${base}/index.html`).expect(404)).text).toBe("Not found in this package");
    // The missing file made the origin forget the key: now the database says there is no such version.
    expect((await request(app).get(`${base}/index.html`).expect(404)).text).toBe("Not found");
  });

  it("sends a small file again from memory, with the headers the disk's answer had, and 304 to a conditional request", async () => {
    const storage = createLocalStorage(path.join(dataDir, "packages"));
    const keptFiles = createKeptFiles();
    const keeping = createContentApp({ config, db: t.db, storage, contentSecret: SECRET, logger: pino({ level: "silent" }), keptFiles });
    const url = `/c/${token(first.courseVersionId)}/css/site.css`;
    const fromDisk = await request(keeping).get(url).expect(200);
    await vi.waitFor(() => expect(keptFiles.size().files).toBe(1));
    // send reads a file through fs.createReadStream: from memory, nothing is read.
    const reads = vi.spyOn(fs, "createReadStream");
    const fromMemory = await request(keeping).get(url).expect(200);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(fromMemory.text).toBe("p { color: #005eb8 }");
    for (const header of ["content-type", "content-length", "etag", "last-modified", "accept-ranges", "content-security-policy", "x-content-type-options"]) {
      expect(fromMemory.headers[header], header).toBe(fromDisk.headers[header]);
    }
    await request(keeping).get(url).set("If-None-Match", String(fromDisk.headers.etag)).expect(304);
    await request(keeping).head(url).expect(200).expect("content-length", String(fromDisk.headers["content-length"]));
    // A Range goes to the disk, as before.
    expect((await request(keeping).get(url).set("Range", "bytes=4-8").expect(206)).text).toBe("color");
  });

  it("serves nothing but package files", async () => {
    await request(app).get("/login").expect(404);
    await request(app).get("/").expect(404);
  });
});

describe("content tokens", () => {
  it("carry the course version, the attempt and the expiry, and round-trip", () => {
    const grant = { courseVersionId: 12, attemptId: 34, expiresAt: 2_000_000_000 };
    expect(verifyContentToken(SECRET, signContentToken(SECRET, grant), 1_900_000_000)).toEqual(grant);
    expect(verifyContentToken(SECRET, signContentToken(SECRET, grant), 2_000_000_000)).toBeUndefined();
  });

  it("expire on a 12-hour boundary at least the lifetime ahead, so a window's URLs are the same and cache", () => {
    const now = Date.UTC(2026, 2, 1, 9, 17, 0);
    const expiry = contentTokenExpiry(now, 4 * 3600);
    expect(expiry % (12 * 3600)).toBe(0);
    expect(expiry * 1000 - now).toBeGreaterThanOrEqual(4 * 3600 * 1000);
    expect(contentTokenExpiry(now + 2 * 3600 * 1000, 4 * 3600)).toBe(expiry);
  });
});
