import type { Finding } from "../findings.ts";
import { isWebUrl } from "./hrefs.ts";
import type { Manifest, ManifestItem } from "./parse-manifest.ts";

const MANIFEST = "imsmanifest.xml";

/**
 * Problems a manifest has on its own, without looking at the zip's files. Pure; each problem is a
 * finding naming the element it is about, so the author can find it.
 */
export function checkManifest(manifest: Manifest): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const at = (element: string) => ({ file: MANIFEST, element });

  // Learner data (attempts, CMI) is keyed by item identifier: two items with one identifier
  // would share one learner's record, and an item with none would share it with every other.
  const items = new Map<string, number>();
  const visit = (item: ManifestItem) => {
    if (item.identifier) items.set(item.identifier, (items.get(item.identifier) ?? 0) + 1);
    else if (item.identifierref !== null) {
      errors.push({ code: "package.missing_identifier", message: `An item that launches resource ${JSON.stringify(item.identifierref)} has no identifier`, ...at(`<item identifierref="${item.identifierref}">`) });
    }
    item.children.forEach(visit);
  };
  manifest.organization.items.forEach(visit);
  for (const [identifier, count] of items) {
    if (count > 1) {
      errors.push({
        code: "package.duplicate_identifier",
        message: `${count} items have the identifier ${JSON.stringify(identifier)}: learner progress is kept per item, so each needs its own`,
        ...at(`<item identifier="${identifier}">`),
      });
    }
  }

  const resources = new Map<string, number>();
  for (const resource of manifest.resources) resources.set(resource.identifier, (resources.get(resource.identifier) ?? 0) + 1);
  for (const [identifier, count] of resources) {
    if (count > 1) {
      errors.push({
        code: "package.duplicate_identifier",
        message: `${count} resources have the identifier ${JSON.stringify(identifier)}: items and dependencies could not tell which one they mean`,
        ...at(`<resource identifier="${identifier}">`),
      });
    }
  }
  for (const resource of manifest.resources) {
    for (const dependency of resource.dependencies) {
      if (resources.has(dependency)) continue;
      errors.push({
        code: "package.missing_dependency",
        message: `Resource ${JSON.stringify(resource.identifier)} depends on resource ${JSON.stringify(dependency)}, which the manifest does not define`,
        ...at(`<resource identifier="${resource.identifier}"><dependency identifierref="${dependency}">`),
      });
    }
  }

  for (const launchable of manifest.launchables) {
    if (!isWebUrl(launchable.launch)) continue;
    const element = `<item identifier="${launchable.identifier}">`;
    if (launchable.scormType === "sco") {
      // DESIGN.md "Content isolation": the API reaches the SCO only from the content origin.
      errors.push({
        code: "package.external_sco",
        message: `Item ${JSON.stringify(launchable.identifier)} launches ${JSON.stringify(launchable.launch)}, a SCO outside the package: it could not talk to the LMS (the SCORM API does not work across origins)`,
        ...at(element),
      });
    } else {
      warnings.push({
        code: "package.external_launch",
        message: `Item ${JSON.stringify(launchable.identifier)} launches ${JSON.stringify(launchable.launch)}, a page outside the package: the LMS cannot serve it, and it may change or disappear`,
        ...at(element),
      });
    }
  }
  return { errors, warnings };
}
