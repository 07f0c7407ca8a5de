import type { Manifest } from "./manifest/parse-manifest.ts";

/** One thing the report says, naming the file and the manifest element it is about. */
export interface Finding {
  code: string;
  message: string;
  file?: string;
  element?: string;
}

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

const IGNORED_UNUSED = /(^|\/)(imsmanifest\.xml|[^/]+\.xsd|[^/]+\.dtd|metadata\.xml)$/i;

/**
 * Warnings for a package that otherwise imports: files the manifest lists that are not in the zip,
 * names that differ only by case (they work on Windows and break on the content server), files
 * nothing lists, and missing metadata. Pure: the manifest and the zip's file names in.
 */
export function packageWarnings(manifest: Manifest, files: string[]): Finding[] {
  const warnings: Finding[] = [];
  const present = new Set(files);
  const byLowerCase = new Map(files.map((file) => [file.toLowerCase(), file]));
  const listed = new Set<string>();

  for (const resource of manifest.resources) {
    const element = `<resource identifier="${resource.identifier}">`;
    for (const href of resource.files) {
      listed.add(href);
      if (present.has(href)) continue;
      const other = byLowerCase.get(href.toLowerCase());
      if (other) {
        listed.add(other);
        warnings.push({ code: "package.case_mismatch", file: href, element, message: `The manifest lists "${href}" but the zip has "${other}": names must match exactly, including case` });
      } else {
        warnings.push({ code: "package.listed_file_missing", file: href, element, message: `The manifest lists "${href}", which is not in the zip` });
      }
    }
    if (resource.href) listed.add(resource.href.split(/[?#]/, 1)[0]!);
  }
  const unused = files.filter((file) => !listed.has(file) && !IGNORED_UNUSED.test(file));
  if (unused.length) {
    const shown = unused.slice(0, 20);
    warnings.push({
      code: "package.unused_files",
      message: `${unused.length} file${unused.length === 1 ? " is" : "s are"} in the zip but not listed by any resource: ${shown.join(", ")}${unused.length > shown.length ? ", ..." : ""}`,
      file: shown[0]!,
    });
  }
  if (manifest.schemaVersion === null) {
    warnings.push({ code: "package.metadata_missing", file: "imsmanifest.xml", element: "<metadata><schemaversion>", message: "The manifest has no <schemaversion>: the SCORM version was inferred from its namespaces" });
  }
  if (!manifest.organization.title.trim()) {
    warnings.push({ code: "package.title_missing", file: "imsmanifest.xml", element: "<organization><title>", message: "The organization has no title: the course code must be given on import" });
  }
  return warnings;
}
