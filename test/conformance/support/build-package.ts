// A conformance case's package from a small description: the manifest (SCORM 1.2, 2004 3rd or
// 4th Edition), one HTML page per leaf item that loads the scripted test SCO (test-sco.js), and
// the popup page, zipped as a real package (test/support/build-zip.ts).
import fs from "node:fs";
import { buildZip } from "../../support/build-zip.ts";

export type PackageVersion = "1.2" | "2004 3rd" | "2004 4th";

export interface ItemSpec {
  id: string;
  title?: string;
  isvisible?: boolean;
  /** Appended to the resource's href at launch (CAM: `?page=2`, `#start`). */
  parameters?: string;
  /** A leaf's resource: a SCO (the default) or an asset. */
  type?: "sco" | "asset";
  children?: ItemSpec[];
  /** SCORM 1.2 adlcp:prerequisites (AICC script). */
  prerequisites?: string;
  /** SCORM 1.2 adlcp:masteryscore. */
  masteryScore?: number;
  /** SCORM 1.2 adlcp:maxtimeallowed. */
  maxTimeAllowed?: string;
  /** adlcp:timelimitaction (1.2) / adlcp:timeLimitAction (2004). */
  timeLimitAction?: string;
  /** adlcp:datafromlms (1.2) / adlcp:dataFromLMS (2004): cmi launch data. */
  dataFromLms?: string;
  /** SCORM 2004 adlcp:completionThreshold: 4th Edition's minProgressMeasure (completedByMeasure), 3rd's value. */
  completionThreshold?: number;
  /** Raw `<imsss:sequencing>` XML for the item. */
  sequencing?: string;
  /** Raw `<adlnav:presentation>` XML for the item. */
  presentation?: string;
  /** The leaf's own page instead of the test SCO page (e.g. a frameset around it: `files` holds the rest). */
  page?: string;
}

export interface PackageSpec {
  version: PackageVersion;
  /** The organization's title; the course code is the case's. */
  title?: string;
  items: ItemSpec[];
  /** Raw XML at the end of the organization (its `<imsss:sequencing>`). */
  organizationSequencing?: string;
  /** Raw inner XML of `<imsss:sequencingCollection>`. */
  sequencingCollection?: string;
  /** More files in the zip. */
  files?: Record<string, string>;
  /** A whole manifest written by the case instead of the generated one (the pages are still added); null: none at all. */
  manifest?: string | null;
}

const TEST_SCO = fs.readFileSync(new URL("./test-sco.js", import.meta.url), "utf8");

const NAMESPACES_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
const NAMESPACES_2004 =
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" ' +
  'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The test SCO page of a leaf item (or of a page inside its frames: `script` is then the way back to test-sco.js). */
export function scoPage(itemId: string, version: PackageVersion, script = "test-sco.js"): string {
  const api = version === "1.2" ? "API" : "API_1484_11";
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(itemId)}</title></head>
<body data-sco="${escapeXml(itemId)}" data-api="${api}"><h1>${escapeXml(itemId)}</h1><script src="${escapeXml(script)}"></script></body></html>`;
}

function popupPage(version: PackageVersion): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>popup</title></head>
<body data-popup data-api="${version === "1.2" ? "API" : "API_1484_11"}"><script src="test-sco.js"></script></body></html>`;
}

export function leaves(items: ItemSpec[]): ItemSpec[] {
  return items.flatMap((item) => (item.children?.length ? leaves(item.children) : [item]));
}

function itemXml(item: ItemSpec, version: PackageVersion, indent: string): string {
  const is12 = version === "1.2";
  const attributes = [`identifier="${escapeXml(item.id)}"`];
  if (!item.children?.length) attributes.push(`identifierref="R-${escapeXml(item.id)}"`);
  if (item.isvisible === false) attributes.push('isvisible="false"');
  if (item.parameters) attributes.push(`parameters="${escapeXml(item.parameters)}"`);
  const inner = [`<title>${escapeXml(item.title ?? item.id)}</title>`, ...(item.children ?? []).map((child) => itemXml(child, version, `${indent}  `))];
  // Each binding's own element order (the 1.2 and 2004 adlcp schemas).
  if (is12) {
    if (item.prerequisites !== undefined) inner.push(`<adlcp:prerequisites type="aicc_script">${escapeXml(item.prerequisites)}</adlcp:prerequisites>`);
    if (item.maxTimeAllowed !== undefined) inner.push(`<adlcp:maxtimeallowed>${escapeXml(item.maxTimeAllowed)}</adlcp:maxtimeallowed>`);
    if (item.timeLimitAction !== undefined) inner.push(`<adlcp:timelimitaction>${escapeXml(item.timeLimitAction)}</adlcp:timelimitaction>`);
    if (item.dataFromLms !== undefined) inner.push(`<adlcp:datafromlms>${escapeXml(item.dataFromLms)}</adlcp:datafromlms>`);
    if (item.masteryScore !== undefined) inner.push(`<adlcp:masteryscore>${item.masteryScore}</adlcp:masteryscore>`);
  } else {
    if (item.timeLimitAction !== undefined) inner.push(`<adlcp:timeLimitAction>${escapeXml(item.timeLimitAction)}</adlcp:timeLimitAction>`);
    if (item.dataFromLms !== undefined) inner.push(`<adlcp:dataFromLMS>${escapeXml(item.dataFromLms)}</adlcp:dataFromLMS>`);
    if (item.completionThreshold !== undefined) {
      inner.push(
        version === "2004 4th"
          ? `<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="${item.completionThreshold}"/>`
          : `<adlcp:completionThreshold>${item.completionThreshold}</adlcp:completionThreshold>`,
      );
    }
    if (item.sequencing) inner.push(item.sequencing);
    if (item.presentation) inner.push(item.presentation);
  }
  return `${indent}<item ${attributes.join(" ")}>\n${inner.map((line) => `${indent}  ${line.trim()}`).join("\n")}\n${indent}</item>`;
}

/** The manifest the description says. */
export function manifestXml(spec: PackageSpec, title: string): string {
  const is12 = spec.version === "1.2";
  const scormType = is12 ? "adlcp:scormtype" : "adlcp:scormType";
  const schemaVersion = is12 ? "1.2" : `2004 ${spec.version.slice(5)} Edition`;
  const resources = leaves(spec.items).map(
    (item) =>
      `    <resource identifier="R-${escapeXml(item.id)}" type="webcontent" ${scormType}="${item.type ?? "sco"}" href="${escapeXml(item.id)}.html">` +
      `<file href="${escapeXml(item.id)}.html"/><dependency identifierref="R-support"/></resource>`,
  );
  resources.push(`    <resource identifier="R-support" type="webcontent" ${scormType}="asset"><file href="test-sco.js"/><file href="popup.html"/></resource>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="conformance" version="1" ${is12 ? NAMESPACES_12 : NAMESPACES_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>${schemaVersion}</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>${escapeXml(title)}</title>
${spec.items.map((item) => itemXml(item, spec.version, "      ")).join("\n")}
${spec.organizationSequencing ? `      ${spec.organizationSequencing.trim()}\n` : ""}    </organization>
  </organizations>
  <resources>
${resources.join("\n")}
  </resources>
${spec.sequencingCollection ? `  <imsss:sequencingCollection>${spec.sequencingCollection.trim()}</imsss:sequencingCollection>\n` : ""}</manifest>`;
}

/** Every file of the package, by its path in the zip. */
export function packageFiles(spec: PackageSpec, title: string): Record<string, string> {
  const files: Record<string, string> = { "test-sco.js": TEST_SCO, "popup.html": popupPage(spec.version) };
  if (spec.manifest !== null) files["imsmanifest.xml"] = spec.manifest ?? manifestXml(spec, title);
  for (const item of leaves(spec.items)) files[`${item.id}.html`] = item.page ?? scoPage(item.id, spec.version);
  return { ...files, ...spec.files };
}

/** The package zipped, as an author uploads it; returns the zip's path. */
export function buildPackage(spec: PackageSpec, title: string): Promise<string> {
  return buildZip(packageFiles(spec, title));
}
