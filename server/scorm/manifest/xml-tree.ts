import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AppError } from "../../errors.ts";

/**
 * A manifest's XML as a small namespace-blind tree. Packages spell prefixes as they like
 * (`adlcp:`, `ADLCP:`, a default namespace, none at all) and tools disagree on case
 * (`adlcp:scormtype` in 1.2, `adlcp:scormType` in 2004), so elements and attributes are keyed by
 * their lower-cased local name; the namespace URIs declared anywhere are kept for version detection.
 */
export interface XmlNode {
  /** Lower-cased local name: `adlcp:masteryScore` -> `masteryscore`. */
  name: string;
  /** Attributes by lower-cased local name: `xml:base` -> `base`. */
  attributes: Record<string, string>;
  children: XmlNode[];
  /** The element's own text (CDATA included), trimmed. */
  text: string;
}

export interface XmlDocument {
  root: XmlNode;
  namespaces: Set<string>;
}

type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // References are decoded by decodeReferences below, in one pass (the parser's own pass leaves
  // numeric character references such as &#8211; undecoded).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Kept apart so that CDATA text is taken literally, never reference-decoded.
  cdataPropName: "#cdata",
});

/**
 * Parses XML with DTDs refused outright: no DOCTYPE means no entity definitions, hence no
 * billion-laughs expansion and no external entity fetch, whatever the parser's own defaults.
 */
export function parseXmlSafely(xmlText: string): XmlDocument {
  const text = xmlText.replace(/^\uFEFF/, "");
  refuseDeclarations(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw malformed(`${msg} (line ${line}${col === undefined ? "" : `, column ${col}`})`);
  }
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (error) {
    throw malformed((error as Error).message);
  }
  const namespaces = new Set<string>();
  const roots = convert(raw, namespaces);
  if (roots.length !== 1) throw malformed(`expected one root element, found ${roots.length}`);
  return { root: roots[0]!, namespaces };
}

/**
 * Refuses every markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`...) outside comments and
 * CDATA sections. The text is walked from the start, each `<!--` or `<![CDATA[` skipped to its own
 * end exactly as the parser reads it, so `<!-- <!DOCTYPE x> -->` is a comment, while a real
 * declaration cannot hide behind a comment that was never opened or never closed.
 */
function refuseDeclarations(text: string): void {
  for (let at = text.indexOf("<!"); at >= 0; at = text.indexOf("<!", at)) {
    const [close, what] = text.startsWith("<!--", at) ? ["-->", "A comment"] : text.startsWith("<![CDATA[", at) ? ["]]>", "A CDATA section"] : [null, ""];
    if (close === null) {
      throw new AppError("package.manifest_unsafe", "imsmanifest.xml contains a DOCTYPE, ENTITY or other markup declaration, which is refused");
    }
    const end = text.indexOf(close, at + (close === "-->" ? 4 : 9));
    if (end < 0) throw malformed(`${what} is not closed (at character ${at + 1})`);
    at = end + close.length;
  }
}

// The largest manifest allowed has some 150,000 elements, most of them leaves (<file>, rule
// conditions): leaves share one empty list of children and one empty set of attributes, names are
// made once each, and each raw element is let go once converted. Measured on it, this took the
// reading's peak from 160 MB to about a hundred. Nothing reading the tree changes it.
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

function convert(raw: RawNode[], namespaces: Set<string>, names = new Map<string, string>()): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (let index = 0; index < raw.length; index++) {
    const item = raw[index]!;
    (raw as Array<RawNode | undefined>)[index] = undefined;
    const tag = Object.keys(item).find((key) => key !== ":@" && key !== "#text" && key !== CDATA);
    if (tag === undefined) continue;
    let attributes = NO_ATTRIBUTES;
    for (const [name, value] of Object.entries((item[":@"] ?? {}) as Record<string, unknown>)) {
      if (name === "xmlns" || name.startsWith("xmlns:")) namespaces.add(String(value).trim().toLowerCase());
      else {
        if (attributes === NO_ATTRIBUTES) attributes = {};
        attributes[localName(name, names)] = decodeReferences(String(value));
      }
    }
    const content = (item[tag] ?? []) as RawNode[];
    const text = content.map((child) => ("#text" in child ? decodeReferences(String(child["#text"])) : cdataOf(child))).join("");
    const children = content.length ? convert(content, namespaces, names) : NO_CHILDREN;
    nodes.push({ name: localName(tag, names), attributes, children: children.length ? children : NO_CHILDREN, text: text.trim() });
  }
  return nodes;
}

const CDATA = "#cdata";

function cdataOf(node: RawNode): string {
  const parts = (node[CDATA] ?? []) as RawNode[];
  return parts.map((part) => String(part["#text"] ?? "")).join("");
}

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML 1.0 section 4.1/4.6: character references and the five predefined entities; nothing else exists without a DTD. */
function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference, body: string) => {
    if (body[0] !== "#") return PREDEFINED[body] ?? reference;
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
  });
}

function localName(qualified: string, names: Map<string, string>): string {
  let name = names.get(qualified);
  if (name === undefined) names.set(qualified, (name = qualified.slice(qualified.indexOf(":") + 1).toLowerCase()));
  return name;
}

export function malformed(problem: string): AppError {
  return new AppError("package.manifest_malformed", `imsmanifest.xml is not valid: ${problem}`);
}

export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((child) => child.name === name) : [];
}

export function childNamed(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((child) => child.name === name);
}

/** The trimmed text of a named child, or null when the child is absent or empty. */
export function childText(node: XmlNode | undefined, name: string): string | null {
  const text = childNamed(node, name)?.text;
  return text ? text : null;
}

export function hasDescendant(node: XmlNode, name: string): boolean {
  return node.children.some((child) => child.name === name || hasDescendant(child, name));
}
