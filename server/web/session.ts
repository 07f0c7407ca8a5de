import session from "express-session";
import { csrfSync } from "csrf-sync";
import type { Request, RequestHandler } from "express";
import { parse as parseCookies } from "cookie";
import type { Config } from "../config.ts";
import type { AppDeps } from "../deps.ts";
import type { SessionStore } from "./session-store.ts";
import type { Role } from "./roles.ts";

declare module "express-session" {
  interface SessionData {
    accountId: number;
    personId: number;
    username: string;
    role: Role;
    /** When the learner logged in: the absolute session limit counts from here. */
    loggedInAt: number;
  }
}

export const CSRF_REFUSAL = "The form has expired or did not come from this site. Go back, reload and try again.";

export const SESSION_IDLE_MS = 30 * 60 * 1000;

export const SESSION_COOKIE = "lms.sid";

export function sessionCookieOptions(config: Config) {
  return { httpOnly: true, sameSite: "lax", secure: config.publicUrl.startsWith("https:"), maxAge: SESSION_IDLE_MS, path: "/" } as const;
}

/** Sessions live in the database, so any app process can serve any request. */
export function sessionMiddleware({ config, sessionSecret }: AppDeps, store: SessionStore): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: sessionCookieOptions(config),
  });
}

/**
 * The upload forms: multipart posts whose body multer reads inside the route, after the check
 * below would have run. A form without script cannot set a header, and a token in its action URL
 * would sit in the address bar, the history and proxy logs; so on these routes alone the check
 * waits until the form has been read, and uploads.ts makes it then. A multipart post to any
 * other route has no parsed body here and is refused without its header.
 */
const UPLOAD_FORMS = [/^\/author\/courses\/upload$/, /^\/compliance\/records$/, /^\/admin\/people\/\d+\/records(\/import)?$/, /^\/admin\/people\/upload$/];

function isUploadForm(req: Request): boolean {
  return req.method === "POST" && Boolean(req.is("multipart/form-data")) && req.headers["x-csrf-token"] === undefined && UPLOAD_FORMS.some((route) => route.test(req.path));
}

/**
 * Where a visitor's anti-forgery token is kept. Logged in: in the session. Not logged in (Log in,
 * Forgotten, the emailed links, Verify): in a cookie of its own, the form echoing it (double
 * submit). Kept in the session, it made every cookie-less request for the log in page a row of the
 * sessions table: an outside review made 300 rows with 300 requests, and a script could have
 * filled the database without an account. Under https the cookie is `__Host-` prefixed, so no
 * other host of the trust's domain (a content origin on a sibling host included) can set it.
 */
const VISITOR_TOKEN_COOKIE = "lms.csrf";
const visitorTokens = new WeakMap<Request, string>();

function isLoggedIn(req: Request): boolean {
  return req.session?.accountId !== undefined;
}

function visitorCookie(req: Request): { name: string; secure: boolean } {
  const secure = String(req.app.locals.publicUrl ?? "").startsWith("https:");
  return { name: secure ? `__Host-${VISITOR_TOKEN_COOKIE}` : VISITOR_TOKEN_COOKIE, secure };
}

function tokenInState(req: Request): string | undefined {
  if (isLoggedIn(req)) return req.session.csrfToken ?? undefined;
  // One set earlier in this request (the cookie is not in the request yet), else the cookie's.
  return visitorTokens.get(req) ?? parseCookies(req.headers.cookie ?? "")[visitorCookie(req).name];
}

function storeToken(req: Request, token?: string | null): void {
  if (isLoggedIn(req)) {
    req.session.csrfToken = token;
    return;
  }
  const { name, secure } = visitorCookie(req);
  if (token == null) {
    visitorTokens.delete(req);
    req.res?.clearCookie(name, { path: "/" });
    return;
  }
  visitorTokens.set(req, token);
  req.res?.cookie(name, token, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

const csrf = csrfSync({
  getTokenFromState: tokenInState,
  storeTokenInState: storeToken,
  // Forms post the token as a field; scripts send it as a header.
  getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers["x-csrf-token"] as string | undefined),
  skipCsrfProtection: isUploadForm,
  errorConfig: { statusCode: 403, message: CSRF_REFUSAL, code: "csrf.invalid" },
});

export const generateCsrfToken = csrf.generateToken;

/** After multer has read an upload form: whether its `_csrf` field matches the session's token. */
export function uploadFormTokenValid(req: Request): boolean {
  return !isUploadForm(req) || csrf.isRequestValid(req);
}

export const csrfMiddleware = (): RequestHandler => csrf.csrfSynchronisedProtection;
