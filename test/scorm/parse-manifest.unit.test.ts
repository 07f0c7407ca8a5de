import { describe, expect, it } from "vitest";
import { appendParameters, applyBase, parseManifest, readManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { PackageError } from "../../server/packages/package-error.ts";

// SCORM 1.2 as content tools write it: IMS CP 1.1.2 root namespace, adlcp_rootv1p2 extensions.
const scorm12 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST-FIRE" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>297 NHS Fire Safety &amp; Evacuation &#8211; Level 1</title>
      <item identifier="ITEM-PART1" isvisible="true">
        <title>Part 1</title>
        <item identifier="ITEM-INTRO" identifierref="RES-INTRO" parameters="?page=1">
          <title>Introduction</title>
          <adlcp:datafromlms>start=intro</adlcp:datafromlms>
          <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
          <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
        </item>
        <item identifier="ITEM-HIDDEN" isvisible="false"><title>Hidden note</title></item>
      </item>
      <item identifier="ITEM-QUIZ" identifierref="RES-QUIZ">
        <title><![CDATA[Assessment &amp; <quiz>]]></title>
        <adlcp:prerequisites type="aicc_script">ITEM-INTRO</adlcp:prerequisites>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="RES-INTRO" type="webcontent" adlcp:scormtype="sco" href="intro/index.html" xml:base="part1">
      <file href="intro/index.html"/>
      <dependency identifierref="RES-SHARED"/>
    </resource>
    <resource identifier="RES-QUIZ" type="webcontent" adlcp:scormtype="sco" href="quiz.html?mode=test#start"/>
    <resource identifier="RES-SHARED" type="webcontent" adlcp:scormtype="asset"><file href="shared/app.js"/></resource>
  </resources>
</manifest>`;

// SCORM 2004 4th Edition with a second, default organization and unusual namespace prefixes.
const scorm2004 = `<?xml version="1.0" encoding="UTF-8"?>
<cp:manifest identifier="M-2004" xmlns:cp="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:ext="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:ss="http://www.imsglobal.org/xsd/imsss"
    xml:base="course/">
  <cp:metadata><cp:schema>ADL SCORM</cp:schema><cp:schemaversion>2004 4th Edition</cp:schemaversion></cp:metadata>
  <cp:organizations default="ORG-B">
    <cp:organization identifier="ORG-A"><cp:title>Not this one</cp:title>
      <cp:item identifier="A1" identifierref="R1"><cp:title>A1</cp:title></cp:item>
    </cp:organization>
    <cp:organization identifier="ORG-B"><cp:title>297 Information Governance</cp:title>
      <cp:item identifier="B1" identifierref="R1" parameters="#chapter2"><cp:title>Module</cp:title>
        <ext:dataFromLMS>mode=review</ext:dataFromLMS>
        <ext:timeLimitAction>continue,no message</ext:timeLimitAction>
      </cp:item>
      <cp:item identifier="B2" identifierref="R2"><cp:title>Glossary</cp:title></cp:item>
      <ss:sequencing><ss:controlMode choice="true" flow="true"/></ss:sequencing>
    </cp:organization>
  </cp:organizations>
  <cp:resources>
    <cp:resource identifier="R1" type="webcontent" ext:scormType="sco" href="module/index.html"/>
    <cp:resource identifier="R2" type="webcontent" ext:scormType="asset" href="glossary.html"/>
  </cp:resources>
</cp:manifest>`;

const minimal = (head: string, metadata: string) => `<?xml version="1.0"?>
<manifest identifier="M" ${head}>${metadata}
  <organizations><organization identifier="O"><title>T</title><item identifier="I" identifierref="R"><title>I</title></item></organization></organizations>
  <resources><resource identifier="R" type="webcontent" href="index.html"/></resources>
</manifest>`;

describe("parseManifest", () => {
  it("reads a SCORM 1.2 manifest: version, item tree, 1.2 item extensions and launch order", () => {
    const manifest = parseManifest(scorm12);
    expect(manifest.scormVersion).toBe("1.2");
    expect(manifest.schemaVersion).toBe("1.2");
    expect(manifest.title).toBe("297 NHS Fire Safety & Evacuation \u2013 Level 1");
    expect(manifest.hasSequencing).toBe(false);

    const [part1, quiz] = manifest.organization.items;
    expect(part1!.identifierref).toBeNull();
    expect(part1!.children.map((item) => item.identifier)).toEqual(["ITEM-INTRO", "ITEM-HIDDEN"]);
    expect(part1!.children[1]!.isvisible).toBe(false);
    expect(part1!.children[0]).toMatchObject({
      parameters: "?page=1",
      isvisible: true,
      datafromlms: "start=intro",
      maxtimeallowed: "00:30:00",
      timelimitaction: "exit,message",
      masteryscore: null,
    });
    expect(quiz).toMatchObject({ title: "Assessment &amp; <quiz>", masteryscore: 80, prerequisites: "ITEM-INTRO" });

    expect(manifest.launchables).toEqual([
      { identifier: "ITEM-INTRO", title: "Introduction", resourceId: "RES-INTRO", scormType: "sco", launch: "content/part1/intro/index.html?page=1" },
      { identifier: "ITEM-QUIZ", title: "Assessment &amp; <quiz>", resourceId: "RES-QUIZ", scormType: "sco", launch: "content/quiz.html?mode=test#start" },
    ]);
    const shared = manifest.resources.find((resource) => resource.identifier === "RES-SHARED")!;
    expect(shared).toEqual({ identifier: "RES-SHARED", scormType: "asset", href: null, files: ["content/shared/app.js"], dependencies: [] });
    expect(manifest.resources[0]!.dependencies).toEqual(["RES-SHARED"]);
  });

  it("reads a SCORM 2004 4th Edition manifest whatever its prefixes, from the default organization", () => {
    const manifest = parseManifest(scorm2004);
    expect(manifest.scormVersion).toBe("2004 4th Edition");
    expect(manifest.organization.identifier).toBe("ORG-B");
    expect(manifest.title).toBe("297 Information Governance");
    expect(manifest.hasSequencing).toBe(true);
    expect(manifest.organization.items[0]).toMatchObject({ datafromlms: "mode=review", timelimitaction: "continue,no message" });
    expect(manifest.launchables).toEqual([
      { identifier: "B1", title: "Module", resourceId: "R1", scormType: "sco", launch: "course/module/index.html#chapter2" },
      { identifier: "B2", title: "Glossary", resourceId: "R2", scormType: "asset", launch: "course/glossary.html" },
    ]);
  });

  it.each([
    ["1.2 by schemaversion", "", "<metadata><schemaversion> 1.2 </schemaversion></metadata>", "1.2"],
    ["1.2 by namespace alone (no metadata)", 'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', "", "1.2"],
    ["2004 2nd Edition (CAM 1.3)", "", "<metadata><schemaversion>CAM 1.3</schemaversion></metadata>", "2004 2nd Edition"],
    ["2004 3rd Edition", "", "<metadata><schemaversion>2004 3rd Edition</schemaversion></metadata>", "2004 3rd Edition"],
    ["2004 4th Edition", "", "<metadata><schemaversion>2004 4th Edition</schemaversion></metadata>", "2004 4th Edition"],
    ["2004 by namespace alone", 'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"', "", "2004 3rd Edition"],
  ])("detects %s", (_name, head, metadata, version) => {
    expect(parseManifest(minimal(head, metadata)).scormVersion).toBe(version);
  });

  it("refuses a manifest that names no SCORM version", () => {
    expect(() => parseManifest(minimal("", "<metadata><schemaversion>1.1</schemaversion></metadata>"))).toThrow(
      expect.objectContaining({ code: "package.unknown_schema" }),
    );
  });

  it("refuses DOCTYPE and ENTITY declarations before parsing", () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><manifest>&lol2;</manifest>`;
    expect(() => parseManifest(laughs)).toThrow(expect.objectContaining({ code: "package.manifest_unsafe" }));
    const external = `<?xml version="1.0"?><!doctype manifest SYSTEM "http://evil.example/x.dtd"><manifest/>`;
    expect(() => parseManifest(external)).toThrow(expect.objectContaining({ code: "package.manifest_unsafe" }));
  });

  it("reads declarations that are only mentioned in comments and CDATA", () => {
    const commented = minimal("", "<metadata><schemaversion>1.2</schemaversion></metadata>")
      .replace("<manifest", "<!-- <!DOCTYPE x> and <!ENTITY y 'z'> were removed --><manifest")
      .replace("<title>T</title>", "<title><![CDATA[<!DOCTYPE is text here>]]></title><!---->");
    expect(parseManifest(commented).title).toBe("<!DOCTYPE is text here>");
  });

  it.each([
    ["after a comment", `<?xml version="1.0"?><!-- note --><!DOCTYPE m [<!ENTITY x "y">]><manifest/>`, "package.manifest_unsafe"],
    ["after a CDATA look-alike in a comment", `<!-- <![CDATA[ --><!DOCTYPE m><manifest/>`, "package.manifest_unsafe"],
    ["as any other markup declaration", `<manifest><!ELEMENT manifest ANY></manifest>`, "package.manifest_unsafe"],
    ["after a comment that is never closed", `<manifest><!-- <!DOCTYPE m></manifest>`, "package.manifest_malformed"],
  ])("still refuses a real declaration %s", (_why, xml, code) => {
    expect(() => parseManifest(xml)).toThrow(expect.objectContaining({ code }));
  });

  it("names the problem in malformed XML", () => {
    expect(() => parseManifest(`<manifest>\n<organizations></manifest>`)).toThrow(
      expect.objectContaining({ code: "package.manifest_malformed", message: expect.stringMatching(/organizations.*line 2/) }),
    );
    expect(() => parseManifest(`<package/>`)).toThrow(
      expect.objectContaining({ code: "package.manifest_malformed", message: expect.stringContaining("<package>") }),
    );
  });

  it("refuses an item that refers to a resource the manifest does not define", () => {
    const xml = scorm12.replace('identifierref="RES-QUIZ"', 'identifierref="RES-GONE"');
    expect(() => parseManifest(xml)).toThrow(
      expect.objectContaining({ code: "package.missing_resource", message: expect.stringContaining("RES-GONE") }),
    );
  });

  it("refuses a manifest with nothing to launch", () => {
    const xml = minimal("", "<metadata><schemaversion>1.2</schemaversion></metadata>").replace(' href="index.html"', "");
    expect(() => parseManifest(xml)).toThrow(expect.objectContaining({ code: "package.no_launchable" }));
  });
});

describe("readManifest", () => {
  const withItems = (items: string, resources: string, organizations = 'default="ORG-1"') =>
    scorm12.replace(/<organizations[^>]*>[\s\S]*<\/organizations>/, `<organizations ${organizations}><organization identifier="ORG-1"><title>T</title>${items}</organization><organization identifier="ORG-2"><title>Other</title></organization></organizations>`)
      .replace(/<resources[^>]*>[\s\S]*<\/resources>/, `<resources>${resources}</resources>`);
  const res = (id: string, attributes = 'href="a.html"', body = "") => `<resource identifier="${id}" type="webcontent" adlcp:scormtype="sco" ${attributes}>${body}</resource>`;

  it("collects every blocking problem instead of stopping at the first", () => {
    const xml = withItems(
      '<item identifier="A" identifierref="R1"/><item identifier="A" identifierref="GONE"/><item identifierref="R2"/>',
      res("R1", 'href="a.html"', '<dependency identifierref="NOPE"/>') + res("R2") + res("R2"),
    );
    const { errors } = readManifest(xml);
    expect(errors.map((error) => error.code)).toEqual([
      "package.missing_resource",
      "package.missing_identifier",
      "package.duplicate_identifier",
      "package.duplicate_identifier",
      "package.missing_dependency",
    ]);
    expect(errors[2]).toMatchObject({ file: "imsmanifest.xml", element: '<item identifier="A">' });
    expect(errors[4]).toMatchObject({ element: '<resource identifier="R1"><dependency identifierref="NOPE">' });

    // parseManifest throws them as one error, the first one's code on it.
    expect(() => parseManifest(xml)).toThrow(expect.objectContaining({ code: "package.missing_resource", findings: errors }));
    expect(() => parseManifest(xml)).toThrow(PackageError);
  });

  it("warns about, and then ignores, a default organization that does not exist", () => {
    const { manifest, errors, warnings } = readManifest(withItems('<item identifier="A" identifierref="R1"/>', res("R1"), 'default="MISSING"'));
    expect(errors).toEqual([]);
    expect(manifest.organization.identifier).toBe("ORG-1");
    expect(warnings).toEqual([expect.objectContaining({ code: "package.default_organization_missing", element: '<organizations default="MISSING">' })]);
  });

  it("refuses a SCO on the web but lets an asset there, with a warning", () => {
    const xml = withItems(
      '<item identifier="A" identifierref="R1"/><item identifier="B" identifierref="R2"/>',
      res("R1", 'href="https://example.org/sco.html"') + res("R2", 'adlcp:scormtype="asset" href="http://example.org/leaflet.html"').replace('adlcp:scormtype="sco" ', ""),
    );
    const { errors, warnings } = readManifest(xml);
    expect(errors).toEqual([expect.objectContaining({ code: "package.external_sco", message: expect.stringContaining("does not work across origins") })]);
    expect(warnings).toEqual([expect.objectContaining({ code: "package.external_launch", message: expect.stringContaining("the LMS cannot serve it") })]);
  });
});

describe("xml:base and item parameters", () => {
  it("joins bases from the outside in, treating each base as a folder", () => {
    expect(applyBase(["course/", "res", "./sco1/"], "index.html")).toBe("course/res/sco1/index.html");
    expect(applyBase(["a/", "../b/"], "c.html")).toBe("b/c.html");
    expect(applyBase(["a/", "http://cdn.example/x/"], "c.html")).toBe("http://cdn.example/x/c.html");
    expect(applyBase(["a/"], "https://example.org/sco.html")).toBe("https://example.org/sco.html");
    expect(applyBase([undefined, undefined], "index.html")).toBe("index.html");
  });

  it("appends parameters as SCORM CAM describes", () => {
    expect(appendParameters("a.html", "?x=1")).toBe("a.html?x=1");
    expect(appendParameters("a.html?y=2", "&x=1")).toBe("a.html?y=2&x=1");
    expect(appendParameters("a.html#top", "x=1")).toBe("a.html?x=1#top");
    expect(appendParameters("a.html", "#p2")).toBe("a.html#p2");
    expect(appendParameters("a.html#p1", "#p2")).toBe("a.html#p1");
    expect(appendParameters("a.html", null)).toBe("a.html");
  });
});

describe("a manifest without an organization to follow", () => {
  const CP_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
  const CP_2004 = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"';
  const manifest = (head: string, version: string, organizations: string, resources: string) => `<?xml version="1.0"?>
<manifest identifier="M" ${head}><metadata><schema>ADL SCORM</schema><schemaversion>${version}</schemaversion></metadata>
  ${organizations}<resources>${resources}</resources></manifest>`;

  it.each([
    // [what, namespaces, schemaversion, the resource's scormtype attribute as written]
    ["SCORM 1.2 (adlcp:scormtype)", CP_12, "1.2", "adlcp:scormtype"],
    ["SCORM 2004 (adlcp:scormType)", CP_2004, "2004 4th Edition", "adlcp:scormType"],
    ["SCORM 2004 with the attribute in capitals", CP_2004, "2004 3rd Edition", "ADLCP:SCORMTYPE"],
  ])("builds one item per SCO resource, in document order, for %s", (_what, head, version, attribute) => {
    const xml = manifest(head, version, "<organizations/>", `
      <resource identifier="R-INTRO" type="webcontent" ${attribute}="sco" href="intro.html"><title>Introduction</title></resource>
      <resource identifier="R-SHARED" type="webcontent" ${attribute}="asset"><file href="shared.js"/></resource>
      <resource identifier="R-LEAFLET" type="webcontent" ${attribute}="asset" href="leaflet.pdf"/>
      <resource identifier="R-QUIZ" type="webcontent" ${attribute}="SCO" href="quiz/index.html"/>`);
    const { manifest: parsed, errors, warnings } = readManifest(xml);
    expect(errors).toEqual([]);
    expect(parsed.launchables).toEqual([
      { identifier: "R-INTRO", title: "Introduction", resourceId: "R-INTRO", scormType: "sco", launch: "intro.html" },
      { identifier: "R-QUIZ", title: "R-QUIZ", resourceId: "R-QUIZ", scormType: "sco", launch: "quiz/index.html" },
    ]);
    expect(parsed.organization.items.map((item) => [item.identifier, item.identifierref, item.isvisible, item.children.length])).toEqual([
      ["R-INTRO", "R-INTRO", true, 0],
      ["R-QUIZ", "R-QUIZ", true, 0],
    ]);
    // The root activity of 2004 sequencing needs an identifier of its own.
    expect(parsed.organization.identifier).toBe("M-ORGANIZATION");
    expect(parsed.title).toBe("M");
    const is2004 = parsed.scormVersion !== "1.2";
    expect(parsed.organization.items.every((item) => (item.sequencing !== null) === is2004)).toBe(true);
    expect(parsed.organization.sequencing !== null).toBe(is2004);
    expect(warnings).toEqual([{
      code: "package.organization_built",
      file: "imsmanifest.xml",
      element: "<organizations>",
      message: expect.stringMatching(/^The manifest has no <organization>: the course was built from its 2 SCO resources "R-INTRO", "R-QUIZ", one item each in the order the manifest lists them/),
    }]);
  });

  it("titles the items from the resources' metadata, and the course from the manifest's", () => {
    const lom12 = (title: string) => `<metadata><imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:general><imsmd:title><imsmd:langstring xml:lang="en">${title}</imsmd:langstring></imsmd:title></imsmd:general></imsmd:lom></metadata>`;
    const lom2004 = (title: string) => `<metadata><lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">${title}</string></title></general></lom></metadata>`;
    const xml = manifest(CP_12, "1.2", "", `
      <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="one.html">${lom12("Part one")}</resource>
      <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="two.html">${lom2004("Part two")}</resource>
      <resource identifier="R3" type="webcontent" adlcp:scormtype="sco" href="three.html"/>`)
      .replace("</schemaversion>", `</schemaversion><imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:general><imsmd:title><imsmd:langstring>297 Built Course</imsmd:langstring></imsmd:title></imsmd:general></imsmd:lom>`);
    const parsed = parseManifest(xml);
    expect(parsed.launchables.map((launchable) => launchable.title)).toEqual(["Part one", "Part two", "R3"]);
    expect(parsed.title).toBe("297 Built Course");
  });

  it("builds the items of an organization that has none, keeping its identifier, title and sequencing", () => {
    const xml = manifest(`${CP_2004} xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`, "2004 4th Edition",
      '<organizations default="O"><organization identifier="O"><title>297 Empty Organization</title><imsss:sequencing><imsss:controlMode flow="true"/></imsss:sequencing></organization></organizations>',
      '<resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="a.html"/>');
    const { manifest: parsed, errors, warnings } = readManifest(xml);
    expect(errors).toEqual([]);
    expect(parsed.organization).toMatchObject({ identifier: "O", title: "297 Empty Organization" });
    expect(parsed.organization.sequencing?.sequencingControls.flow).toBe(true);
    expect(parsed.launchables.map((launchable) => launchable.identifier)).toEqual(["R1"]);
    expect(warnings).toEqual([expect.objectContaining({
      code: "package.organization_built",
      element: '<organization identifier="O">',
      message: expect.stringMatching(/^The organization "O" has no items: the course was built from its SCO resource "R1",/),
    })]);
  });

  it("keeps the built organization's identifier apart from every item's", () => {
    const xml = manifest(CP_12, "1.2", "<organizations/>", '<resource identifier="M-ORGANIZATION" type="webcontent" adlcp:scormtype="sco" href="a.html"/>');
    expect(parseManifest(xml).organization.identifier).toBe("M-ORGANIZATION-2");
  });

  it.each([
    ["no resources at all", "", "The manifest has no <organization> and no resources: there is nothing to launch", "<organizations>"],
    ["assets only", '<resource identifier="A1" type="webcontent" adlcp:scormtype="asset" href="a.html"/><resource identifier="A2" type="webcontent" adlcp:scormtype="asset"/>',
      'The manifest has no <organization>, and none of its 2 resources is a SCO (adlcp:scormType="sco") to build the course from', "<resources>"],
    ["one asset", '<resource identifier="A1" type="webcontent" adlcp:scormtype="asset" href="a.html"/>',
      'The manifest has no <organization>, and its one resource is not a SCO (adlcp:scormType="sco") to build the course from', "<resources>"],
    ["one SCO without an href", '<resource identifier="S1" type="webcontent" adlcp:scormtype="sco"><file href="a.html"/></resource>',
      'The manifest has no <organization>, and its SCO resource "S1" has no href to launch, so the course cannot be built from it', '<resource identifier="S1">'],
    ["SCOs without an href", '<resource identifier="S1" type="webcontent" adlcp:scormtype="sco"/><resource identifier="S2" type="webcontent" adlcp:scormtype="sco"/>',
      'The manifest has no <organization>, and its SCO resources "S1", "S2" have no href to launch, so the course cannot be built from them', '<resource identifier="S1">'],
  ])("says exactly why no course can be built: %s", (_why, resources, message, element) => {
    const { errors, warnings } = readManifest(manifest(CP_12, "1.2", "<organizations/>", resources));
    expect(errors).toEqual([{ code: "package.no_launchable", message, file: "imsmanifest.xml", element }]);
    expect(warnings.filter((warning) => warning.code === "package.organization_built")).toEqual([]);
  });

  it("names the SCO resource that has no identifier instead of building an item without one", () => {
    const { errors } = readManifest(manifest(CP_12, "1.2", "<organizations/>",
      '<resource type="webcontent" adlcp:scormtype="sco" href="nameless.html"/><resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="b.html"/>'));
    expect(errors).toEqual([expect.objectContaining({ code: "package.missing_identifier", element: '<resource href="nameless.html">', message: expect.stringContaining('"nameless.html"') })]);
  });

  it.each([
    ["items that refer to no resource", '<item identifier="I1"><title>Heading</title></item>',
      'No item of the organization "O" refers to a resource (identifierref): there is nothing to launch', '<organization identifier="O">'],
    ["items whose resources have no href", '<item identifier="I1" identifierref="R1"/><item identifier="I2" identifierref="R1"/>',
      'Nothing can be launched: the items "I1", "I2" refer to the resource "R1", which has no href', '<resource identifier="R1">'],
  ])("names the exact cause when an organization's %s launch nothing", (_why, items, message, element) => {
    const xml = manifest(CP_12, "1.2", `<organizations default="O"><organization identifier="O"><title>T</title>${items}</organization></organizations>`,
      '<resource identifier="R1" type="webcontent" adlcp:scormtype="sco"><file href="a.html"/></resource>');
    expect(readManifest(xml).errors).toEqual([{ code: "package.no_launchable", message, file: "imsmanifest.xml", element }]);
  });
});

describe("a <schemaversion> that names no known SCORM version", () => {
  it.each([
    ["2004 namespaces", 'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"', "2004 5th Edition", "2004 3rd Edition", "http://www.adlnet.org/xsd/adlcp_v1p3"],
    ["1.2 namespaces", 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"', "SCORM 1.2", "1.2", "http://www.imsproject.org/xsd/imscp_rootv1p1p2"],
  ])("imports by its %s, with a warning naming the value, the version taken and why", (_by, head, value, version, namespace) => {
    const { manifest, errors, warnings } = readManifest(minimal(head, `<metadata><schemaversion>${value}</schemaversion></metadata>`));
    expect(errors).toEqual([]);
    expect(manifest).toMatchObject({ scormVersion: version, schemaVersion: value });
    expect(warnings).toEqual([{
      code: "package.schemaversion_unknown",
      file: "imsmanifest.xml",
      element: "<metadata><schemaversion>",
      message: expect.stringContaining(`<schemaversion> is "${value}", which is none of 1.2, CAM 1.3, 2004 2nd Edition, 2004 3rd Edition or 2004 4th Edition: it was taken as SCORM ${version}, because the manifest declares the SCORM ${version.slice(0, 4) === "2004" ? "2004" : "1.2"} namespace ${namespace}`),
    }]);
  });

  it("says which version a manifest without <schemaversion> was taken as", () => {
    const { warnings } = readManifest(minimal('xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', ""));
    expect(warnings).toEqual([expect.objectContaining({ code: "package.metadata_missing", message: "The manifest has no <schemaversion>: it was taken as SCORM 1.2, because the manifest declares the SCORM 1.2 namespace http://www.adlnet.org/xsd/adlcp_rootv1p2" })]);
  });

  it("warns of nothing when <schemaversion> names a version, whatever its spacing and case", () => {
    expect(readManifest(minimal('xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"', "<metadata><schemaversion> 2004  4th edition </schemaversion></metadata>")).warnings).toEqual([]);
  });
});
