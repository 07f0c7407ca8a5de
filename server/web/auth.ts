import type { RequestHandler } from "express";
import type { SessionData } from "express-session";
import { roleAllows, type Role } from "./roles.ts";
import { AppError } from "../errors.ts";

export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export interface SignedInUser {
  accountId: number;
  personId: number;
  username: string;
  role: Role;
}

/** A session older than SESSION_ABSOLUTE_MS has ended, however busy it has been. */
export function pastAbsoluteLimit(session: Partial<SessionData>): boolean {
  return Boolean(session.accountId && session.loggedInAt && Date.now() - session.loggedInAt > SESSION_ABSOLUTE_MS);
}

export function signedInUser(session: Pick<SessionData, keyof SignedInUser>): SignedInUser {
  return { accountId: session.accountId, personId: session.personId, username: session.username, role: session.role };
}

/** Makes the signed-in user known to views; ends sessions past their absolute limit. */
export const loadUser: RequestHandler = (req, res, next) => {
  const session = req.session;
  if (session && pastAbsoluteLimit(session)) {
    session.destroy(() => next());
    return;
  }
  res.locals.user = session?.accountId ? signedInUser(session as SessionData) : undefined;
  next();
};

/** Every route states who may use it; a route without one of these is a bug. */
export function requireRole(role: Role): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user as { role: Role } | undefined;
    if (!user) {
      if (req.accepts(["html", "json"]) === "json") {
        next(new AppError("auth.required", "Log in first", 401));
      } else {
        res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      return;
    }
    if (!roleAllows(user.role, role)) {
      next(new AppError("forbidden", "You do not have permission to do that", 403));
      return;
    }
    next();
  };
}

export const requireLogin = requireRole("learner");
export const anyone: RequestHandler = (_req, _res, next) => next();
