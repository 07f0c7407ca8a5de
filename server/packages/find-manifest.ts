import { PackageError, quoteName } from "./package-error.ts";
import type { Finding } from "./validation-report.ts";

/**
 * Which entry of a zip is its imsmanifest.xml, or what the zip is instead. Pure, over the zip's
 * file names (as the pre-scan normalised them, archiver junk left out), so a package that is not
 * SCORM is refused before a byte of it is unpacked, with a message that says what it is.
 *
 * Moodle (mod_scorm scorm_validate_package) takes a root imsmanifest.xml as SCORM and a .cst file
 * as AICC, and says "imsmanifest.xml in a folder" for a manifest anywhere deeper. The xAPI and cmi5
 * packages that authoring tools publish beside SCORM are known by the file each specification puts
 * at the root of its zip: tincan.xml (Rustici's "Incorporating a Tin Can LRS into an LMS",
 * Packaging) and cmi5.xml (cmi5 section 14, Course Package). SCORM Cloud imports all of these; this
 * LMS plays SCORM only, so it names the others rather than calling them broken SCORM.
 */
export interface FoundManifest {
  /** The manifest's entry name: `imsmanifest.xml` at the root, in whatever case the zip has it. */
  path: string;
  /** Notes for the validation report, e.g. a tincan.xml beside the manifest. */
  warnings: Finding[];
}

const MANIFEST = "imsmanifest.xml";
const SCORM_ONLY = "this LMS plays SCORM 1.2 and SCORM 2004 packages only: publish the course from its authoring tool as SCORM";

const OTHER_STRUCTURES = [
  { file: "cmi5.xml", code: "package.cmi5_not_scorm", what: "a cmi5 package", structure: "a cmi5 course structure" },
  { file: "tincan.xml", code: "package.xapi_not_scorm", what: "an xAPI (Tin Can) package", structure: "an xAPI (Tin Can) course structure" },
] as const;

// AICC CMI001 course structure files: .crs (course description), .au (assignable units), .des
// (descriptor) and .cst (course structure) are required; .ort, .pre and .cmp are optional.
const AICC_FILE = /\.(crs|au|des|cst|ort|pre|cmp)$/i;
const SHOWN_AICC_FILES = 6;

export function findManifest(files: string[]): FoundManifest {
  const atRoot = (name: string) => files.find((file) => file.toLowerCase() === name);
  const manifest = atRoot(MANIFEST);
  if (manifest) {
    // Some tools publish one zip for every specification; the SCORM in it is what plays here.
    const warnings = OTHER_STRUCTURES.flatMap(({ file, structure }) => {
      const found = atRoot(file);
      if (!found) return [];
      const message = `The package also has ${quoteName(found)}, ${structure}: it is imported as SCORM, from ${quoteName(manifest)}, and ${quoteName(found)} is not used`;
      return [{ code: "package.other_course_structure", message, file: found }];
    });
    return { path: manifest, warnings };
  }
  for (const other of OTHER_STRUCTURES) {
    const found = atRoot(other.file);
    if (found) throw refusal(other.code, `This is ${other.what} (${quoteName(found)}), not SCORM: ${SCORM_ONLY}`, found);
  }
  // A manifest in a folder first: a SCORM package zipped the wrong way is better told how to fix it.
  const nested = shallowest(files, MANIFEST);
  if (nested.length === 1) {
    const [file] = nested as [string];
    const folder = file.slice(0, file.lastIndexOf("/"));
    throw refusal("package.manifest_nested", `imsmanifest.xml must be at the top of the zip, but it is at ${quoteName(file)}: zip the contents of the folder ${quoteName(folder)}, not the folder itself`, file);
  }
  if (nested.length > 1) {
    const shown = nested.slice(0, 3).map(quoteName).join(", ");
    throw refusal("package.manifest_nested", `The zip holds ${nested.length} SCORM packages, each in a folder of its own (${shown}${nested.length > 3 ? ", ..." : ""}): upload each as a zip of its own, with its imsmanifest.xml at the top`, nested[0]!);
  }
  const aicc = aiccFiles(files);
  if (aicc) {
    const shown = aicc.slice(0, SHOWN_AICC_FILES).map(quoteName).join(", ");
    throw refusal("package.aicc_not_scorm", `This is an AICC package (${shown}${aicc.length > SHOWN_AICC_FILES ? ", ..." : ""}), not SCORM: ${SCORM_ONLY}`, aicc[0]!);
  }
  for (const other of OTHER_STRUCTURES) {
    const [found] = shallowest(files, other.file);
    if (found) throw refusal(other.code, `This is ${other.what} (${quoteName(found)}), not SCORM: ${SCORM_ONLY}`, found);
  }
  throw refusal("package.manifest_missing", "The package has no imsmanifest.xml at the top of the zip: it is not a SCORM package");
}

/** The entries named `name` (any case) below the root, at the shallowest depth any of them is. */
function shallowest(files: string[], name: string): string[] {
  const matches = files.filter((file) => file.toLowerCase().endsWith(`/${name}`));
  const depth = (file: string) => file.split("/").length;
  const least = Math.min(...matches.map(depth));
  return matches.filter((file) => depth(file) === least).sort();
}

/**
 * The AICC course structure files, when there are enough to call the zip AICC: a course
 * description (.crs) with its assignable units (.au), or a course structure (.cst), which is what
 * Moodle goes by. A lone .au is more likely Sun audio than AICC.
 */
function aiccFiles(files: string[]): string[] | null {
  const found = files.filter((file) => AICC_FILE.test(file));
  const has = (extension: string) => found.some((file) => file.toLowerCase().endsWith(`.${extension}`));
  if (!((has("crs") && has("au")) || has("cst"))) return null;
  const order = ["crs", "au", "des", "cst", "ort", "pre", "cmp"];
  const rank = (file: string) => order.indexOf(file.slice(file.lastIndexOf(".") + 1).toLowerCase());
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function refusal(code: string, message: string, file?: string): PackageError {
  return new PackageError([{ code, message, ...(file === undefined ? {} : { file }) }]);
}
