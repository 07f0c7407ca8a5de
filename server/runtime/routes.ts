import { isRowId } from "../db/connect.ts";
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import type { AppDeps } from "../deps.ts";
import { AppError, DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, isOutOfSpace } from "../errors.ts";
import type { CommitResponse } from "../scorm/contract.ts";
import { SCORM12_ERRORS, ScormRefusal } from "../scorm/scorm-errors.ts";
import { loggableUrl } from "../web/logging.ts";
import { createRuntimeWriter, type CreditEarned } from "./runtime-writer.ts";
import { liveSessionIds, type SessionStore } from "../web/session-store.ts";
import { csrfTokenMatches, readSession, RememberedSessions, type SessionLocals } from "../web/session-reader.ts";

/**
 * The runtime's HTTP surface (contract.ts), mounted at /runtime ahead of everything else: the
 * player window reads a SCO's state and commits its CMI every few seconds, the busiest traffic the
 * LMS has, so it goes through a lean stack of its own. Its session is read, not managed
 * (readSession), once: after that it is taken from memory, and the writer finds it still live in
 * each batch's transaction (runtime-writer.ts's SessionCheck). It takes JSON, and the text/plain JSON of sendBeacon with the anti-forgery token
 * inside (`_csrf`), both up to 1 MB. Every answer, refusals included, is JSON in SCORM's own form
 * (runtimeErrorHandler), because scorm-again's response handlers read { result, errorCode }.
 *
 * Successful requests are not logged one by one: each commit is in the attempt's commit log, and
 * status changes are audited. Refusals are logged at info, failures at error.
 */
export function runtimeRoutes({ config, db, clock, logger, sessionSecret }: AppDeps, sessions: SessionStore, credit: CreditEarned): Router {
  const router = Router();
  const remembered = new RememberedSessions();
  const writer = createRuntimeWriter(db, clock, credit, { live: liveSessionIds, ended: (sid) => remembered.forget(sid) });
  router.use(inOrder(jsonHeaders(config), fromThisOriginOnly, readSession({ config, sessionSecret, store: sessions, remembered }), loggedIn));

  router.get("/attempts/:attemptId/scos/:scoId/state", playerOnly, async (req, res) => {
    const { personId, sessionId } = user(res.locals);
    answer(res, 200, await writer.state({ ...target(req), personId, sessionId }));
  });

  router.post("/attempts/:attemptId/scos/:scoId/commit", inOrder(commitBody, sameSession), async (req, res) => {
    const { personId, accountId, sessionId } = user(res.locals);
    answer(res, 200, await writer.commit({ ...target(req), request: req.body, personId, accountId, ip: req.ip ?? null, sessionId }));
  });

  router.post("/attempts/:attemptId/sequencing-state", inOrder(commitBody, sameSession), async (req, res) => {
    const { attemptId } = target(req);
    const { personId, accountId, sessionId } = user(res.locals);
    answer(res, 200, await writer.sequencingState({ attemptId, personId, body: req.body, accountId, ip: req.ip ?? null, sessionId }));
  });

  router.use((_req, _res, next) => next(new ScormRefusal("not_found", "There is no such runtime address", 404, SCORM12_ERRORS.general)));
  router.use(runtimeErrorHandler(logger));
  return router;
}

/**
 * Sends JSON as it is. Not res.json(): that hashes every body for an ETag and checks freshness,
 * and these answers are never cached (no-store) nor asked for conditionally.
 */
function answer(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

/**
 * Runs these middleware as one: each layer the router walks costs a little on every commit, and
 * these always run together.
 */
function inOrder(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error || index === handlers.length) return next(error);
      handlers[index++]!(req, res, step);
    };
    step();
  };
}

/**
 * The headers of every runtime answer, fixed at start. These are JSON answers to the player window
 * on the same origin: never cached, never framed, never sniffed as another type, never read by
 * another origin's no-cors request, and no referrer sent from them. Not helmet's full set for
 * pages: the rest (opener, prefetch, download, cross-domain and XSS-auditor headers, X-Frame-Options
 * beside frame-ancestors) governs documents, and the runtime serves none. Set from a list rather
 * than by running helmet on each answer: a commit is the busiest request the LMS has, and these are
 * half the headers helmet would send (bench:commits, issue 21).
 */
function jsonHeaders(config: AppDeps["config"]): RequestHandler {
  const headers: Array<[string, string]> = [
    ["Cache-Control", "no-store"],
    ["Content-Security-Policy", "default-src 'none';frame-ancestors 'none'"],
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Referrer-Policy", "no-referrer"],
    ["X-Content-Type-Options", "nosniff"],
  ];
  // As helmet does for pages: only when the LMS is served over HTTPS (config.publicUrl).
  if (config.publicUrl.startsWith("https:")) headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * Only the player window, on the LMS's own origin, calls the runtime. A browser says where a
 * request comes from (Sec-Fetch-Site, which page script cannot set): course content on the
 * content origin is "cross-site", or "same-site" when the two hosts share a site; either way it
 * must not ride the learner's session, not even to start a session with a GET. Clients that send
 * no such header (older browsers, tools) are left to the session and anti-forgery checks.
 */
const fromThisOriginOnly: RequestHandler = (req, _res, next) => {
  const site = req.get("sec-fetch-site");
  next(site === undefined || site === "same-origin" ? undefined : new ScormRefusal("forbidden", "The runtime answers the player window only", 403, SCORM12_ERRORS.general));
};

/**
 * Reading a SCO's state opens a session (and after a finished one may start a new attempt), so a
 * GET here changes things: it needs the anti-forgery token as a header, as the commits do. A
 * top-level navigation can carry the learner's Lax cookie (a SCO may open a window), and a browser
 * too old to send Sec-Fetch-Site would let it through above; no navigation can set a header.
 */
const playerOnly: RequestHandler = (req, res, next) => {
  next(csrfTokenMatches(res.locals, req.get("x-csrf-token")) ? undefined : new ScormRefusal("csrf.invalid", "Reading a SCO's state needs this session's anti-forgery token (X-CSRF-Token)", 403, SCORM12_ERRORS.general));
};

/**
 * Any logged-in person may call these routes; the services then allow only the attempt's own
 * person (a preview attempt's author included). Not logged in: 401 in SCORM form, never the
 * login page's redirect, which a beacon or XHR cannot follow; the player tells the learner.
 */
const loggedIn: RequestHandler = (_req, res, next) => {
  next(res.locals.user ? undefined : new ScormRefusal("auth.required", "Log in first: the session has ended", 401, SCORM12_ERRORS.general));
};

const json = express.json({ limit: "1mb" });
// sendBeacon can set no header, so the player's last commit comes as text/plain JSON.
const beaconText = express.text({ type: "text/plain", limit: "1mb" });

const commitBody: RequestHandler = (req, res, next) => {
  json(req, res, (error?: unknown) => {
    if (error) return next(error);
    beaconText(req, res, (textError?: unknown) => {
      if (textError || typeof req.body !== "string") return next(textError);
      try {
        req.body = JSON.parse(req.body) as unknown;
        next();
      } catch {
        next(Object.assign(new SyntaxError("The body is not valid JSON"), { status: 400, type: "entity.parse.failed" }));
      }
    });
  });
};

/** A write must carry the session's anti-forgery token: as X-CSRF-Token, or `_csrf` in a beacon's body. */
const sameSession: RequestHandler = (req, res, next) => {
  const token = req.get("x-csrf-token") ?? (req.body as { _csrf?: unknown } | undefined)?._csrf;
  next(csrfTokenMatches(res.locals, token) ? undefined : new ScormRefusal("csrf.invalid", "The commit did not carry this session's anti-forgery token (_csrf or X-CSRF-Token)", 403, SCORM12_ERRORS.general));
};

const user = (locals: Record<string, unknown>) => {
  const { personId, accountId } = locals.user as { personId: number; accountId: number };
  return { personId, accountId, sessionId: (locals as SessionLocals).sessionId };
};

function target(req: Request): { attemptId: number; scoId: string } {
  const attemptId = Number(req.params.attemptId);
  if (!isRowId(attemptId)) throw new ScormRefusal("not_found", "That attempt was not found", 404, SCORM12_ERRORS.general);
  const scoId = String(req.params.scoId);
  // No manifest identifier holds a NUL (XML cannot), and PostgreSQL fails the whole query that
  // compares text with one: found before the batch reads the SCO's row.
  if (scoId.includes("\u0000")) throw new ScormRefusal("not_found", `The course has no SCO ${JSON.stringify(scoId)}`, 404, SCORM12_ERRORS.general);
  return { attemptId, scoId };
}

/** Every refusal on /runtime/ in SCORM's form: { result: false, errorCode, errorMessage }. */
export function runtimeErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, body } = scormAnswer(error);
    if (status >= 500) logger.error({ err: error, method: req.method, url: loggableUrl(req.originalUrl) }, "runtime request failed");
    else logger.info({ method: req.method, url: loggableUrl(req.originalUrl), statusCode: status, code: (error as { code?: unknown }).code }, "runtime request refused");
    res.set("Cache-Control", "no-store");
    if (status === 503) res.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    answer(res, status, body);
  };
}

function scormAnswer(error: unknown): { status: number; body: CommitResponse } {
  const refuse = (status: number, errorMessage: string, errorCode: number = SCORM12_ERRORS.general) => ({ status, body: { result: false, errorCode, errorMessage } });
  if (error instanceof ScormRefusal) {
    const answer = refuse(error.status, error.message, error.scormErrorCode);
    return error.details.length ? { ...answer, body: { ...answer.body, errorDetails: error.details.join("\n") } } : answer;
  }
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === "entity.too.large") return refuse(413, "commit too large: a commit may be at most 1 MB");
  if (type === "entity.parse.failed") return refuse(400, "malformed commit: the body is not valid JSON");
  if (error instanceof AppError) return refuse(error.status, error.message);
  if (typeof status === "number" && status >= 400 && status < 500) return refuse(status, (error as Error).message);
  if (isDatabaseUnavailable(error)) return refuse(503, "The database is busy or restarting: the commit was not stored, and nothing of it was kept; the player sends it again.");
  if (isOutOfSpace(error)) return refuse(507, "The server is out of disk space: the commit was not stored, and nothing of it was kept; the player sends it again.");
  return refuse(500, "The commit could not be stored. Nothing of it was kept; the player may send it again.");
}
