import { AppError } from "../../errors.ts";
import { throwIfAny } from "../findings.ts";
import type { Finding } from "../findings.ts";
import { checkManifest } from "./manifest-checks.ts";
import { shortenLongTitles } from "./titles.ts";
import { appendParameters, applyBase } from "./hrefs.ts";
import { builtOrganizationIdentifier, itemsFromResources, metadataTitle, nothingToLaunch } from "./course-structure.ts";
import { defaultSequencing, readActivitySequencing, readSequencingCollection, type ActivitySequencing } from "./sequencing.ts";
import { childNamed, childrenNamed, childText, hasDescendant, malformed, parseXmlSafely, type XmlNode } from "./xml-tree.ts";

export { appendParameters, applyBase } from "./hrefs.ts";

export type ScormVersion = "1.2" | "2004 2nd Edition" | "2004 3rd Edition" | "2004 4th Edition";
export type ScormType = "sco" | "asset";

/** An `<item>` of the default organization. Field names are the manifest's own, verbatim. */
export interface ManifestItem {
  identifier: string;
  title: string;
  identifierref: string | null;
  parameters: string | null;
  isvisible: boolean;
  /** SCORM 1.2 `adlcp:masteryscore`, 0-100. */
  masteryscore: number | null;
  /** 1.2 `adlcp:datafromlms`, 2004 `adlcp:dataFromLMS`. */
  datafromlms: string | null;
  /** 1.2 only; in 2004 the time limit is a sequencing limit condition. */
  maxtimeallowed: string | null;
  /** 1.2 `adlcp:timelimitaction`, 2004 `adlcp:timeLimitAction`. */
  timelimitaction: string | null;
  /** 1.2 only (an AICC script expression). */
  prerequisites: string | null;
  /** 2004 only: IMS SS sequencing (collection `IDRef` resolved), completionThreshold, hideLMSUI. */
  sequencing: ActivitySequencing | null;
  children: ManifestItem[];
}

export interface ManifestResource {
  identifier: string;
  scormType: ScormType;
  /** With every enclosing `xml:base` applied; null for resources that are not launchable. */
  href: string | null;
  files: string[];
  dependencies: string[];
}

/** One launchable leaf, in organization order: what the player offers and starts. */
export interface Launchable {
  /** The item's identifier (the activity id attempts and CMI are keyed by). */
  identifier: string;
  title: string;
  resourceId: string;
  scormType: ScormType;
  /** The resource href with the item's parameters appended (CAM 3.4.1.x). */
  launch: string;
}

export interface Manifest {
  identifier: string;
  scormVersion: ScormVersion;
  /** `<schemaversion>` as written, or null when absent. */
  schemaVersion: string | null;
  /** The default organization's title (the course title). */
  title: string;
  organization: { identifier: string; title: string; items: ManifestItem[]; sequencing: ActivitySequencing | null };
  resources: ManifestResource[];
  launchables: Launchable[];
  /** Whether any IMS Simple Sequencing is declared; converting it is the sequencing builder's job. */
  hasSequencing: boolean;
}

// Namespace URIs (lower-cased) that only one SCORM generation uses.
const SCORM_12_NAMESPACES = ["http://www.adlnet.org/xsd/adlcp_rootv1p2", "http://www.imsproject.org/xsd/imscp_rootv1p1p2"];
const SCORM_2004_NAMESPACES = [
  "http://www.adlnet.org/xsd/adlcp_v1p3",
  "http://www.imsglobal.org/xsd/imsss",
  "http://www.adlnet.org/xsd/adlseq_v1p3",
  "http://www.adlnet.org/xsd/adlnav_v1p3",
];
// CAM <schemaversion> values; 2004 2nd Edition wrote "CAM 1.3".
const SCHEMA_VERSIONS: Record<string, ScormVersion> = {
  "1.2": "1.2",
  "cam 1.3": "2004 2nd Edition",
  "2004 2nd edition": "2004 2nd Edition",
  "2004 3rd edition": "2004 3rd Edition",
  "2004 4th edition": "2004 4th Edition",
};

/**
 * Pure: imsmanifest.xml text -> Manifest. No I/O; every blocking problem the manifest has is
 * thrown together, as one PackageError (code: the first problem's).
 */
export function parseManifest(xmlText: string): Manifest {
  const { manifest, errors, warnings } = readManifest(xmlText);
  throwIfAny(errors, warnings);
  return manifest;
}

/** What the manifest says, with every problem found in it; unreadable XML is still thrown. */
export interface ManifestReading {
  /** Best effort when there are errors: never import it then. */
  manifest: Manifest;
  /** Problems that block import. */
  errors: Finding[];
  warnings: Finding[];
}

export function readManifest(xmlText: string): ManifestReading {
  const { root, namespaces } = parseXmlSafely(xmlText);
  if (root.name !== "manifest") throw malformed(`the root element is <${root.name}>, not <manifest>`);
  const errors: Finding[] = [];
  const warnings: Finding[] = [];

  const schemaVersion = childText(childNamed(root, "metadata"), "schemaversion");
  let scormVersion: ScormVersion = "1.2";
  try {
    const detected = detectVersion(schemaVersion, namespaces);
    scormVersion = detected.version;
    if (detected.namespace !== null) warnings.push(versionTakenFromNamespace(schemaVersion, detected.version, detected.namespace));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.push({ code: error.code, message: error.message, file: MANIFEST, element: "<metadata><schemaversion>" });
  }

  const organizations = childNamed(root, "organizations");
  const all = childrenNamed(organizations, "organization");
  const wanted = organizations?.attributes.default;
  const named = all.find((node) => node.attributes.identifier === wanted);
  if (wanted && !named && all.length) {
    warnings.push({
      code: "package.default_organization_missing",
      file: MANIFEST,
      element: `<organizations default="${wanted}">`,
      message: `The default organization ${JSON.stringify(wanted)} is not in the manifest: the first organization, ${JSON.stringify(all[0]!.attributes.identifier ?? "")}, is used`,
    });
  }
  const chosen = named ?? all[0];
  const collection = scormVersion === "1.2" ? null : readSequencingCollection(root);
  const readSequencing = (node: XmlNode) => (collection ? readActivitySequencing(node, collection) : null);
  const identifier = root.attributes.identifier ?? "";

  const resourcesNode = childNamed(root, "resources");
  const bases = [root.attributes.base, resourcesNode?.attributes.base];
  const resourceNodes = childrenNamed(resourcesNode, "resource");
  const resources = resourceNodes.map((node) => readResource(node, bases));

  let items = childrenNamed(chosen, "item").map((node) => readItem(node, readSequencing));
  // No organization to follow (`<organizations/>`, or an <organization> without items): built
  // from the SCO resources, as Moodle does, or an error saying why it cannot be.
  const built = items.length === 0;
  if (built) {
    const fromResources = itemsFromResources(chosen ? (chosen.attributes.identifier ?? "") : null, resourceNodes.map((node, index) => ({ node, resource: resources[index]! })), scormVersion);
    items = fromResources.items;
    errors.push(...fromResources.errors);
    warnings.push(...fromResources.warnings);
  }
  const organization = {
    identifier: chosen?.attributes.identifier ?? builtOrganizationIdentifier(identifier, items),
    title: childText(chosen, "title") ?? metadataTitle(root) ?? identifier,
    items,
    sequencing: chosen ? readSequencing(chosen) : collection ? defaultSequencing() : null,
  };
  // Before launchables copy the items' titles, and the course takes the organization's.
  warnings.push(...shortenLongTitles(organization));
  const launchables = collectLaunchables(items, resources, errors);
  if (launchables.length === 0 && !built && !errors.some((error) => error.code === "package.missing_resource")) {
    // With items whose resources are missing, that is the problem to report, not its consequence.
    errors.push(...nothingToLaunch(organization.identifier, items, resources));
  }

  const manifest: Manifest = {
    identifier,
    scormVersion,
    schemaVersion,
    title: organization.title,
    organization,
    resources,
    launchables,
    hasSequencing: hasDescendant(root, "sequencing") || hasDescendant(root, "sequencingcollection"),
  };
  const checked = checkManifest(manifest);
  return { manifest, errors: [...errors, ...checked.errors], warnings: [...warnings, ...checked.warnings] };
}

const MANIFEST = "imsmanifest.xml";

/** The SCORM version, and the namespace it was taken from when `<schemaversion>` did not say (null when it did). */
function detectVersion(schemaVersion: string | null, namespaces: Set<string>): { version: ScormVersion; namespace: string | null } {
  const declared = schemaVersion ? SCHEMA_VERSIONS[schemaVersion.trim().replace(/\s+/g, " ").toLowerCase()] : undefined;
  if (declared) return { version: declared, namespace: null };
  // No usable <schemaversion>: many 1.2 packages omit <metadata>. Namespaces still tell the
  // generation; an undeclared 2004 edition is taken as 3rd, the edition most tools wrote before 4th.
  const of2004 = SCORM_2004_NAMESPACES.find((uri) => namespaces.has(uri));
  if (of2004) return { version: "2004 3rd Edition", namespace: of2004 };
  const of12 = SCORM_12_NAMESPACES.find((uri) => namespaces.has(uri));
  if (of12) return { version: "1.2", namespace: of12 };
  throw new AppError(
    "package.unknown_schema",
    `imsmanifest.xml does not say which SCORM version it is (schemaversion ${JSON.stringify(schemaVersion)}); expected 1.2 or 2004`,
  );
}

/**
 * Moodle takes a missing or unknown `<schemaversion>` as 1.2, silently; here the report says which
 * version the package was taken as, and from which namespace, so a wrong guess can be seen.
 */
function versionTakenFromNamespace(schemaVersion: string | null, version: ScormVersion, namespace: string): Finding {
  const taken = version === "1.2"
    ? `it was taken as SCORM 1.2, because the manifest declares the SCORM 1.2 namespace ${namespace}`
    : `it was taken as SCORM ${version}, because the manifest declares the SCORM 2004 namespace ${namespace} (a 2004 manifest that does not name its edition is taken as 3rd)`;
  if (schemaVersion === null) {
    return { code: "package.metadata_missing", file: MANIFEST, element: "<metadata><schemaversion>", message: `The manifest has no <schemaversion>: ${taken}` };
  }
  return {
    code: "package.schemaversion_unknown",
    file: MANIFEST,
    element: "<metadata><schemaversion>",
    message: `The manifest's <schemaversion> is ${JSON.stringify(schemaVersion)}, which is none of 1.2, CAM 1.3, 2004 2nd Edition, 2004 3rd Edition or 2004 4th Edition: ${taken}`,
  };
}

function readItem(node: XmlNode, readSequencing: (node: XmlNode) => ActivitySequencing | null): ManifestItem {
  const masteryText = childText(node, "masteryscore");
  const mastery = masteryText === null ? NaN : Number(masteryText);
  return {
    identifier: node.attributes.identifier ?? "",
    title: childText(node, "title") ?? node.attributes.identifier ?? "",
    identifierref: node.attributes.identifierref || null,
    parameters: node.attributes.parameters || null,
    // CAM: isvisible defaults to true; only an explicit "false" hides the item.
    isvisible: node.attributes.isvisible?.trim().toLowerCase() !== "false",
    masteryscore: Number.isFinite(mastery) ? mastery : null,
    datafromlms: childText(node, "datafromlms"),
    maxtimeallowed: childText(node, "maxtimeallowed"),
    timelimitaction: childText(node, "timelimitaction"),
    prerequisites: childText(node, "prerequisites"),
    sequencing: readSequencing(node),
    children: childrenNamed(node, "item").map((child) => readItem(child, readSequencing)),
  };
}

function readResource(node: XmlNode, outerBases: Array<string | undefined>): ManifestResource {
  const bases = [...outerBases, node.attributes.base];
  const href = node.attributes.href;
  // 1.2 spells it scormtype, 2004 scormType; both are keyed lower-case. A resource without one is
  // taken as a SCO: authoring tools that forget it make SCOs, and an asset would never report.
  const scormType: ScormType = node.attributes.scormtype?.trim().toLowerCase() === "asset" ? "asset" : "sco";
  return {
    identifier: node.attributes.identifier ?? "",
    scormType,
    href: href ? applyBase(bases, href) : null,
    files: childrenNamed(node, "file").flatMap((file) => (file.attributes.href ? [applyBase(bases, file.attributes.href)] : [])),
    dependencies: childrenNamed(node, "dependency").flatMap((dependency) => dependency.attributes.identifierref ?? []),
  };
}

function collectLaunchables(items: ManifestItem[], resources: ManifestResource[], errors: Finding[]): Launchable[] {
  const byId = new Map<string, ManifestResource>();
  for (const resource of resources) if (!byId.has(resource.identifier)) byId.set(resource.identifier, resource);
  const launchables: Launchable[] = [];
  const visit = (item: ManifestItem) => {
    if (item.identifierref !== null) {
      const resource = byId.get(item.identifierref);
      if (!resource) {
        errors.push({
          code: "package.missing_resource",
          message: `Item ${JSON.stringify(item.identifier)} refers to resource ${JSON.stringify(item.identifierref)}, which the manifest does not define`,
          file: MANIFEST,
          element: `<item identifier="${item.identifier}" identifierref="${item.identifierref}">`,
        });
      } else if (resource.href !== null) {
        launchables.push({
          identifier: item.identifier,
          title: item.title,
          resourceId: resource.identifier,
          scormType: resource.scormType,
          launch: appendParameters(resource.href, item.parameters),
        });
      }
    }
    item.children.forEach(visit);
  };
  items.forEach(visit);
  return launchables;
}
