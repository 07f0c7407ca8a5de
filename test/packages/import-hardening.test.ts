import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { importPackage, PackageError, validatePackage } from "../../server/packages/import-package.ts";
import { createLocalStorage, type PackageStorage } from "../../server/packages/storage.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip, writeTempFile } from "../support/build-zip.ts";
import { fireSafetyManifest12 as manifest12 } from "../support/valid-packages.ts";
import { rawZip, type RawEntry } from "../support/raw-zip.ts";
import { packageRowCounts, storageLeftovers } from "../support/package-state.ts";

const clock = createClock("2026-03-01T09:00:00Z");
const MiB = 1024 * 1024;
const valid12 = () => ({ "imsmanifest.xml": manifest12(), "index.html": "<p>Fire</p>", "quiz/quiz.html": "<p>Quiz</p>" });
const manifestEntry = (title = "297 Hardening"): RawEntry => ({ name: "imsmanifest.xml", data: manifest12(title), deflate: true });
const page = (name: string): RawEntry => ({ name, data: `<p>${name}</p>` });

/** A 1.2 manifest with the given items and resources, for manifest-level problems. */
const manifestWith = (items: string, resources: string, head = `<?xml version="1.0" encoding="UTF-8"?>`) => `${head}
<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>297 Problems</title>${items}</organization></organizations>
  <resources>${resources}</resources>
</manifest>`;
const sco = (id: string, href: string, extra = "") => `<resource identifier="${id}" type="webcontent" adlcp:scormtype="sco" href="${href}">${extra}</resource>`;
const item = (id: string, ref: string) => `<item identifier="${id}" identifierref="${ref}"><title>${id}</title></item>`;

describe("package import hardening", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => cleanup());
  beforeEach(() => {
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Import must fail with `code`, writing no rows and leaving no files; returns the error. */
  async function refused(zip: string, code: string): Promise<PackageError | (Error & { code: string; status: number; details: string[] })> {
    const before = await packageRowCounts(db);
    const error = await importPackage({ db, clock, storage }, zip).then(
      () => expect.fail("the import should have been refused"),
      (failure: unknown) => failure as Error & { code: string; status: number; details: string[] },
    );
    expect(error).toMatchObject({ code });
    expect(await packageRowCounts(db)).toEqual(before);
    expect(storageLeftovers(storage)).toEqual([]);
    return error;
  }

  describe("zip bombs", () => {
    it("refuses a thousand directory entries that share one block of data (overlapping entries)", async () => {
      const zeros: RawEntry = { name: "block-0.bin", data: Buffer.alloc(1_000_000), deflate: true };
      const copies = Array.from({ length: 999 }, (_, index): RawEntry => ({ name: `block-${index + 1}.bin`, sharesDataOf: 1 }));
      const zip = writeTempFile(rawZip([manifestEntry(), zeros, ...copies, page("index.html"), page("quiz/quiz.html")]));
      expect(fs.statSync(zip).size).toBeLessThan(100_000);
      const error = await refused(zip, "package.overlapping_entries");
      expect(error.message).toMatch(/"block-0\.bin" and "block-1\.bin" \(and 998 more\) share or overlap/);
    });

    it("refuses an entry whose data overlaps the next one's, and one whose data runs into the central directory", async () => {
      const zip = rawZip([manifestEntry(), { ...page("index.html"), declaredCompressedSize: 60 }, { ...page("quiz/quiz.html"), declaredCompressedSize: 200 }]);
      const error = (await refused(writeTempFile(zip), "package.overlapping_entries")) as PackageError;
      expect(error.findings.map((finding) => finding.message)).toEqual([
        expect.stringContaining('"index.html" and "quiz/quiz.html" share or overlap their data'),
        expect.stringContaining('"quiz/quiz.html" runs into the zip\'s central directory'),
      ]);
    });

    it("refuses many entries each just under the per-entry threshold that together expand more than 200:1", async () => {
      const entries = Array.from({ length: 20 }, (_, index): RawEntry => ({ name: `zeros/${index}.bin`, data: Buffer.alloc(1_000_000), deflate: true }));
      const zip = writeTempFile(rawZip([manifestEntry(), page("index.html"), page("quiz/quiz.html"), ...entries]));
      const error = await refused(zip, "package.compression_ratio");
      expect(error.message).toContain("The package as a whole expands");
    });

    it("still imports an authoring-tool-like export: hundreds of small, compressible text files", async () => {
      const words = "fire safety alarm exit evacuate extinguisher smoke door corridor patient ward staff report assembly point oxygen risk".split(" ");
      const slide = (index: number) =>
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slide ${index}</title><link rel="stylesheet" href="../css/course.css"></head><body>` +
        Array.from({ length: 30 }, (_, block) =>
          `<div class="block block--text" style="position:absolute;left:0px;top:0px;width:960px;height:540px;opacity:1" data-acc-type="text">` +
          `<p class="text">${words[(index * 7 + block) % words.length]} ${words[(index + block * 3) % words.length]}</p></div>\n`,
        ).join("") + "</body></html>";
      const files = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`slides/slide-${index}.html`, slide(index)]));
      const zip = await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Compressible"), ...files });
      const total = Object.values(files).reduce((sum, content) => sum + content.length, 0);
      expect(total).toBeGreaterThan(MiB);
      expect(total / fs.statSync(zip).size).toBeGreaterThan(5); // typical of real exports: 5-20:1
      expect(await importPackage({ db, clock, storage }, zip)).toMatchObject({ course: "297 Compressible" });
    });
  });

  describe("zip structure", () => {
    it("refuses an end record that declares fewer entries than its directory holds", async () => {
      const entries = [manifestEntry(), page("index.html"), ...Array.from({ length: 20 }, (_, index) => page(`quiz/page-${index}.html`))];
      const error = await refused(writeTempFile(rawZip(entries, { declaredEntryCount: 2 })), "package.corrupt");
      expect(error.message).toContain("more entries than the 2 its end record declares");
    });

    it("refuses a count that wrapped past 65,535 instead of letting it under the entry limit", async () => {
      const entries = [manifestEntry(), page("index.html"), page("quiz/quiz.html"), ...Array.from({ length: 65_534 }, (_, index) => page(`f/${index}`))];
      expect(entries.length % 0x10000).toBe(1);
      await refused(writeTempFile(rawZip(entries)), "package.corrupt");
    });

    it("tells a zip cut short from a file that is not a zip", async () => {
      const whole = fs.readFileSync(await buildZip(valid12()));
      for (const cut of [whole.subarray(0, whole.length >> 1), whole.subarray(0, whole.length - 10), whole.subarray(0, 12)]) {
        const error = await refused(writeTempFile(cut), "package.truncated");
        expect(error.message).toBe("The zip is incomplete: it may have been cut short while uploading or copying");
      }
      await refused(writeTempFile(Buffer.alloc(0)), "package.not_a_zip");
      await refused(writeTempFile("%PDF-1.7 not a zip at all"), "package.not_a_zip");
    });
  });

  describe("names and the file system", () => {
    it("refuses a 300-character name part and a path over 1,024 bytes, naming each entry shortened, and no server folder", async () => {
      const longPart = `${"a".repeat(300)}.html`;
      const deepPath = `${Array.from({ length: 11 }, () => "d".repeat(99)).join("/")}/page.html`;
      const error = await refused(writeTempFile(rawZip([manifestEntry(), page("index.html"), page("quiz/quiz.html"), page(longPart), page(deepPath)])), "package.name_too_long");
      expect(error).toBeInstanceOf(PackageError);
      const { findings } = error as PackageError;
      expect(findings.map((finding) => finding.code)).toEqual(["package.name_too_long", "package.name_too_long"]);
      expect(findings[0]!.message).toContain(`"${"a".repeat(80)}…${"a".repeat(25)}.html"`);
      expect(findings[0]!.message).toContain("longer than 255 bytes");
      expect(findings[1]!.message).toContain("longer than 1024 bytes");
      for (const finding of findings) expect(finding.message).not.toContain(os.tmpdir());
    });

    it("reports a full disk as package.no_space (507), without the server's folders", async () => {
      vi.spyOn(fsp, "writeFile").mockRejectedValue(errno("ENOSPC", "write", path.join(storage.root, ".tmp", "work-x", "index.html")));
      const error = await refused(await buildZip(valid12()), "package.no_space");
      expect(error.status).toBe(507);
      expect(error.message).toContain("the server is out of disk space");
      expect(error.message).not.toContain(storage.root);
    });

    it("reports any other file system failure as package.extract_failed, naming the entry but not the server's folders", async () => {
      vi.spyOn(fsp, "writeFile").mockRejectedValue(errno("EACCES", "open", path.join(storage.root, ".tmp", "work-x", "index.html")));
      const error = await refused(await buildZip(valid12()), "package.extract_failed");
      expect(error.message).toMatch(/^The package entry "(index\.html|imsmanifest\.xml|quiz\/quiz\.html)" could not be written \(the server may not write there\)/);
      expect(error.message).not.toContain(storage.root);
    });
  });

  describe("streamed entries (over 1 MiB) that lie", () => {
    const big = crypto.randomBytes(MiB + MiB / 2);
    const withBig = (entry: Partial<RawEntry>) =>
      writeTempFile(rawZip([manifestEntry(), page("index.html"), page("quiz/quiz.html"), { name: "media/video.mp4", data: big, ...entry }]));

    it.each([
      ["package.size_mismatch", "stored, declaring less than it holds", { declaredSize: MiB + 1000 }, "more than the"],
      ["package.size_mismatch", "stored, declaring more than it holds", { declaredSize: 2 * MiB }, "not the 2097152 it declares"],
      ["package.size_mismatch", "deflated, declaring less than it inflates to", { deflate: true, declaredSize: MiB + 1000 }, "more than the"],
      ["package.corrupt", "with a wrong checksum", { crc32: 1234 }, "fails its checksum"],
      ["package.corrupt", "deflated, with a wrong checksum", { deflate: true, crc32: 1234 }, "fails its checksum"],
      ["package.corrupt", "with a broken local header", { brokenLocalHeader: true }, "has no local header"],
    ] as const)("%s: an entry %s", async (code, _why, entry, words) => {
      const error = await refused(withBig(entry), code);
      expect(error.message).toContain('"media/video.mp4"');
      expect(error.message).toContain(words);
    });
  });

  describe("every blocking problem at once", () => {
    it("lists every problem of the manifest and its files, first problem's code on the error", async () => {
      const manifest = manifestWith(
        item("I1", "R1") + item("I2", "R2") + item("I3", "R9") + item("I1", "R3") + item("I4", "R4"),
        sco("R1", "one.html") + sco("R2", "Two.HTML") + sco("R3", "three.html", '<dependency identifierref="NOPE"/>') + sco("R3", "three.html") +
          sco("R4", "https://example.org/sco.html"),
      );
      const zip = await buildZip({ "imsmanifest.xml": manifest, "two.html": "2", "three.html": "3" });
      const expected = [
        ["package.missing_resource", "R9"],
        ["package.duplicate_identifier", '"I1"'],
        ["package.duplicate_identifier", '"R3"'],
        ["package.missing_dependency", "NOPE"],
        ["package.external_sco", "across origins"],
        ["package.launch_missing", '"one.html", which is not a file'],
        ["package.launch_missing", 'but the zip has "two.html": the case differs'],
      ];
      const error = (await refused(zip, "package.missing_resource")) as PackageError;
      expect(error.findings.map((finding) => [finding.code, finding.message])).toEqual(expected.map(([code, words]) => [code, expect.stringContaining(words!)]));
      expect(error.details).toHaveLength(expected.length);
      expect(error.message).toContain("(and 6 more problems)");
      expect(error.findings.every((finding) => finding.file && finding.element)).toBe(true);
      expect(error.findings.at(-1)).toMatchObject({ file: "Two.HTML", element: '<item identifier="I2">' });

      const report = await validatePackage(zip);
      expect(report.ok).toBe(false);
      expect(report.errors).toEqual(error.findings);
    });

    it("lists every bad entry of the zip at once", async () => {
      const zip = writeTempFile(rawZip([manifestEntry(), page("index.html"), page("quiz/quiz.html"), page("../evil.html"), { ...page("secret.html"), flags: 0x0801 }]));
      const error = (await refused(zip, "package.unsafe_path")) as PackageError;
      expect(error.findings).toEqual([
        expect.objectContaining({ code: "package.unsafe_path", file: "../evil.html" }),
        expect.objectContaining({ code: "package.encrypted", file: "secret.html" }),
      ]);
    });
  });

  describe("warnings and launch rules", () => {
    it("takes percent-encoded file hrefs as the names they encode", async () => {
      const manifest = manifestWith(item("I1", "R1"), sco("R1", "index.html", '<file href="index.html"/><file href="my%20doc.pdf"/>'));
      const report = await validatePackage(await buildZip({ "imsmanifest.xml": manifest, "index.html": "x", "my doc.pdf": "pdf" }));
      expect(report).toMatchObject({ ok: true, errors: [], warnings: [] });
    });

    it("uses the first organization, with a warning, when the default names none", async () => {
      const manifest = manifestWith(item("I1", "R1"), sco("R1", "index.html", '<file href="index.html"/>')).replace('default="O"', 'default="MISSING"');
      const report = await validatePackage(await buildZip({ "imsmanifest.xml": manifest, "index.html": "x" }));
      expect(report).toMatchObject({ ok: true, title: "297 Problems" });
      expect(report.warnings).toEqual([expect.objectContaining({ code: "package.default_organization_missing", message: expect.stringContaining('"MISSING"') })]);
    });

    it("imports an asset launched from the web, warning that the LMS cannot serve it", async () => {
      const asset = `<resource identifier="R2" type="webcontent" adlcp:scormtype="asset" href="https://example.org/leaflet.html"/>`;
      const manifest = manifestWith(item("I1", "R1") + item("I2", "R2"), sco("R1", "index.html", '<file href="index.html"/>') + asset);
      const result = await importPackage({ db, clock, storage }, await buildZip({ "imsmanifest.xml": manifest, "index.html": "x" }), { code: "297 External Asset" });
      expect(result.scos).toBe(2);
      expect(result.warnings).toEqual([expect.objectContaining({ code: "package.external_launch", message: expect.stringContaining("outside the package") })]);
    });

    it("skips archiver junk: never written, counted or published, mentioned in one warning", async () => {
      const junk = { "__MACOSX/._index.html": "fork", "__MACOSX/quiz/._quiz.html": "fork", ".DS_Store": "finder", "quiz/Thumbs.db": "thumbs" };
      const result = await importPackage({ db, clock, storage }, await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Junk"), ...junk }));
      const version = await db("course_versions").where({ id: result.courseVersionId }).first();
      expect(version.file_count).toBe(3);
      expect(fs.readdirSync(path.join(storage.root, version.storage_key)).sort()).toEqual(["imsmanifest.xml", "index.html", "quiz"]);
      expect(fs.readdirSync(path.join(storage.root, version.storage_key, "quiz"))).toEqual(["quiz.html"]);
      const warning = result.warnings.find((finding) => finding.code === "package.archiver_files_skipped");
      expect(warning?.message).toMatch(/^4 files that archivers add .* were left out of the package: /);
      expect(result.warnings.filter((finding) => finding.code === "package.unused_files")).toEqual([]);
    });
  });

  describe("the manifest's encoding", () => {
    it("honours an ISO-8859-1 declaration", async () => {
      const manifest = Buffer.from(manifest12("297 Sécurité incendie").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), "latin1");
      const result = await importPackage({ db, clock, storage }, await buildZip({ ...valid12(), "imsmanifest.xml": manifest }));
      expect(result).toMatchObject({ course: "297 Sécurité incendie", title: "297 Sécurité incendie" });
    });

    it("refuses an encoding it cannot decode, naming it", async () => {
      const manifest = manifest12("297 EBCDIC").replace('encoding="UTF-8"', 'encoding="EBCDIC-037"');
      const error = await refused(await buildZip({ ...valid12(), "imsmanifest.xml": manifest }), "package.manifest_encoding");
      expect(error.message).toContain('"EBCDIC-037"');
    });
  });
});

function errno(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall} '${file}'`), { code, syscall, path: file, errno: -1 });
}


