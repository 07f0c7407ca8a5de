import express from "express";
import helmet from "helmet";
import type { Db } from "../db/connect.ts";
import type { Config } from "../config.ts";
import { type PackageStorage, courseVersionCacheOf } from "../packages/index.ts";
import { verifyContentToken } from "./content-token.ts";
import { createStorageKeyCache } from "./storage-keys.ts";
import { createKeptFiles, type KeptFiles } from "./kept-files.ts";
import { LAUNCHER_CSS, launcherPage, launcherPolicy, scoUrl } from "./launcher-page.ts";
import { bundleUrl, sendBundle } from "../web/player-assets.ts";
import { loggableUrl, requestLogger } from "../web/logging.ts";
import type { Logger } from "pino";

export interface ContentDeps {
  config: Config;
  db: Db;
  storage: PackageStorage;
  contentSecret: string;
  logger: Logger;
  /** The small files kept in memory (kept-files.ts); a test passes its own to see into it. */
  keptFiles?: KeptFiles;
}

/**
 * The content origin: serves the files of imported packages, and the launcher that runs a SCO
 * under the player window, and nothing else. No cookies, no sessions; each URL carries a signed
 * token naming the one course version it may read. Only the LMS (and the content origin's own
 * launcher frame) may frame these pages; only the LMS may frame the launcher.
 */
export function createContentApp({ config, db, storage, contentSecret, logger, keptFiles = createKeptFiles() }: ContentDeps): express.Express {
  const app = express();
  // Each SCO launched reads its course's manifest: parsed once per process, not once per launch.
  const launcherVersions = courseVersionCacheOf(db);
  const storageKeys = createStorageKeyCache(db);
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  // A course's every file is a request: one learner's course load was 115 log lines at info, and
  // 200 learners at once wrote about 1,000 lines (200 kB) a second (bench:content), each a file
  // name behind a redacted token, for 8% of the origin's CPU per request (690-755 µs a request
  // with them, 630-695 without, two runs each on a busy 2-core machine). Files served are logged
  // at debug; refusals (a bad token, a missing file, a bad range) at info and failures at error.
  app.use(requestLogger(logger, { answeredLevel: "debug" }));
  // Under https, browsers must never fetch content over plain http again: a token sent in clear
  // is a learner's attempt for hours. The LMS origin says the same through helmet (server/app.ts).
  if (config.contentUrl.startsWith("https:")) app.use(helmet.strictTransportSecurity());
  app.use((_req, res, next) => {
    res.set({
      "Content-Security-Policy": `frame-ancestors ${config.publicUrl} ${config.contentUrl}`,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Resource-Policy": "cross-origin",
    });
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  // The launcher (player/launcher.ts): the SCO's SCORM API, relaying to the player window, then the SCO.
  app.get(/^\/(launcher-12|launcher-2004)\.js(\.map)?$/, async (req, res) => {
    const params = req.params as unknown as { 0: "launcher-12" | "launcher-2004"; 1?: string };
    await sendBundle(req, res, params[0], Boolean(params[1]));
  });
  app.get("/launcher.css", (_req, res) => {
    res.set("Cache-Control", "no-cache").type("text/css").send(LAUNCHER_CSS);
  });
  app.get("/launch/:token/:scoId", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const grant = verifyContentToken(contentSecret, req.params.token);
    // A launcher serves one attempt: a token minted for anything else opens nothing.
    if (!grant || grant.attemptId === null) {
      res.status(403).type("text/plain").send("This content link has expired or is not valid. Close the window and press Play again.");
      return;
    }
    const manifest = (await launcherVersions.one(db, grant.courseVersionId))?.manifest;
    const launchable = manifest?.launchables.find((candidate) => candidate.identifier === req.params.scoId);
    const url = launchable ? scoUrl(config.contentUrl, req.params.token, launchable.launch) : null;
    if (!manifest || !url) {
      res.status(404).type("text/plain").send("This course has no such part");
      return;
    }
    const launcher = manifest.scormVersion === "1.2" ? "launcher-12" : "launcher-2004";
    const script = await bundleUrl(`/${launcher}.js`, launcher);
    res.set("Content-Security-Policy", launcherPolicy(config.publicUrl));
    res.type("html").send(launcherPage({ lmsOrigin: new URL(config.publicUrl).origin, script, scoId: launchable!.identifier, scoUrl: url }));
  });

  // /c/<token>/<path inside the package>: relative links inside a package keep working because
  // the token is a path segment, not a query string.
  app.get(/^\/c\/([^/]+)\/(.+)$/, async (req, res, next) => {
    const params = req.params as unknown as { 0: string; 1: string };
    const grant = verifyContentToken(contentSecret, params[0]);
    if (!grant) {
      res.status(403).type("text/plain").send("This content link has expired or is not valid. Close the window and press Play again.");
      return;
    }
    const storageKey = await storageKeys.keyOf(grant.courseVersionId);
    if (storageKey === undefined) return next();
    // Express has decoded the path once already: decoded again, a file named "100% done.html"
    // could not be reached, and "a%20b.html" would be looked for as "a b.html".
    let file: string;
    try {
      file = storage.pathOf(storageKey, params[1]);
    } catch {
      return next();
    }
    const secondsLeft = Math.max(0, grant.expiresAt - Math.floor(Date.now() / 1000));
    // A version's files never change (a new upload is a new version), so they may be cached for
    // as long as the token that names them lives.
    res.set("Cache-Control", `private, max-age=${secondsLeft}, immutable`);
    // A small file sent before is sent from memory (kept-files.ts), with the headers it had then;
    // res.send answers a conditional request with 304 as send does. A Range, or a precondition
    // send checks and res.send does not, goes to the disk.
    const whole = req.headers.range === undefined && req.headers["if-match"] === undefined && req.headers["if-unmodified-since"] === undefined;
    const kept = whole ? await keptFiles.get(file) : undefined;
    if (kept) {
      res.set({ "Accept-Ranges": "bytes", "Last-Modified": kept.lastModified, ETag: kept.etag, "Content-Type": kept.contentType }).send(kept.body);
      return;
    }
    res.sendFile(file, { dotfiles: "allow", acceptRanges: true, lastModified: true, cacheControl: false }, (error) => {
      if (!error && whole && res.statusCode === 200) {
        const [length, contentType, etag, lastModified] = ["Content-Length", "Content-Type", "ETag", "Last-Modified"].map((name) => res.getHeader(name));
        if (contentType && etag && lastModified && length !== undefined) void keptFiles.keep(file, { length: Number(length), contentType: String(contentType), etag: String(etag), lastModified: String(lastModified) });
      }
      if (!error || res.headersSent) return;
      res.set("Cache-Control", "no-store");
      const status = (error as { status?: number }).status;
      const code = (error as NodeJS.ErrnoException).code;
      // A file missing may be a version deleted with its files: its key is asked for again next time.
      if (code === "ENOENT" || code === "ENOTDIR") storageKeys.forget(grant.courseVersionId);
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR" || status === 404) res.status(404).type("text/plain").send("Not found in this package");
      else if (status === 416) res.status(416).type("text/plain").send("The requested range is not in this file");
      else next(error);
    });
  });

  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  // Content visitors get a plain line, never a stack trace or a server path.
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = Number((error as { status?: number }).status) || 500;
    // A request the server could not read (a malformed percent-escape: 400) is the visitor's, not a fault.
    if (status < 500) logger.info({ url: loggableUrl(req.path), statusCode: status }, "content request refused");
    else logger.error({ err: error, url: loggableUrl(req.path) }, "content request failed");
    if (res.headersSent) return res.end();
    res.status(status >= 400 && status < 600 ? status : 500).type("text/plain").send(status < 500 ? "Bad request" : "The content could not be served. Try again.");
  });
  return app;
}
