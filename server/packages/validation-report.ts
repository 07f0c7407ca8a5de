import { isWebUrl, packageFileOf } from "../scorm/manifest/hrefs.ts";
import type { Manifest, ManifestItem } from "../scorm/manifest/parse-manifest.ts";
import { parsePrerequisites, prerequisiteIds } from "../scorm/prerequisites.ts";

/** One thing the report says, naming the file and the manifest element it is about. */
export type { Finding } from "../scorm/findings.ts";
import type { Finding } from "../scorm/findings.ts";

export interface ValidationReport {
  ok: boolean;
  scormVersion: string | null;
  title: string | null;
  fileCount: number;
  totalBytes: number;
  launchables: Array<{ identifier: string; title: string; scormType: string; launch: string }>;
  /** Problems that block import. */
  errors: Finding[];
  /** Problems that do not block import but that an author should fix. */
  warnings: Finding[];
}

/** What an imported course holds, in words: "3 SCOs and 2 assets, 12 files"; "1 SCO, 2 files". */
export function courseContents(launchables: ReadonlyArray<{ scormType: string }>, fileCount: number): string {
  const scos = launchables.filter((launchable) => launchable.scormType === "sco").length;
  const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  const items = [scos > 0 ? counted(scos, "SCO") : null, launchables.length > scos ? counted(launchables.length - scos, "asset") : null].filter(Boolean);
  return `${items.join(" and ") || "nothing to launch"}, ${counted(fileCount, "file")}`;
}

// tincan.xml and cmi5.xml at the root have a note of their own (find-manifest.ts).
const IGNORED_UNUSED = /(^|\/)(imsmanifest\.xml|[^/]+\.xsd|[^/]+\.dtd|metadata\.xml)$|^(tincan|cmi5)\.xml$/i;
const SHOWN_FILES = 20;

/**
 * What the zip's files say about a readable manifest: blocking errors (a launch file that is not
 * there) and warnings (see packageWarnings). Pure: the manifest and the zip's file names in;
 * `skipped` names the archiver junk left out of the package.
 */
export function checkPackageFiles(manifest: Manifest, files: string[], skipped: string[] = []): { errors: Finding[]; warnings: Finding[] } {
  const present = new Set(files);
  const byLowerCase = new Map(files.map((file) => [file.toLowerCase(), file]));
  const errors: Finding[] = [];
  for (const launchable of manifest.launchables) {
    // A web address is manifest-checks.ts's to judge; any other scheme or absolute path names nothing here.
    if (isWebUrl(launchable.launch)) continue;
    const file = packageFileOf(launchable.launch);
    if (file !== null && present.has(file)) continue;
    const other = file === null ? undefined : byLowerCase.get(file.toLowerCase());
    const item = `Item ${JSON.stringify(launchable.identifier)} launches ${JSON.stringify(launchable.launch)}`;
    errors.push({
      code: "package.launch_missing",
      message: other
        ? `${item}, but the zip has ${JSON.stringify(other)}: the case differs, and names must match exactly (the content server is case-sensitive)`
        : `${item}, which is not a file in the package`,
      file: file ?? launchable.launch,
      element: `<item identifier="${launchable.identifier}">`,
    });
  }
  return { errors, warnings: packageWarnings(manifest, files, skipped) };
}

/**
 * Warnings for a package that otherwise imports: files the manifest lists that are not in the zip,
 * names that differ only by case (they work on Windows and break on the content server), files
 * nothing lists, archiver junk left out, prerequisites the player cannot enforce and a missing
 * title (what the manifest alone says, such as a missing <schemaversion>, is parse-manifest.ts's
 * to warn about). Hrefs are URLs: compared decoded.
 */
export function packageWarnings(manifest: Manifest, files: string[], skipped: string[] = []): Finding[] {
  const warnings: Finding[] = [];
  const present = new Set(files);
  const byLowerCase = new Map(files.map((file) => [file.toLowerCase(), file]));
  const listed = new Set<string>();

  for (const resource of manifest.resources) {
    const element = `<resource identifier="${resource.identifier}">`;
    for (const href of resource.files) {
      const file = packageFileOf(href);
      if (file === null) continue; // a web address: nothing of the package's to look for
      listed.add(file);
      if (present.has(file)) continue;
      const other = byLowerCase.get(file.toLowerCase());
      if (other) {
        listed.add(other);
        warnings.push({ code: "package.case_mismatch", file: href, element, message: `The manifest lists "${href}" but the zip has "${other}": names must match exactly, including case` });
      } else {
        warnings.push({ code: "package.listed_file_missing", file: href, element, message: `The manifest lists "${href}", which is not in the zip` });
      }
    }
    const launched = resource.href === null ? null : packageFileOf(resource.href);
    if (launched !== null) listed.add(launched);
  }
  const unused = files.filter((file) => !listed.has(file) && !IGNORED_UNUSED.test(file));
  if (unused.length) {
    warnings.push({
      code: "package.unused_files",
      message: `${unused.length} file${unused.length === 1 ? " is" : "s are"} in the zip but not listed by any resource: ${listOf(unused)}`,
      file: unused[0]!,
    });
  }
  if (skipped.length) {
    warnings.push({
      code: "package.archiver_files_skipped",
      message: `${skipped.length} file${skipped.length === 1 ? "" : "s"} that archivers add on their own (__MACOSX, .DS_Store, Thumbs.db) ${skipped.length === 1 ? "was" : "were"} left out of the package: ${listOf(skipped)}`,
      file: skipped[0]!,
    });
  }
  warnings.push(...prerequisiteWarnings(manifest));
  if (!manifest.organization.title.trim()) {
    warnings.push({ code: "package.title_missing", file: "imsmanifest.xml", element: "<organization><title>", message: "The organization has no title: the course code must be given on import" });
  }
  return warnings;
}

/** SCORM 1.2 prerequisites the player cannot enforce (it then lets the learner in: see prerequisites.ts). */
function prerequisiteWarnings(manifest: Manifest): Finding[] {
  if (manifest.scormVersion !== "1.2") return [];
  const known = new Set(manifest.launchables.map((launchable) => launchable.identifier));
  const findings: Finding[] = [];
  const walk = (items: ManifestItem[]) => {
    for (const item of items) {
      walk(item.children);
      if (!item.prerequisites?.trim()) continue;
      const element = `<item identifier="${item.identifier}"><adlcp:prerequisites>`;
      try {
        const unknown = prerequisiteIds(parsePrerequisites(item.prerequisites)).filter((id) => !known.has(id));
        if (unknown.length) {
          findings.push({ code: "package.prerequisites_unknown_item", file: "imsmanifest.xml", element, message: `The prerequisites of "${item.identifier}" name ${unknown.map((id) => `"${id}"`).join(", ")}, which the course does not have: they are not enforced` });
        }
      } catch (error) {
        findings.push({ code: "package.prerequisites_unreadable", file: "imsmanifest.xml", element, message: `The prerequisites of "${item.identifier}" cannot be read (${(error as Error).message}): they are not enforced` });
      }
    }
  };
  walk(manifest.organization.items);
  return findings;
}

function listOf(files: string[]): string {
  const shown = files.slice(0, SHOWN_FILES);
  return `${shown.join(", ")}${files.length > shown.length ? ", ..." : ""}`;
}
