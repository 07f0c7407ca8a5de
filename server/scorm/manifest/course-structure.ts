import type { Finding } from "../findings.ts";
import type { ManifestItem, ManifestResource, ScormVersion } from "./parse-manifest.ts";
import { defaultSequencing } from "./sequencing.ts";
import { childNamed, childText, type XmlNode } from "./xml-tree.ts";

const MANIFEST = "imsmanifest.xml";
const SHOWN_IDS = 5;

/**
 * The items of an organization the manifest does not give: one per SCO resource with an href, in
 * the order the resources are listed, as Moodle does (mod_scorm scorm_get_manifest builds its
 * SCOs from the resources when the manifest yields no organization element; an empty
 * <organization> is taken the same way here, having nothing more to follow). Moodle also takes
 * assets; here only SCOs (a resource that declares no adlcp:scormType is one, as readResource
 * takes it), so the course is made of what can report progress. Each item takes its
 * resource's identifier (the activity id learner data is keyed by) and its title from the
 * resource's own `<title>` or metadata, else the identifier. When no item can be built, an error
 * says exactly why; when some are, a warning says the course was built, so the author can add an
 * organization and choose the order and titles.
 */
export function itemsFromResources(
  /** The identifier of the `<organization>` that has no items, or null when there is none. */
  emptyOrganization: string | null,
  resources: Array<{ node: XmlNode; resource: ManifestResource }>,
  scormVersion: ScormVersion,
): { items: ManifestItem[]; errors: Finding[]; warnings: Finding[] } {
  const where = emptyOrganization === null
    ? { problem: "The manifest has no <organization>", element: "<organizations>" }
    : { problem: `The organization ${JSON.stringify(emptyOrganization)} has no items`, element: `<organization identifier="${emptyOrganization}">` };
  const fail = (message: string, element: string) => ({ items: [], errors: [{ code: "package.no_launchable", message, file: MANIFEST, element }], warnings: [] });

  if (resources.length === 0) return fail(`${where.problem} and no resources: there is nothing to launch`, where.element);
  const scos = resources.filter(({ resource }) => resource.scormType === "sco");
  if (scos.length === 0) {
    const none = resources.length === 1 ? "its one resource is not" : `none of its ${resources.length} resources is`;
    return fail(`${where.problem}, and ${none} a SCO (adlcp:scormType="sco") to build the course from`, "<resources>");
  }
  const launchable = scos.filter(({ resource }) => resource.href !== null);
  if (launchable.length === 0) {
    const ids = scos.map(({ resource }) => resource.identifier);
    return fail(`${where.problem}, and ${ids.length === 1 ? "its SCO resource" : "its SCO resources"} ${listOf(ids)} ${ids.length === 1 ? "has" : "have"} no href to launch, so the course cannot be built from ${ids.length === 1 ? "it" : "them"}`, `<resource identifier="${ids[0]}">`);
  }

  const errors: Finding[] = [];
  const items: ManifestItem[] = [];
  const taken = new Set<string>();
  for (const { node, resource } of launchable) {
    if (!resource.identifier) {
      errors.push({
        code: "package.missing_identifier",
        message: `A SCO resource (href ${JSON.stringify(resource.href)}) has no identifier: the item built from it would have none, and learner progress is kept per item`,
        file: MANIFEST,
        element: `<resource href="${resource.href}">`,
      });
      continue;
    }
    // Two resources with one identifier are refused by checkManifest; one item stands for them.
    if (taken.has(resource.identifier)) continue;
    taken.add(resource.identifier);
    items.push({
      identifier: resource.identifier,
      title: childText(node, "title") ?? metadataTitle(node) ?? resource.identifier,
      identifierref: resource.identifier,
      parameters: null,
      isvisible: true,
      masteryscore: null,
      datafromlms: null,
      maxtimeallowed: null,
      timelimitaction: null,
      prerequisites: null,
      // As parsed for an item that declares no sequencing: the spec's defaults (SN 4th, section 3).
      sequencing: scormVersion === "1.2" ? null : defaultSequencing(),
      children: [],
    });
  }
  const ids = items.map((item) => item.identifier);
  const warnings = items.length === 0 ? [] : [{
    code: "package.organization_built",
    message: `${where.problem}: the course was built from its ${ids.length === 1 ? "SCO resource" : `${ids.length} SCO resources`} ${listOf(ids)}, one item each in the order the manifest lists them. Add items to an <organization> to choose the order and the titles learners see`,
    file: MANIFEST,
    element: where.element,
  }];
  return { items, errors, warnings };
}

/**
 * An organization identifier for a course built without `<organization>`: the root activity of
 * SCORM 2004 sequencing needs one, distinct from every item's. The same package always gets the same one.
 */
export function builtOrganizationIdentifier(manifestIdentifier: string, items: ManifestItem[]): string {
  const taken = new Set(items.map((item) => item.identifier));
  const base = `${manifestIdentifier || "MANIFEST"}-ORGANIZATION`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/**
 * Why an organization that has items launches nothing, naming the items and resources concerned:
 * items that refer to no resource, or to resources without an href (a missing resource is
 * reported where it is found).
 */
export function nothingToLaunch(organizationIdentifier: string, items: ManifestItem[], resources: ManifestResource[]): Finding[] {
  const byId = new Map(resources.map((resource) => [resource.identifier, resource]));
  const referring: Array<{ item: ManifestItem; resource: ManifestResource }> = [];
  const visit = (item: ManifestItem) => {
    const resource = item.identifierref === null ? undefined : byId.get(item.identifierref);
    if (resource) referring.push({ item, resource });
    item.children.forEach(visit);
  };
  items.forEach(visit);
  const organization = `<organization identifier="${organizationIdentifier}">`;
  if (referring.length === 0) {
    return [{
      code: "package.no_launchable",
      message: `No item of the organization ${JSON.stringify(organizationIdentifier)} refers to a resource (identifierref): there is nothing to launch`,
      file: MANIFEST,
      element: organization,
    }];
  }
  const hrefless = [...new Set(referring.map(({ resource }) => resource.identifier))];
  const itemIds = referring.map(({ item }) => item.identifier);
  return [{
    code: "package.no_launchable",
    message: `Nothing can be launched: ${itemIds.length === 1 ? "the item" : "the items"} ${listOf(itemIds)} refer${itemIds.length === 1 ? "s" : ""} to ${hrefless.length === 1 ? "the resource" : "the resources"} ${listOf(hrefless)}, which ${hrefless.length === 1 ? "has" : "have"} no href`,
    file: MANIFEST,
    element: `<resource identifier="${hrefless[0]}">`,
  }];
}

/**
 * The title in an element's inline LOM metadata (`<metadata><lom><general><title>`): 1.2's imsmd
 * writes it in `<langstring>`, 2004's LOM in `<string>`; the first that has text is taken.
 */
export function metadataTitle(node: XmlNode | undefined): string | null {
  const title = childNamed(childNamed(childNamed(childNamed(node, "metadata"), "lom"), "general"), "title");
  if (!title) return null;
  const text = title.children.find((child) => (child.name === "langstring" || child.name === "string") && child.text)?.text;
  return text ?? (title.text || null);
}

function listOf(ids: string[]): string {
  const shown = ids.slice(0, SHOWN_IDS).map((id) => JSON.stringify(id)).join(", ");
  return ids.length > SHOWN_IDS ? `${shown} and ${ids.length - SHOWN_IDS} more` : shown;
}
