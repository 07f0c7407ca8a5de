import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from "express";
import type { Logger } from "pino";
import type { AppDeps } from "../web/app.ts";
import { AppError } from "../errors.ts";
import type { CommitResponse } from "./contract.ts";
import { SCORM12_ERRORS, ScormRefusal } from "./scorm-errors.ts";
import { createRuntimeWriter } from "./runtime-writer.ts";

/**
 * The runtime's HTTP surface (contract.ts): the player window reads a SCO's state and commits its
 * CMI. Both answer JSON in SCORM's own form, refusals included (see runtimeErrorHandler), because
 * scorm-again's response handlers read { result, errorCode }.
 *
 * Body parsing happens before the router: application/json in the app, and the text/plain JSON
 * of sendBeacon commits in the CSRF middleware (server/web/session.ts), so that the `_csrf`
 * inside a beacon body is checked like any other token. Both are limited to 1 MB.
 *
 * Returned with its error handler, to be mounted with one `app.use(...)`: errors raised before
 * the router (body too large, malformed JSON, CSRF refused) reach that handler too.
 */
export function runtimeRoutes({ db, clock, logger }: AppDeps): [Router, ErrorRequestHandler] {
  const router = Router();
  const writer = createRuntimeWriter(db, clock);
  router.use("/runtime/", fromThisOriginOnly);

  router.get("/runtime/attempts/:attemptId/scos/:scoId/state", loggedIn, async (req, res) => {
    const state = await writer.state({ ...target(req), personId: user(res.locals).personId });
    res.set("Cache-Control", "no-store").json(state);
  });

  router.post("/runtime/attempts/:attemptId/scos/:scoId/commit", loggedIn, async (req, res) => {
    const { personId, accountId } = user(res.locals);
    const answer = await writer.commit({ ...target(req), request: req.body, personId, accountId, ip: req.ip ?? null });
    res.set("Cache-Control", "no-store").json(answer);
  });

  router.post("/runtime/attempts/:attemptId/sequencing-state", loggedIn, async (req, res) => {
    const { attemptId } = target(req);
    const answer = await writer.sequencingState({ attemptId, personId: user(res.locals).personId, body: req.body });
    res.set("Cache-Control", "no-store").json(answer);
  });

  return [router, runtimeErrorHandler(logger)];
}

/**
 * Only the player window, on the LMS's own origin, calls the runtime. A browser says where a
 * request comes from (Sec-Fetch-Site, which page script cannot set): course content on the
 * content origin is "cross-site", or "same-site" when the two hosts share a site; either way it
 * must not ride the learner's session, not even to start a session with a GET. Clients that send
 * no such header (older browsers, tools) are left to the session and CSRF checks.
 */
const fromThisOriginOnly: RequestHandler = (req, _res, next) => {
  const site = req.get("sec-fetch-site");
  next(site === undefined || site === "same-origin" ? undefined : new ScormRefusal("forbidden", "The runtime answers the player window only", 403, SCORM12_ERRORS.general));
};

/**
 * Any logged-in person may call these routes; the services then allow only the attempt's own
 * person (a preview attempt's author included). Not logged in: 401 in SCORM form, never the
 * login page's redirect, which a beacon or XHR cannot follow.
 */
const loggedIn: RequestHandler = (_req, res, next) => {
  next(res.locals.user ? undefined : new ScormRefusal("auth.required", "Log in first: the session has ended", 401, SCORM12_ERRORS.general));
};

const user = (locals: Record<string, unknown>) => locals.user as { personId: number; accountId: number };

function target(req: Request): { attemptId: number; scoId: string } {
  const attemptId = Number(req.params.attemptId);
  if (!Number.isSafeInteger(attemptId) || attemptId < 1) throw new ScormRefusal("not_found", "That attempt was not found", 404, SCORM12_ERRORS.general);
  return { attemptId, scoId: String(req.params.scoId) };
}

/** Every refusal on /runtime/ in SCORM's form: { result: false, errorCode, errorMessage }. */
export function runtimeErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!req.path.startsWith("/runtime/") || res.headersSent) return next(error);
    const { status, body } = scormAnswer(error, Boolean(req.session?.accountId));
    if (status >= 500) logger.error({ err: error, url: req.originalUrl }, "runtime request failed");
    res.status(status).set("Cache-Control", "no-store").json(body);
  };
}

function scormAnswer(error: unknown, loggedIn: boolean): { status: number; body: CommitResponse } {
  const refuse = (status: number, errorMessage: string, errorCode: number = SCORM12_ERRORS.general) => ({ status, body: { result: false, errorCode, errorMessage } });
  if (error instanceof ScormRefusal) {
    const answer = refuse(error.status, error.message, error.scormErrorCode);
    return error.details.length ? { ...answer, body: { ...answer.body, errorDetails: error.details.join("\n") } } : answer;
  }
  const { type, status, code } = (error ?? {}) as { type?: string; status?: number; code?: string };
  if (type === "entity.too.large") return refuse(413, "commit too large: a commit may be at most 1 MB");
  if (type === "entity.parse.failed") return refuse(400, "malformed commit: the body is not valid JSON");
  if (code === "csrf.invalid" || code === "EBADCSRFTOKEN") {
    // Without a session there is no token to match: the session ended, which the player tells apart.
    if (!loggedIn) return refuse(401, "Log in first: the session has ended");
    return refuse(403, "The commit did not carry this session's anti-forgery token (_csrf or X-CSRF-Token)");
  }
  if (error instanceof AppError) return refuse(error.status, error.message);
  if (typeof status === "number" && status >= 400 && status < 500) return refuse(status, (error as Error).message);
  return refuse(500, "The commit could not be stored. Nothing of it was kept; the player may send it again.");
}
