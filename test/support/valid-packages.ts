/**
 * Valid packages of every shape the LMS must take, built in the tests (STYLE.md: fixtures in code).
 * Each notes what it exercises and what import should report.
 */
export interface ValidPackage {
  why: string;
  files: Record<string, string | Buffer>;
  expect: { title: string; scormVersion: string; scos: number };
}

const CP_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
const CP_2004 =
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" ' +
  'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

const page = (title: string) => `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1></html>`;

export const VALID_PACKAGES: Record<string, ValidPackage> = {
  "scorm12-single": {
    why: "SCORM 1.2, one SCO with a mastery score",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="single12" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test 1.2 Single</title>
<item identifier="I1" identifierref="R1"><title>Lesson</title><adlcp:masteryscore>80</adlcp:masteryscore></item></organization></organizations>
<resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>`,
      "index.html": page("Lesson"),
    },
    expect: { title: "297 Test 1.2 Single", scormVersion: "1.2", scos: 1 },
  },
  "scorm12-multi-sco": {
    why: "SCORM 1.2 with three SCOs in nested items and a shared asset dependency",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="multi12" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test 1.2 Multi</title>
<item identifier="M1"><title>Module one</title>
  <item identifier="S1" identifierref="R1"><title>One</title></item>
  <item identifier="S2" identifierref="R2" parameters="?page=2"><title>Two</title></item></item>
<item identifier="S3" identifierref="R3"><title>Three</title><adlcp:prerequisites type="aicc_script">S1&amp;S2</adlcp:prerequisites></item>
</organization></organizations>
<resources>
<resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="sco1/index.html"><file href="sco1/index.html"/><dependency identifierref="SHARED"/></resource>
<resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="sco2/index.html"><file href="sco2/index.html"/><dependency identifierref="SHARED"/></resource>
<resource identifier="R3" type="webcontent" adlcp:scormtype="sco" href="sco3/index.html"><file href="sco3/index.html"/><dependency identifierref="SHARED"/></resource>
<resource identifier="SHARED" type="webcontent" adlcp:scormtype="asset"><file href="shared/api.js"/></resource>
</resources></manifest>`,
      "sco1/index.html": page("One"),
      "sco2/index.html": page("Two"),
      "sco3/index.html": page("Three"),
      "shared/api.js": "// shared",
    },
    expect: { title: "297 Test 1.2 Multi", scormVersion: "1.2", scos: 3 },
  },
  "scorm2004-3rd-sequencing": {
    why: "SCORM 2004 3rd edition, two SCOs under flow sequencing with a sequencing collection",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="seq3" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test 2004 3rd Sequenced</title>
<item identifier="A" identifierref="RA"><title>Learn</title><imsss:sequencing IDRef="common"/></item>
<item identifier="B" identifierref="RB"><title>Check</title>
  <imsss:sequencing IDRef="common"><imsss:objectives><imsss:primaryObjective objectiveID="pass" satisfiedByMeasure="true">
  <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>
<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>
</organization></organizations>
<resources>
<resource identifier="RA" type="webcontent" adlcp:scormType="sco" href="learn.html"><file href="learn.html"/></resource>
<resource identifier="RB" type="webcontent" adlcp:scormType="sco" href="check.html"><file href="check.html"/></resource>
</resources>
<imsss:sequencingCollection><imsss:sequencing ID="common"><imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/></imsss:sequencing></imsss:sequencingCollection>
</manifest>`,
      "learn.html": page("Learn"),
      "check.html": page("Check"),
    },
    expect: { title: "297 Test 2004 3rd Sequenced", scormVersion: "2004 3rd Edition", scos: 2 },
  },
  "scorm2004-4th-xml-base": {
    why: "SCORM 2004 4th edition with xml:base on resources and resource, and a completion threshold",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="base4" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test 2004 4th Base</title>
<item identifier="I" identifierref="R"><title>Deep</title><adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/></item></organization></organizations>
<resources xml:base="content/"><resource identifier="R" type="webcontent" adlcp:scormType="sco" xml:base="unit1/" href="start.html">
<file href="start.html"/></resource></resources></manifest>`,
      "content/unit1/start.html": page("Deep"),
    },
    expect: { title: "297 Test 2004 4th Base", scormVersion: "2004 4th Edition", scos: 1 },
  },
  "asset-only": {
    why: "An asset-only package: a launchable page that never talks to the API",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="asset" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test Asset Only</title>
<item identifier="I" identifierref="R"><title>Leaflet</title></item></organization></organizations>
<resources><resource identifier="R" type="webcontent" adlcp:scormType="asset" href="leaflet.html"><file href="leaflet.html"/></resource></resources></manifest>`,
      "leaflet.html": page("Leaflet"),
    },
    expect: { title: "297 Test Asset Only", scormVersion: "2004 4th Edition", scos: 1 },
  },
  "scorm12-no-organization": {
    why: "SCORM 1.2 with <organizations/> and two SCO resources: the course is built from the resources, as Moodle builds it, with a warning",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="noorg12" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>
<imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:general><imsmd:title><imsmd:langstring>297 Test 1.2 No Organization</imsmd:langstring></imsmd:title></imsmd:general></imsmd:lom></metadata>
<organizations/>
<resources>
<resource identifier="LESSON" type="webcontent" adlcp:scormtype="sco" href="lesson.html"><metadata><imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:general><imsmd:title><imsmd:langstring>Lesson</imsmd:langstring></imsmd:title></imsmd:general></imsmd:lom></metadata><file href="lesson.html"/><dependency identifierref="SHARED"/></resource>
<resource identifier="SHARED" type="webcontent" adlcp:scormtype="asset"><file href="shared/style.css"/></resource>
<resource identifier="QUIZ" type="webcontent" adlcp:scormtype="sco" href="quiz.html"><file href="quiz.html"/><dependency identifierref="SHARED"/></resource>
</resources></manifest>`,
      "lesson.html": page("Lesson"),
      "quiz.html": page("Quiz"),
      "shared/style.css": "body{}",
    },
    expect: { title: "297 Test 1.2 No Organization", scormVersion: "1.2", scos: 2 },
  },
  "scorm2004-no-organization": {
    why: "SCORM 2004 with no <organization> at all: items built from the SCO resources, sequencing at the spec's defaults",
    files: {
      "imsmanifest.xml": `<?xml version="1.0"?><manifest identifier="noorg2004" version="1" ${CP_2004}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en-GB">297 Test 2004 No Organization</string></title></general></lom></metadata>
<organizations></organizations>
<resources>
<resource identifier="PART-1" type="webcontent" adlcp:scormType="sco" href="part1/index.html"><file href="part1/index.html"/></resource>
<resource identifier="PART-2" type="webcontent" adlcp:scormType="sco" href="part2/index.html"><file href="part2/index.html"/></resource>
</resources></manifest>`,
      "part1/index.html": page("Part 1"),
      "part2/index.html": page("Part 2"),
    },
    expect: { title: "297 Test 2004 No Organization", scormVersion: "2004 4th Edition", scos: 2 },
  },
  "nested-spaces-utf8": {
    why: "Nested folders, spaces and UTF-8 in file names (percent-encoded in the manifest href)",
    files: {
      "imsmanifest.xml": `<?xml version="1.0" encoding="UTF-8"?><manifest identifier="utf" version="1" ${CP_12}>
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Test Café Módulo</title>
<item identifier="I" identifierref="R"><title>Introducción</title></item></organization></organizations>
<resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="Módulo%201/lección inicial.html">
<file href="Módulo 1/lección inicial.html"/><file href="Módulo 1/imágenes/logo café.svg"/></resource></resources></manifest>`,
      "Módulo 1/lección inicial.html": page("Introducción"),
      "Módulo 1/imágenes/logo café.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    },
    expect: { title: "297 Test Café Módulo", scormVersion: "1.2", scos: 1 },
  },
};

/** A two-SCO SCORM 1.2 manifest whose second SCO's file must be supplied (or left out) by the test. */
export const fireSafetyManifest12 = (title = "297 NHS Fire Safety - 1 Year") => `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="FIRE" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>${title}</title>
    <item identifier="I1" identifierref="R1"><title>Fire safety</title></item>
    <item identifier="I2" identifierref="R2"><title>Assessment</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="quiz/quiz.html"/>
  </resources>
</manifest>`;
