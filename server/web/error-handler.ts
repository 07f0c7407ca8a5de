import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import type { Logger } from "pino";
import { AppError, DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, isDatabaseUnavailable, isOutOfSpace, OUT_OF_SPACE } from "../errors.ts";
import { generateCsrfToken } from "./session.ts";
import { loggableUrl } from "./logging.ts";

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError("not_found", "The page you asked for does not exist. Check the address, or go to the portal.", 404));
};

/** One place decides how an error looks: JSON for API callers, a page for people. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, next) => {
    const error: unknown = asKnownFault(thrown);
    if (res.headersSent) {
      // Too late for an error page (e.g. the session could not be saved after the page was
      // sent): log it and let Express close the connection.
      logger.error({ err: error, url: loggableUrl(req.path) }, "request failed after the response started");
      return next(error);
    }
    const known = error instanceof AppError;
    const csrfRefused = (error as { code?: string }).code === "csrf.invalid" || (error as { code?: string }).code === "EBADCSRFTOKEN";
    const status = known ? error.status : csrfRefused ? 403 : Number((error as { status?: number }).status) || 500;
    const code = known ? error.code : csrfRefused ? "csrf.invalid" : status === 500 ? "internal" : "bad_request";
    const message =
      known || csrfRefused || (status < 500 && error instanceof Error)
        ? String((error as Error).message)
        : "Something went wrong on our side. Please try again.";
    // The path only: a query may carry a secret (the token of a reset link).
    if (status >= 500) logger.error({ err: error, url: loggableUrl(req.path) }, "request failed");
    // The message again in the list says nothing more.
    const details = known ? error.details.filter((detail) => detail !== message) : [];
    res.status(status);
    if (status === 503) res.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    if (req.accepts(["html", "json"]) === "json" || req.is("json")) {
      res.json({ error: { code, message, details } });
    } else {
      res.render("error", { status, heading: errorHeading(status, code), message, details, backTo: pageItCameFrom(req), ...signedInFrame(req, res.locals.user) });
    }
  };
}

/**
 * The error page's title and heading, in the NHS design system's words for its error pages: what
 * happened, for a person (a status number means nothing to staff). The message below says why.
 */
export function errorHeading(status: number, code: string): string {
  if (status === 404) return "Page not found";
  // A form refused for its expired anti-forgery value is not a matter of permission.
  if (status === 403 && code !== "csrf.invalid") return "You do not have permission to see this page";
  if (status === 503) return "Sorry, the service is unavailable";
  if (status >= 500) return "Sorry, there is a problem with the service";
  return "There is a problem";
}

/** A full disk (507) or a database busy or restarting (503): the server's state, said plainly, not a 500. */
function asKnownFault(thrown: unknown): unknown {
  if (isOutOfSpace(thrown)) return new AppError("storage.full", OUT_OF_SPACE, 507);
  if (isDatabaseUnavailable(thrown)) return new AppError("database.unavailable", DATABASE_UNAVAILABLE, 503);
  return thrown;
}

/**
 * The header of a logged-in page (Logged In As, Portal, Logout), when the error happened to a
 * logged-in person: Logout's form needs the session's anti-forgery value, which a request that
 * failed before its session was read cannot give; then the page has the logged-out header.
 */
function signedInFrame(req: Request, user: unknown): { user?: unknown; csrfToken?: string } {
  if (!user) return {};
  try {
    return { user, csrfToken: generateCsrfToken(req) };
  } catch {
    return {};
  }
}

/**
 * The page of this site the request came from (a form's page, when a POST is refused), so the
 * error page can offer the way back rather than only the portal. Another site's address is never
 * offered.
 */
function pageItCameFrom(req: Request): string | undefined {
  const referer = req.get("referer");
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    const path = from.pathname + from.search;
    return from.host === req.get("host") && path !== req.originalUrl ? path : undefined;
  } catch {
    return undefined;
  }
}
