import type { Finding } from "../findings.ts";

// The limits themselves are configuration (config.ts reads them), so they are defined below every
// area, in server/package-limits.ts.
export { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from "../../package-limits.ts";
import type { ManifestLimits } from "../../package-limits.ts";

export interface ManifestCounts {
  items: number;
  resources: number;
  filesListed: number;
  depth: number;
  sequencingRules: number;
  attributes: number;
}

// Start and end tags of the counted elements, any namespace prefix, any case. Comments and CDATA
// are not skipped: a tag inside one counts too, which errs on the side of refusing. An attribute's
// quoted value may hold ">" (XML allows it; a tag read to its first ">" would seem to end there,
// self-closed, and nesting past the limit would go uncounted), but never "<": so a quote left open
// ends at the next tag, and the pass stays linear.
const QUOTED = `"[^"<]*"|'[^'<]*'`;
const TAG = new RegExp(`<(\\/?)\\s*(?:[A-Za-z_][\\w.-]*:)?(item|resource|file|dependency|preconditionrule|exitconditionrule|postconditionrule|rolluprule)\\b(?:[^>"'<]|${QUOTED})*?(\\/?)>`, "gi");
const ATTRIBUTE = new RegExp(`\\s[A-Za-z_:][\\w.:-]*\\s*=\\s*(?:${QUOTED})`, "g");

/** One pass over the text: linear, and it keeps no tree. */
export function countManifest(xmlText: string): ManifestCounts {
  const counts: ManifestCounts = { items: 0, resources: 0, filesListed: 0, depth: 0, sequencingRules: 0, attributes: 0 };
  let depth = 0;
  for (const match of xmlText.matchAll(TAG)) {
    const [, closing, name, selfClosing] = match;
    const element = name!.toLowerCase();
    if (element === "item") {
      if (closing) depth = Math.max(0, depth - 1);
      else {
        counts.items++;
        counts.depth = Math.max(counts.depth, depth + 1);
        if (!selfClosing) depth++;
      }
    } else if (closing) continue;
    else if (element === "resource") counts.resources++;
    else if (element === "file" || element === "dependency") counts.filesListed++;
    else counts.sequencingRules++;
  }
  ATTRIBUTE.lastIndex = 0;
  while (ATTRIBUTE.exec(xmlText)) counts.attributes++;
  return counts;
}

const WHAT: Record<keyof ManifestCounts, { limit: keyof ManifestLimits; words: string; setting: string }> = {
  items: { limit: "maxItems", words: "items", setting: "PACKAGE_MAX_ITEMS" },
  resources: { limit: "maxResources", words: "resources", setting: "PACKAGE_MAX_RESOURCES" },
  filesListed: { limit: "maxFilesListed", words: "files and dependencies listed", setting: "PACKAGE_MAX_FILES_LISTED" },
  depth: { limit: "maxDepth", words: "levels of items nested in one another", setting: "PACKAGE_MAX_DEPTH" },
  sequencingRules: { limit: "maxSequencingRules", words: "sequencing rules", setting: "PACKAGE_MAX_SEQUENCING_RULES" },
  attributes: { limit: "maxAttributes", words: "attributes", setting: "PACKAGE_MAX_ATTRIBUTES" },
};

/** A finding for each limit the counts pass. */
export function manifestLimitFindings(counts: ManifestCounts, limits: ManifestLimits): Finding[] {
  return (Object.keys(WHAT) as Array<keyof ManifestCounts>).flatMap((key) => {
    const { limit, words, setting } = WHAT[key];
    if (counts[key] <= limits[limit]) return [];
    return [{ code: "package.manifest_too_large", file: "imsmanifest.xml", message: `The manifest has ${counts[key].toLocaleString("en-GB")} ${words}; the most this LMS takes is ${limits[limit].toLocaleString("en-GB")} (${setting})` }];
  });
}

/** The finding for a manifest larger than PACKAGE_MAX_MANIFEST_BYTES, or none. */
export function manifestSizeFindings(bytes: number, limits: ManifestLimits): Finding[] {
  if (bytes <= limits.maxManifestBytes) return [];
  return [{ code: "package.manifest_too_large", file: "imsmanifest.xml", message: `The manifest is ${bytes.toLocaleString("en-GB")} bytes; the most this LMS takes is ${limits.maxManifestBytes.toLocaleString("en-GB")} (PACKAGE_MAX_MANIFEST_BYTES)` }];
}
