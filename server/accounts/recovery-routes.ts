import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { anyone, requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { AppError } from "../errors.ts";
import { dateProblem, FormRefusal, ProblemList, type Problem } from "../problems.ts";
import type { MailDelivery } from "../mail/index.ts";
import { throttle } from "../web/throttle.ts";
import { RECOVERY_THROTTLE } from "./limits.ts";
import { requestReset, requestUnlock, requestUsername, type RecoveryDeps } from "./recovery.ts";
import { accountForLink, changePassword, resetPassword, unlockWithLink } from "./password-changes.ts";
import { rememberDevice } from "./known-devices.ts";

/**
 * The guide's "Forgotten | Request Username/Password | Unlock Account" page and the pages its
 * emails link to, and Change password for someone logged in.
 */
export function recoveryRoutes(deps: AppDeps & { mail: MailDelivery }): Router {
  const { db, clock, config, logger, mail, sessionSecret } = deps;
  const secure = config.publicUrl.startsWith("https:");
  const router = Router();
  const recovery: RecoveryDeps = { db, clock, publicUrl: config.publicUrl };
  const counted = throttle(db, clock, RECOVERY_THROTTLE);
  // Too many requests from one network: the Forgotten page again, the wait beside the form's first field (still 429, with Retry-After).
  const limited = (field: string) => (req: Request, res: Response, next: (error?: unknown) => void) =>
    counted(req, res, (error?: unknown) => (error instanceof AppError && error.status === 429 ? forgotten(req, res, 429, [{ field, message: error.message }]) : next(error)));
  const forgotten = (req: Request, res: Response, status: number, problems: Problem[] = [], values: Record<string, string> = {}) =>
    res.status(status).render("account/forgotten", { csrfToken: generateCsrfToken(req), problems, values });

  /**
   * Answers at once, the same words whatever was asked, and only then looks for a match and
   * queues any email: the answer, and how long it takes, say nothing about who has an account.
   */
  const answerThen = (res: Response, work: () => Promise<unknown>) => {
    res.once("finish", () => {
      const job = work()
        .then(() => mail.kick())
        .catch((error) => logger.error({ err: error }, "account recovery request failed"));
      // Kept where tests can wait for it (nothing else reads it).
      const jobs: Set<Promise<void>> = (res.app.locals.recoveryJobs ??= new Set());
      jobs.add(job);
      void job.finally(() => jobs.delete(job));
    });
    res.render("account/requested");
  };

  router.get("/forgotten", anyone, (req, res) => forgotten(req, res, 200));

  router.post("/forgotten/username", anyone, limited("lookup-email"), (req, res) => {
    const values = { email: field(req, "email"), day: field(req, "day"), month: field(req, "month"), year: field(req, "year") };
    const problems = new ProblemList();
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email)) problems.add("lookup-email", "Enter your email address, like first.last@domain.com");
    const dateOfBirth = dateFrom(values.day, values.month, values.year);
    if (typeof dateOfBirth !== "string") problems.add("dob-day", dateOfBirth.problem);
    if (!problems.empty) return forgotten(req, res, 400, problems.problems, values);
    answerThen(res, () => requestUsername(recovery, { email: values.email, dateOfBirth: dateOfBirth as string, ip: req.ip ?? null }));
  });

  router.post("/forgotten/password", anyone, limited("reset-username"), (req, res) => {
    const username = field(req, "username");
    if (!username) return forgotten(req, res, 400, [{ field: "reset-username", message: "Enter your username to reset your password" }]);
    answerThen(res, () => requestReset(recovery, { username, ip: req.ip ?? null }));
  });

  router.post("/forgotten/unlock", anyone, limited("unlock-username"), (req, res) => {
    const username = field(req, "username");
    const email = field(req, "email");
    const problems = new ProblemList();
    if (!username) problems.add("unlock-username", "Enter your username to unlock your account");
    if (!email) problems.add("unlock-email", "Enter your email address to unlock your account");
    if (!problems.empty) return forgotten(req, res, 400, problems.problems, { unlockUsername: username, unlockEmail: email });
    answerThen(res, () => requestUnlock(recovery, { username, email, ip: req.ip ?? null }));
  });

  // The links from the emails. Opening one changes nothing (mail scanners open links); the form does.
  // Their forms are not limited per address like the Forgotten page's: the token is what they
  // need, and no one guesses it, while a hospital address that used up its Forgotten requests
  // must not keep its staff from the links that let their browsers in.
  router.get("/account/reset", anyone, async (req, res) => {
    const token = String(req.query.token ?? "");
    const link = await linkOrProblem(res, () => accountForLink(db, clock, token, "reset"));
    if (link) res.render("account/reset", { csrfToken: generateCsrfToken(req), token, username: link.username, problems: [] });
  });

  router.post("/account/reset", anyone, async (req, res) => {
    const token = field(req, "token");
    try {
      const reset = await resetPassword(db, clock, { token, password: String(req.body.password ?? ""), confirm: String(req.body.confirm ?? ""), ip: req.ip ?? null, secret: sessionSecret });
      // The link proved the mailbox is the owner's: this browser logs in even while others guess.
      rememberDevice(req, res, sessionSecret, reset.accountId, secure);
      res.redirect(303, "/login?reset=1");
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code.startsWith("accounts.link_")) return res.status(400).render("account/link-problem", { message: error.message });
      const link = await accountForLink(db, clock, token, "reset");
      res.status(400).render("account/reset", { csrfToken: generateCsrfToken(req), token, username: link.username, problems: problemsOf(error, "password") });
    }
  });

  router.get("/account/unlock", anyone, async (req, res) => {
    const token = String(req.query.token ?? "");
    const link = await linkOrProblem(res, () => accountForLink(db, clock, token, "unlock"));
    if (link) res.render("account/unlock", { csrfToken: generateCsrfToken(req), token, username: link.username });
  });

  router.post("/account/unlock", anyone, async (req, res) => {
    const unlocked = await linkOrProblem(res, () => unlockWithLink(db, clock, { token: field(req, "token"), ip: req.ip ?? null, secret: sessionSecret }));
    if (!unlocked) return;
    // Guessing from many places may lock the account again at once; the browser that followed
    // the emailed link is the owner's, and is known to the account from now on (known-devices.ts).
    rememberDevice(req, res, sessionSecret, unlocked.accountId, secure);
    res.redirect(303, "/login?unlocked=1");
  });

  router.get("/account/password", requireLogin, (req, res) => {
    res.render("account/change-password", { user: res.locals.user, csrfToken: generateCsrfToken(req), problems: [], notice: req.query.changed ? "Your password has been changed." : undefined });
  });

  // Wrong current passwords lock the account after LOCKOUT_THRESHOLD and end its sessions
  // (password-changes.ts): a guesser on a stolen session gets no further than that.
  router.post("/account/password", requireLogin, async (req, res) => {
    try {
      await changePassword(db, clock, {
        accountId: req.session.accountId!,
        sessionId: req.sessionID,
        current: String(req.body.current ?? ""),
        password: String(req.body.password ?? ""),
        confirm: String(req.body.confirm ?? ""),
        ip: req.ip ?? null,
      }, config.lockout);
      res.redirect(303, "/account/password?changed=1");
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(400).render("account/change-password", { user: res.locals.user, csrfToken: generateCsrfToken(req), problems: problemsOf(error, "current"), notice: undefined });
    }
  });

  return router;
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value.trim().slice(0, 300) : "";
}

/** YYYY-MM-DD from the three boxes, or the design system's words for what is wrong with them. */
function dateFrom(day: string, month: string, year: string): string | { problem: string } {
  if (!day && !month && !year) return { problem: "Enter your date of birth" };
  const missing = [!day && "a day", !month && "a month", !year && "a year"].filter(Boolean);
  if (missing.length) return { problem: `Date of birth must include ${missing.join(" and ")}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { problem: "Date of birth must be numbers: day, month and year, like 15 3 1984" };
  const text = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const problem = dateProblem(text, "Date of birth");
  return problem ? { problem } : text;
}

/** A refused form's problems, each on its field; any other refusal is put on `field`. */
function problemsOf(error: AppError, field: string): Problem[] {
  return error instanceof FormRefusal ? error.problems : [{ field, message: error.message }];
}

/** Runs `work`; a problem with the link is shown on its own page (400) and gives undefined. */
async function linkOrProblem<T>(res: Response, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError) || !error.code.startsWith("accounts.link_")) throw error;
    res.status(400).render("account/link-problem", { message: error.message });
    return undefined;
  }
}
