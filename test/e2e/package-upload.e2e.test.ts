// The package upload page with its script (/assets/upload.js) in real Chromium: the zip goes up
// with a progress bar and the validation report appears on the page, in the same words as the
// page the server renders without script (test/packages/author-routes.test.ts).
import { describe, expect, it, vi } from "vitest";
import type { Browser } from "playwright-core";
import { buildZip } from "../support/build-zip.ts";
import { expectAccessible } from "./accessibility.ts";
import { loggedInLearner, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { resizeTo } from "./viewport.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const CP_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';

/** A SCORM 1.2 course of one SCO and one launchable asset (a PDF), with a script file beside them. */
const MIXED = {
  "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="mixed" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Upload Mixed</title>
<item identifier="LESSON" identifierref="R1"><title>Lesson</title></item><item identifier="LEAFLET" identifierref="R2"><title>Leaflet</title></item>
</organization></organizations>
<resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/><file href="lesson.js"/></resource>
<resource identifier="R2" type="webcontent" adlcp:scormtype="asset" href="leaflet.pdf"><file href="leaflet.pdf"/></resource></resources></manifest>`,
  "index.html": "<!doctype html><title>Lesson</title><script src=lesson.js></script>",
  "lesson.js": "// the lesson",
  "leaflet.pdf": "%PDF-1.4\n%%EOF\n",
};

let servers: LmsServers;
let browser: Browser;
withLmsAndBrowser([], (started) => ({ servers, browser } = started));

describe("Upload a SCORM package, with script", () => {
  it("shows the report on the page, saying how many SCOs and assets the course holds", async () => {
    const { page, context } = await loggedInLearner(browser, servers, { role: "author" });
    await page.goto(`${servers.lmsUrl}/author/courses/upload`);
    await page.getByLabel("Package (.zip)").setInputFiles(await buildZip(MIXED));
    await page.getByRole("button", { name: "Upload and check" }).click();
    const report = page.locator("#upload-result .app-report__ok");
    await report.waitFor();
    // The page did not leave for the server's rendering: the script put the report in.
    expect(new URL(page.url()).pathname).toBe("/author/courses/upload");
    expect(await report.locator("h2").textContent()).toBe("Imported: 297 Upload Mixed, version 1");
    expect(await report.locator("p").textContent()).toContain("SCORM 1.2, 1 SCO and 1 asset, 4 files.");
    await expectAccessible(page);
    await context.close();
  });

  // Issue 20: a refused package showed a full blue "100%" bar.
  it("shows a refused package as refused: a red bar, 'Not imported', the message, and the error summary linked to the field", async () => {
    const { page, context } = await loggedInLearner(browser, servers, { role: "author" });
    await page.goto(`${servers.lmsUrl}/author/courses/upload`);
    await page.getByLabel("Package (.zip)").setInputFiles(await buildZip({ "tincan.xml": "<tincan/>", "index.html": "x" }));
    await page.getByRole("button", { name: "Upload and check" }).click();
    const summary = page.locator("#upload-result .nhsuk-error-summary");
    await summary.waitFor();
    const message = 'This is an xAPI (Tin Can) package ("tincan.xml"), not SCORM';

    const progress = page.locator("#upload-progress");
    expect(await progress.getAttribute("class")).toContain("app-progress--failed");
    expect(await page.locator("#upload-label").textContent()).toBe("Not imported");
    expect(await page.locator("#upload-percent").textContent()).toBe("Failed");
    expect(await progress.innerText()).not.toContain("100%");
    // The bar and its words in the NHS error red.
    expect(await page.locator("#upload-bar").evaluate((bar) => getComputedStyle(bar).accentColor)).toBe("rgb(213, 40, 27)");
    expect(await page.locator("#upload-label").evaluate((label) => getComputedStyle(label).color)).toBe("rgb(213, 40, 27)");
    expect(await page.locator("#upload-failure").innerText()).toContain(message);

    // The error pattern: the summary has the focus and links to the file field, which shows the message.
    expect(await page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary"))).toBe(true);
    expect(await summary.locator("h2").textContent()).toBe("The package was not imported");
    const link = summary.getByRole("link", { name: new RegExp(message.replace(/[()]/g, "\\$&")) });
    expect(await link.getAttribute("href")).toBe("#package");
    // Only the words: not the finding's code, "(package.not_scorm)" and the like (review of issue 20).
    expect(await summary.innerText()).not.toMatch(/\(package\.\w+\)/);
    expect(await summary.locator(".app-code").count()).toBe(0);
    expect(await page.locator("#package-error").innerText()).toContain(message);
    expect(await page.locator("#package").getAttribute("aria-describedby")).toBe("package-error");
    expect(await page.locator("[data-field=package]").getAttribute("class")).toContain("nhsuk-form-group--error");
    await expectAccessible(page);
    // On a phone the red bar, its message and the summary stay within the page.
    await resizeTo(page, 375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await resizeTo(page, 1280);

    // A good package after it: the bar is no longer red, the message gone.
    await page.getByLabel("Package (.zip)").setInputFiles(await buildZip({ ...MIXED, "imsmanifest.xml": MIXED["imsmanifest.xml"].replace("297 Upload Mixed", "297 Upload After Failure") }));
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.locator("#upload-result .app-report__ok").waitFor();
    expect(await progress.getAttribute("class")).not.toContain("app-progress--failed");
    expect(await page.locator("#upload-failure").isHidden()).toBe(true);
    expect(await page.locator("#package-error").count()).toBe(0);
    await context.close();
  });

  it("asks before importing the same package again, and makes the version only on Yes", async () => {
    const { page, context } = await loggedInLearner(browser, servers, { role: "author" });
    const files = { ...MIXED, "imsmanifest.xml": MIXED["imsmanifest.xml"].replace("297 Upload Mixed", "297 Upload Twice") };
    const zip = await buildZip(files);
    await page.goto(`${servers.lmsUrl}/author/courses/upload`);
    await page.getByLabel("Package (.zip)").setInputFiles(zip);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.locator("#upload-result .app-report__ok").waitFor();
    const versions = () => servers.db("course_versions").join("courses", "courses.id", "course_versions.course_id").where("courses.code", "297 Upload Twice").count({ n: "*" }).first().then((row) => Number(row?.n));
    expect(await versions()).toBe(1);

    await page.getByRole("button", { name: "Upload and check" }).click();
    const question = page.locator("#upload-result [data-same-package]");
    await question.waitFor();
    expect(await question.innerText()).toMatch(/This is the same package as version 1, imported on \d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}\. Nothing was imported\./);
    expect(await question.innerText()).toContain("Do you want to import it again as a new version anyway?");
    // Review of issue 20: the bar showed a green 100% beside "Not imported: already version 1". Not
    // a success nor a failure: a question, with no full bar.
    const progress = page.locator("#upload-progress");
    expect(await progress.getAttribute("class")).not.toContain("app-progress--failed");
    expect(await progress.getAttribute("class")).not.toContain("app-progress--done");
    expect(await progress.getAttribute("class")).toContain("app-progress--asked");
    expect(await page.locator("#upload-label").textContent()).toBe("Not imported yet: this is the same package as version 1");
    expect(await page.locator("#upload-bar").isVisible()).toBe(false);
    expect(await progress.innerText()).not.toContain("100%");
    // "Yes" is a real form's submit button, as the server renders it without script; the file
    // field to choose it again stays hidden while the file chosen above is there to send.
    const form = question.locator("form[data-same-package-form]");
    expect(await form.getAttribute("method")).toBe("post");
    expect(await form.getAttribute("enctype")).toBe("multipart/form-data");
    expect(await form.locator("input[type=hidden][name=newVersionAnyway]").getAttribute("value")).toBe("yes");
    expect(await form.getByRole("button", { name: "Yes, import it as a new version" }).getAttribute("type")).toBe("submit");
    expect(await form.locator("#package-again").isVisible()).toBe(false);
    expect(await versions()).toBe(1);
    const no = question.getByRole("link", { name: "No, keep version 1" });
    expect(await no.getAttribute("href")).toMatch(/^\/author\/courses\/\d+$/);
    await expectAccessible(page);

    // Yes sends the same file again, without choosing it again.
    await question.getByRole("button", { name: "Yes, import it as a new version" }).click();
    const report = page.locator("#upload-result .app-report__ok");
    await report.waitFor();
    expect(await report.locator("h2").textContent()).toBe("Imported: 297 Upload Twice, version 2");
    expect(new URL(page.url()).pathname).toBe("/author/courses/upload");
    expect(await progress.getAttribute("class")).toContain("app-progress--done");
    expect(await progress.getAttribute("class")).not.toContain("app-progress--asked");
    expect(await versions()).toBe(2);
    await context.close();
  });
});
