import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { anyone, requireLogin, requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate } from "../format.ts";
import { notFound } from "../errors.ts";
import { plainLetters } from "../format.ts";
import { throttle, type ThrottleRule } from "../web/throttle.ts";
import { groupedCode, normaliseCode } from "./codes.ts";
import { certificatePdf } from "./pdf.ts";
import { certificateFor, verifyCertificate, type Certificate } from "./service.ts";
import type { CertificateSubject } from "./store.ts";

/**
 * Checking codes: generous for an employer checking a pile of certificates, and though a code has
 * 80 random bits, guessing at speed is stopped as at log in (counted per address in the database).
 */
export const VERIFY_THROTTLE: ThrottleRule = { action: "verify", limit: 60, windowMinutes: 15 };

/**
 * Certificates: a learner downloads their own (a completed certification, from its page; a
 * completed course, from My e-Learning or its result page), L&D anyone's (from Verify a learner);
 * anyone, logged in or not, checks a code on /verify.
 */
export function certificateRoutes({ db, clock, config }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  const download = async (req: Request, res: Response, subject: CertificateSubject, own: boolean) => {
    const user = res.locals.user as { personId: number; accountId: number };
    const certificate = await certificateFor(db, clock, subject, { ...(own ? { ownerPersonId: user.personId } : {}), actorAccountId: user.accountId, ip: req.ip ?? null });
    const pdf = await certificatePdf(certificate, verifyUrl(certificate.code), clock.now());
    res.attachment(fileName(certificate)).type("application/pdf").set("Cache-Control", "no-store").send(pdf);
  };
  const verifyUrl = (code: string) => `${config.publicUrl}/verify/${groupedCode(code)}`;
  const id = (req: Request, name: string) => {
    const value = Number(req.params[name]);
    if (!isRowId(value)) throw notFound(name === "subscriptionId" ? "That certification" : "That course attempt");
    return value;
  };

  router.get("/learning/subscriptions/:subscriptionId/certificate", requireLogin, async (req, res) => {
    await download(req, res, { kind: "certification", subscriptionId: id(req, "subscriptionId") }, true);
  });
  router.get("/learning/attempts/:attemptId/certificate", requireLogin, async (req, res) => {
    await download(req, res, { kind: "course", attemptId: id(req, "attemptId") }, true);
  });
  router.get("/admin/subscriptions/:subscriptionId/certificate", admin, async (req, res) => {
    await download(req, res, { kind: "certification", subscriptionId: id(req, "subscriptionId") }, false);
  });
  router.get("/admin/attempts/:attemptId/certificate", admin, async (req, res) => {
    await download(req, res, { kind: "course", attemptId: id(req, "attemptId") }, false);
  });

  // The public check: the form, and the answer for a code in the address (the form sends ?code=).
  const counted = throttle(db, clock, VERIFY_THROTTLE);
  const answer = async (req: Request, res: Response, typed: string) => {
    const result = await verifyCertificate(db, typed, clock.today());
    // Whether a certificate is still valid changes with the date; and a code is nobody's to index.
    res.set({ "Cache-Control": "no-store", "X-Robots-Tag": "noindex" }).status(result.found ? 200 : 404);
    // A code that cannot be one (too short, letters a code never has) is also the field's problem: what to type instead.
    const problems = normaliseCode(typed) ? [] : [{ field: "code", message: CODE_SHAPE_PROBLEM }];
    res.render("certificates/verify", { user: res.locals.user, csrfToken: generateCsrfToken(req), result, typed, today: clock.today(), guideDate, groupedCode, problems });
  };
  const typedIn = (req: Request) => (typeof req.query.code === "string" ? req.query.code : "");
  // The bare page is the form; Check pressed with the box empty (?code=) is told to enter one.
  const formUnlessCode = (req: Request, res: Response, next: () => void) => {
    if (typedIn(req).trim()) return next();
    const problems = req.query.code === undefined ? [] : [{ field: "code", message: "Enter the verification code, as printed on the certificate" }];
    res.status(problems.length ? 400 : 200).render("certificates/verify", { user: res.locals.user, csrfToken: generateCsrfToken(req), result: null, typed: "", today: clock.today(), guideDate, groupedCode, problems });
  };
  router.get("/verify", anyone, formUnlessCode, counted, async (req, res) => {
    await answer(req, res, typedIn(req));
  });
  router.get("/verify/:code", anyone, counted, async (req, res) => {
    await answer(req, res, String(req.params.code));
  });

  return router;
}

/** certificate-297-core-skills-fire-safety-1-year.pdf: plain letters, so every browser keeps the name. */
function fileName(certificate: Certificate): string {
  const slug = plainLetters(certificate.title).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
  return `certificate-${slug || certificate.kind}.pdf`;
}

const CODE_SHAPE_PROBLEM = "A verification code has 16 letters and digits, in four groups of four, like ABCD-EFGH-JKLM-NPQR";
