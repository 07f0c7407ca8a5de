/** Manifest hrefs are URLs relative to the package root; these say what, if anything, they name in the zip. */

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WEB = /^https?:\/\//i;

/** Has a scheme (`http:`, `javascript:`, `data:`...): not a file of the package. */
export function hasScheme(href: string): boolean {
  return SCHEME.test(href);
}

/** An http(s) page outside the package: the LMS cannot serve it. */
export function isWebUrl(href: string): boolean {
  return WEB.test(href);
}

/**
 * The package-relative file an href names: the path part, percent-decoded as a browser would
 * request it (`my%20doc.pdf` is `my doc.pdf` in the zip). Null for URLs with a scheme and
 * absolute paths, which name nothing in the package. An undecodable name is kept as written.
 */
export function packageFileOf(href: string): string | null {
  if (hasScheme(href) || href.startsWith("/")) return null;
  const pathPart = href.split(/[?#]/, 1)[0] ?? "";
  try {
    return decodeURIComponent(pathPart);
  } catch {
    return pathPart;
  }
}

/**
 * Applies `xml:base` from the outside in (manifest, resources, resource). A base is a folder even
 * when its trailing slash is missing, as many tools write it. Absolute hrefs stand alone.
 */
export function applyBase(bases: Array<string | undefined>, href: string): string {
  if (SCHEME.test(href) || href.startsWith("/")) return href;
  let prefix = "";
  for (const base of bases) {
    if (!base) continue;
    const folder = base.endsWith("/") ? base : `${base}/`;
    prefix = SCHEME.test(folder) || folder.startsWith("/") ? folder : prefix + folder;
  }
  return normaliseDotSegments(prefix + href);
}

/** Resolves `./` and `x/../` inside the path part only; the query and fragment are left alone. */
function normaliseDotSegments(url: string): string {
  const split = url.search(/[?#]/);
  const pathPart = split < 0 ? url : url.slice(0, split);
  if (SCHEME.test(pathPart)) return url;
  const out: string[] = [];
  for (const segment of pathPart.split("/")) {
    if (segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(segment);
  }
  return out.join("/") + (split < 0 ? "" : url.slice(split));
}

/**
 * SCORM CAM (content packaging, item `parameters`): drop leading `?`/`&`; a `#fragment` is added
 * only when the href has none; otherwise join with `&` if the href has a query, else `?`.
 */
export function appendParameters(href: string, parameters: string | null): string {
  const params = (parameters ?? "").replace(/^[?&]+/, "");
  if (!params) return href;
  if (params.startsWith("#")) return href.includes("#") ? href : href + params;
  const hash = href.indexOf("#");
  const before = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? "" : href.slice(hash);
  return `${before}${before.includes("?") ? "&" : "?"}${params}${fragment}`;
}
