import { Router, type Request } from "express";
import type { Db } from "../db/connect.ts";
import { sessionStoreOf } from "../web/session-store.ts";
import type { AppDeps } from "../deps.ts";
import { generateCsrfToken } from "../web/session.ts";
import { anyone, requireLogin } from "../web/auth.ts";
import { ProblemList } from "../problems.ts";
import { AppError } from "../errors.ts";
import { logIn } from "./service.ts";
import { createAccountStore, type Account } from "./store.ts";
import { recordAudit } from "../audit/index.ts";
import { failureLimit } from "../web/throttle.ts";
import { loginFailuresPerAddress } from "./limits.ts";
import { knownAccounts, rememberDevice } from "./known-devices.ts";

/** Log in and out. */
export function accountRoutes({ db, clock, config, sessionSecret }: AppDeps): Router {
  const router = Router();
  // Log in's reads (the address's failures, the account, this source's wait) stay on db. Read
  // beside the writer (db/connect.ts's readsOf) they made log in faster but the commits slower:
  // in bench:load runs of the builds side by side, commit p99 worse than with them on the writer
  // in three of four (three builds at once: commit 273 ms against 187, state 303 against 185),
  // likely as the reads took libuv's threads (four, shared with the writer's statements) and cores.
  const failuresFromAddress = failureLimit(db, clock, loginFailuresPerAddress(config.loginFailuresPerAddress));
  const secure = config.publicUrl.startsWith("https:");
  /** Whether this browser has logged in before to the account the username names. */
  const knownToAccount = async (req: Request, username: string): Promise<boolean> => {
    const known = knownAccounts(req, sessionSecret);
    if (known.length === 0) return false;
    const account = await createAccountStore(db).findByUsername(username);
    return account !== undefined && known.includes(account.id);
  };

  router.get("/login", anyone, (req, res) => {
    if (res.locals.user) return res.redirect("/");
    res.render("login", {
      csrfToken: generateCsrfToken(req),
      next: safeNext(req.query.next),
      username: "",
      problems: [],
      notice: req.query.loggedOut
        ? "You have logged out."
        : req.query.reset
          ? "Your password has been changed, and you have been logged out everywhere. Log in with your new password."
          : req.query.unlocked
            ? "Your account is unlocked. Log in with your password."
            : undefined,
    });
  });

  router.post("/login", anyone, async (req, res, next) => {
    const username = String(req.body.username ?? "");
    const password = String(req.body.password ?? "");
    const target = safeNext(req.body.next);
    const missing = new ProblemList();
    if (!username.trim()) missing.add("username", "Enter your username");
    if (!password) missing.add("password", "Enter your password");
    if (!missing.empty) {
      res.status(400).render("login", { csrfToken: generateCsrfToken(req), next: target, username, problems: missing.problems, notice: undefined });
      return;
    }
    try {
      // An address with too many wrong log ins waits, and an account under spread guessing is
      // locked, except for a browser known to this account (known-devices.ts).
      const knownBrowser = await knownToAccount(req, username);
      const waiting = await failuresFromAddress.refusal(req, res);
      if (waiting && !knownBrowser) throw waiting;
      res.removeHeader("Retry-After");
      const sessions = sessionStoreOf(req);
      // A new session id at login defeats session fixation (startIn); its row is written in the
      // login's own transaction, with its anti-forgery token, so that the first page after log
      // in has nothing to write either.
      const startSession = (trx: Db, account: Account) =>
        sessions.startIn(trx, req, (session) => {
          session.accountId = account.id;
          session.personId = account.personId;
          session.username = account.username;
          session.role = account.role;
          session.loggedInAt = Date.now();
          generateCsrfToken(req, true);
        });
      const account = await logIn(db, clock, { username, password, ip: req.ip, knownBrowser }, { secret: sessionSecret, lockout: config.lockout, inLoginTransaction: startSession }).catch(async (error: unknown) => {
        if (error instanceof AppError && error.status === 401) await failuresFromAddress.count(req);
        else if (!(error instanceof AppError)) sessions.dropUnsaved(req);
        throw error;
      });
      rememberDevice(req, res, sessionSecret, account.id, secure);
      res.redirect(target);
    } catch (error) {
      if (!(error instanceof AppError)) return next(error);
      // A wrong password is the password's problem; a lock or a wait is the account's (its username).
      const field = error.status === 401 ? "password" : "username";
      res.status(error.status).render("login", { csrfToken: generateCsrfToken(req), next: target, username, problems: [{ field, message: error.message }], notice: undefined });
    }
  });

  // The session ends in the same transaction as its audit: ended (its row gone) before the answer.
  router.post("/logout", requireLogin, async (req, res) => {
    const { accountId, personId } = req.session;
    const sessions = sessionStoreOf(req);
    await db.transaction(async (trx) => {
      await recordAudit(trx, { kind: "logout", at: clock.now().toISOString(), actorAccountId: accountId, personId, ip: req.ip });
      await sessions.endIn(trx, req);
    });
    res.clearCookie("lms.sid");
    res.redirect("/login?loggedOut=1");
  });

  return router;
}

/** Only local paths, so a crafted link cannot bounce a learner to another site after login. */
function safeNext(value: unknown): string {
  const text = typeof value === "string" ? value : "";
  return text.startsWith("/") && !text.startsWith("//") && !text.startsWith("/\\") ? text : "/";
}
