import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createClock } from "../../server/clock.ts";
import { subscribe } from "../../server/learning/subscriptions.ts";
import { creditEarnedAttempts } from "../../server/learning/credit-service.ts";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { buildAttempt } from "../support/attempts.ts";
import { pdfPages } from "../support/pdf.ts";
import { logIn, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { expectAccessible } from "./accessibility.ts";

const CERTIFICATION = "297 Core Skills - Fire Safety - 1 Year";
const ASSESSMENT = "297 Fire Safety - eAssessment";
const DEMO_LEARNER = { name: "Conroy, Emma", username: "297ECONROY01", password: "core-skills-demo", employeeNumber: "20000123" };

/**
 * The "download a certificate for a completed certification, in the browser": the demo
 * learner downloads hers from the certification page, reads it, and anyone checks its code.
 */
describe("certificates, in the browser", () => {
  let servers: LmsServers;
  let browser: Browser;
  let certificationId: number;

  withLmsAndBrowser(["fire-safety-eassessment"], (started) => ({ servers, browser } = started), 120_000);
  beforeAll(async () => {
    // Fixed dates: the app holds this very clock object, so it reads these from now on.
    Object.assign(servers.clock, createClock("2026-03-03T09:00:00.000Z"));

    // The demo trust's Fire Safety certification: passing its eAssessment satisfies Part 1.
    const db = servers.db;
    const learner = await buildLearner(db, servers.clock, { ...DEMO_LEARNER, email: "emma.conroy@example.org", dob: "1988-04-12" });
    await db("organisations").where({ vpd: "297" }).update({ name: "Demo NHS Foundation Trust" });
    ({ certificationId } = await buildCertification(db, {
      name: CERTIFICATION,
      competency: "NHS|CSTF|Fire Safety - 1 Year|",
      validDays: 365,
      completeWithinDays: 365,
      components: [{ courseCode: "297 Fire Safety - Part 1", satisfiedBy: ASSESSMENT }, { courseCode: ASSESSMENT, requires: "pass" }],
    }));
    // Subscribed on the 1st, passed the eAssessment on the 2nd: crediting completes the certification.
    await subscribe(db, createClock("2026-03-01T09:00:00.000Z"), { personId: learner.personId }, certificationId);
    const attemptId = await buildAttempt({ db, personId: learner.personId, courseVersionId: servers.versions.get(ASSESSMENT)!, startedAt: "2026-03-02T10:00:00.000Z" });
    await db("attempts").where({ id: attemptId }).update({ performance_status: "Passed", score_scaled: 0.9, completed_at: "2026-03-02T10:20:00.000Z", last_commit_at: "2026-03-02T10:20:00.000Z" });
    await db.transaction((trx) => creditEarnedAttempts(trx, [{ id: attemptId, personId: learner.personId }], "2026-03-02T10:20:00.000Z"));
  }, 120_000);

  it("downloads the certificate from the certification page, and anyone confirms its code on the verification page", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, servers, DEMO_LEARNER);
    await page.goto(`${servers.lmsUrl}/learning/certifications/${certificationId}`);
    await page.getByText("Completed on 02-Mar-2026.").waitFor();
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download certificate" }).click()]);
    expect(download.suggestedFilename()).toBe("certificate-297-core-skills-fire-safety-1-year.pdf");
    const pdf = fs.readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const [text] = await pdfPages(pdf);
    const code = /Verification code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text!)?.[1];
    expect(code).toBeDefined();
    for (const words of ["Demo NHS Foundation Trust", "This is to certify that Emma Conroy", "Employee Number 20000123", `has completed the learning certification ${CERTIFICATION}`, "Competence Level 1 - Assessed", "Completed on 02-Mar-2026", "Expiry date 02-Mar-2027", `${servers.lmsUrl}/verify/${code}`]) {
      expect(text).toContain(words);
    }
    await context.close();

    // Someone checking it is not logged in: they open the page, type the code as they read it, and press Check.
    const checker = await browser.newContext();
    const verify = await checker.newPage();
    await verify.goto(`${servers.lmsUrl}/verify`);
    await verify.getByRole("heading", { name: "Check a certificate", level: 1 }).waitFor();
    await expectAccessible(verify);
    await verify.getByLabel("Verification code").fill(code!.toLowerCase().replace(/-/g, " "));
    await verify.getByRole("button", { name: "Check" }).click();
    await verify.getByRole("heading", { name: "This certificate is genuine" }).waitFor();
    const answer = await verify.locator(".nhsuk-summary-list__row").allInnerTexts();
    expect(answer.map((row) => row.replace(/\s+/g, " ").trim())).toEqual([
      "Name Emma Conroy",
      "Employee Number 20000123",
      `Learning certification ${CERTIFICATION} NHS|CSTF|Fire Safety - 1 Year`,
      "Competence Level 1 - Assessed",
      "Completed on 02-Mar-2026",
      "Expiry Date 02-Mar-2027",
      "Today, 03-Mar-2026 Valid",
    ]);
    await expect.poll(() => verify.locator("body").innerText()).not.toContain("emma.conroy@example.org");
    await expectAccessible(verify);

    // A code that is not one of ours says so.
    await verify.getByLabel("Check another code").fill("ABCD-EFGH-JKLM-NPQR");
    await verify.getByRole("button", { name: "Check" }).click();
    await verify.getByRole("heading", { name: "Not a certificate issued here" }).waitFor();
    await expectAccessible(verify);
    await checker.close();
  }, 120_000);
});
