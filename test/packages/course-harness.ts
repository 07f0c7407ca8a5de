// A stand-in LMS for driving the demo course packages in real Chromium: a static server for
// packages/<slug>/ (with packages/_shared/ served as <slug>/shared/, the way the zip builder lays
// it out) and a harness page that puts scorm-again's real API on window, then loads a SCO in an
// iframe beneath it, so the content finds the API in its parent as it would in the player.
import { createServer } from "node:http";
import { readFile, readdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import type { Frame, Page } from "playwright-core";

export const PACKAGES_DIR = fileURLToPath(new URL("../../packages", import.meta.url));
export const SHARED_DIR = path.join(PACKAGES_DIR, "_shared");
const SCORM_AGAIN_BUNDLE = fileURLToPath(new URL("../../node_modules/scorm-again/dist/scorm-again.js", import.meta.url));

export type ScormVersion = "1.2" | "2004";
export type ApiCall = { method: string; args: string[]; result: string };
export type CmiJson = Record<string, unknown>;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
};

// scorm-again's browser bundle defines window.Scorm12API and window.Scorm2004API. No commit URL and
// no autocommit: every value stays in scorm-again's own CMI for the test to read. Each call the
// content makes is logged with its result.
const HARNESS_HTML = `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>SCORM harness</title>
<script src="/scorm-again.js"></script>
<script>
  window.apiCalls = [];
  window.launchSco = function (options) {
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
    var api = options.version === "2004" ? new window.Scorm2004API(settings) : new window.Scorm12API(settings);
    if (options.cmi) api.loadFromJSON(options.cmi, "cmi");
    var methods = options.version === "2004"
      ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"]
      : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"];
    methods.forEach(function (name) {
      var original = api[name];
      api[name] = function () {
        var result = original.apply(api, arguments);
        window.apiCalls.push({ method: name, args: Array.prototype.map.call(arguments, String), result: String(result) });
        return result;
      };
    });
    window.lmsApi = api;
    window[options.version === "2004" ? "API_1484_11" : "API"] = api;
    return new Promise(function (resolve) {
      var frame = document.createElement("iframe");
      frame.name = "content";
      frame.title = "Course content";
      frame.style.width = "100%";
      frame.style.height = "900px";
      frame.onload = function () { resolve(); };
      frame.src = options.href;
      document.body.appendChild(frame);
    });
  };
</script></head><body></body></html>`;

export type CourseServer = { baseUrl: string; close(): Promise<void> };

function within(dir: string, relative: string): string | null {
  const full = path.normalize(path.join(dir, relative));
  return full.startsWith(dir + path.sep) ? full : null;
}

/** /courses/<slug>/shared/x -> packages/_shared/x; /courses/<slug>/x -> packages/<slug>/x. */
function fileForPath(pathname: string): string | null {
  if (pathname === "/scorm-again.js") return SCORM_AGAIN_BUNDLE;
  const match = /^\/courses\/([a-z0-9-]+)\/(.+)$/.exec(decodeURIComponent(pathname));
  if (!match) return null;
  const [, slug = "", rest = ""] = match;
  if (rest.startsWith("shared/")) return within(SHARED_DIR, rest.slice("shared/".length));
  return within(path.join(PACKAGES_DIR, slug), rest);
}

export async function startCourseServer(): Promise<CourseServer> {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
    if (pathname === "/harness.html") {
      res.writeHead(200, { "content-type": CONTENT_TYPES[".html"] }).end(HARNESS_HTML);
      return;
    }
    if (pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const file = fileForPath(pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

// ---- manifests --------------------------------------------------------------------------------

type XmlNode = Record<string, unknown>;
export type ManifestSco = { identifier: string; title: string; href: string };
export type CourseManifest = {
  /** The parsed document, attributes prefixed "@", namespace prefixes kept (imsss:sequencing). */
  manifest: XmlNode;
  schemaVersion: string;
  organization: XmlNode;
  organizationTitle: string;
  scos: ManifestSco[];
  files: string[];
};

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  isArray: (name) => ["organization", "item", "resource", "file", "dependency"].includes(name),
});

export const nodes = (value: unknown): XmlNode[] => (Array.isArray(value) ? (value as XmlNode[]) : []);
export const child = (node: unknown, name: string): XmlNode =>
  (typeof node === "object" && node !== null ? ((node as XmlNode)[name] as XmlNode | undefined) : undefined) ?? {};
export const text = (value: unknown): string =>
  typeof value === "object" && value !== null ? String((value as XmlNode)["#text"] ?? "") : String(value ?? "");

function leafItems(items: XmlNode[]): XmlNode[] {
  return items.flatMap((item) => (item.item ? leafItems(nodes(item.item)) : [item]));
}

export async function readCourseManifest(slug: string): Promise<CourseManifest> {
  const parsed = xml.parse(await readFile(path.join(PACKAGES_DIR, slug, "imsmanifest.xml"), "utf8")) as XmlNode;
  const manifest = child(parsed, "manifest");
  const organizations = child(manifest, "organizations");
  const organization = nodes(organizations.organization).find((org) => org["@identifier"] === organizations["@default"]);
  if (!organization) throw new Error(`${slug}: the default organization is missing`);
  const resources = nodes(child(manifest, "resources").resource);
  const scos = leafItems(nodes(organization.item)).map((item) => {
    const resource = resources.find((r) => r["@identifier"] === item["@identifierref"]);
    if (!resource) throw new Error(`${slug}: item ${text(item["@identifier"])} has no resource`);
    return { identifier: text(item["@identifier"]), title: text(item.title), href: text(resource["@href"]) };
  });
  return {
    manifest,
    schemaVersion: text(child(manifest, "metadata").schemaversion),
    organization,
    organizationTitle: text(organization.title),
    scos,
    files: resources.flatMap((r) => nodes(r.file).map((f) => text(f["@href"]))),
  };
}

/** Every file a course's zip will hold: its own folder, plus packages/_shared/ as shared/. */
export async function packagedFiles(slug: string): Promise<string[]> {
  const list = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
  const own = await list(path.join(PACKAGES_DIR, slug));
  const shared = (await list(SHARED_DIR)).map((name) => `shared/${name}`);
  return [...own, ...shared].sort();
}

// ---- driving a launched SCO ---------------------------------------------------------------------

type HarnessWindow = Window & {
  launchSco(options: { version: ScormVersion; href: string; cmi?: CmiJson }): Promise<void>;
  apiCalls: ApiCall[];
  lmsApi: { renderCMIToJSONObject(): CmiJson };
};

export type LaunchedSco = {
  content: Frame;
  /** What scorm-again holds at a dotted path under cmi, e.g. "core.lesson_status" or "interactions". */
  cmi(element: string): Promise<unknown>;
  calls(): Promise<ApiCall[]>;
  /** How many times the content called one API method. */
  callCount(method: string): Promise<number>;
  /** The last value the content set for an element, from the call log (e.g. "adl.nav.request"). */
  lastSet(element: string): Promise<string | undefined>;
};

export async function launchSco(
  page: Page,
  baseUrl: string,
  options: { slug: string; version: ScormVersion; href: string; cmi?: CmiJson },
): Promise<LaunchedSco> {
  await page.goto(`${baseUrl}/harness.html`);
  const launch = { version: options.version, href: `/courses/${options.slug}/${options.href}`, cmi: options.cmi };
  await page.evaluate((opts) => (window as unknown as HarnessWindow).launchSco(opts), launch);
  const content = page.frame({ name: "content" });
  if (!content) throw new Error("the content frame did not load");

  const calls = () => page.evaluate(() => (window as unknown as HarnessWindow).apiCalls);
  return {
    content,
    calls,
    cmi: async (element) => {
      const json = await page.evaluate(() => (window as unknown as HarnessWindow).lmsApi.renderCMIToJSONObject());
      return element
        .split(".")
        .reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as XmlNode)[key] : undefined), json.cmi);
    },
    callCount: async (method) => (await calls()).filter((call) => call.method === method).length,
    lastSet: async (element) =>
      (await calls()).filter((call) => /SetValue$/.test(call.method) && call.args[0] === element).at(-1)?.args[1],
  };
}
