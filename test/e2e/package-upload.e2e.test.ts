// The package upload page with its script (/assets/upload.js) in real Chromium: the zip goes up
// with a progress bar and the validation report appears on the page, in the same words as the
// page the server renders without script (test/packages/author-routes.test.ts).
import { describe, expect, it, vi } from "vitest";
import type { Browser } from "playwright-core";
import { buildZip } from "../support/build-zip.ts";
import { expectAccessible } from "./accessibility.ts";
import { loggedInLearner, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";

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
});
