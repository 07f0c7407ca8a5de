import type { Finding } from "../findings.ts";
import type { ManifestItem } from "./parse-manifest.ts";

/**
 * SCORM CAM (1.2 and 2004): an `<organization>`'s and an `<item>`'s `<title>` is a characterstring
 * with a smallest permitted maximum of 200 characters, so a conformant package never relies on
 * more. Titles have no other bound: 5,000 items of 3,900 characters each made a player page of
 * 41 MB, whose every GET held the event loop for 164 ms. A longer title keeps its first 200
 * characters, with a warning (real packages have long titles: never a refusal), here in the
 * manifest's reader, so that the stored manifest and every page that shows a title see the short one.
 */
export const MAX_TITLE_CHARACTERS = 200;

const MANIFEST = "imsmanifest.xml";

/** Shortens the organization's title and its items' (in place, as the reader builds them), and says which it shortened. */
export function shortenLongTitles(organization: { identifier: string; title: string; items: ManifestItem[] }): Finding[] {
  const warnings: Finding[] = [];
  const shorten = (title: string, element: string, whose: string) => {
    if (title.length <= MAX_TITLE_CHARACTERS) return title;
    // By code point, so that a character outside the Basic Multilingual Plane is never cut in two.
    const characters = Array.from(title);
    if (characters.length <= MAX_TITLE_CHARACTERS) return title;
    warnings.push({
      code: "package.title_shortened",
      file: MANIFEST,
      element,
      message: `The title of ${whose} is ${characters.length.toLocaleString("en-GB")} characters long; the first ${MAX_TITLE_CHARACTERS} are kept (SCORM's smallest permitted maximum for a title)`,
    });
    return characters.slice(0, MAX_TITLE_CHARACTERS).join("").trimEnd();
  };
  organization.title = shorten(organization.title, `<organization identifier="${organization.identifier}"><title>`, `organization ${JSON.stringify(organization.identifier)}`);
  const visit = (item: ManifestItem) => {
    item.title = shorten(item.title, `<item identifier="${item.identifier}"><title>`, `item ${JSON.stringify(item.identifier)}`);
    item.children.forEach(visit);
  };
  organization.items.forEach(visit);
  return warnings;
}
