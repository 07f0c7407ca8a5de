import { describe, expect, it } from "vitest";
import { findManifest } from "../../server/packages/find-manifest.ts";

const SCORM_ONLY = "not SCORM: this LMS plays SCORM 1.2 and SCORM 2004 packages only: publish the course from its authoring tool as SCORM";

describe("findManifest", () => {
  it("takes imsmanifest.xml at the top of the zip, in whatever case it is written", () => {
    expect(findManifest(["index.html", "imsmanifest.xml"])).toEqual({ path: "imsmanifest.xml", warnings: [] });
    expect(findManifest(["IMSManifest.XML", "index.html"])).toEqual({ path: "IMSManifest.XML", warnings: [] });
    // A SCORM package that also carries AICC descriptors, or a manifest in a subfolder, is still SCORM.
    expect(findManifest(["imsmanifest.xml", "course.crs", "course.au", "course.cst", "extra/imsmanifest.xml"]).path).toBe("imsmanifest.xml");
  });

  it("imports a package with both imsmanifest.xml and tincan.xml or cmi5.xml as SCORM, with a note", () => {
    expect(findManifest(["imsmanifest.xml", "tincan.xml", "story.html"])).toEqual({
      path: "imsmanifest.xml",
      warnings: [{
        code: "package.other_course_structure",
        file: "tincan.xml",
        message: 'The package also has "tincan.xml", an xAPI (Tin Can) course structure: it is imported as SCORM, from "imsmanifest.xml", and "tincan.xml" is not used',
      }],
    });
    expect(findManifest(["imsmanifest.xml", "cmi5.xml"]).warnings).toEqual([expect.objectContaining({ code: "package.other_course_structure", file: "cmi5.xml", message: expect.stringContaining("a cmi5 course structure") })]);
  });

  it.each([
    // [what, the zip's files, code, message, file]
    ["an xAPI (Tin Can) package", ["tincan.xml", "story.html", "story_content/user.js"], "package.xapi_not_scorm",
      `This is an xAPI (Tin Can) package ("tincan.xml"), ${SCORM_ONLY}`, "tincan.xml"],
    ["an xAPI package whose tincan.xml is in capitals", ["TinCan.XML", "index.html"], "package.xapi_not_scorm",
      `This is an xAPI (Tin Can) package ("TinCan.XML"), ${SCORM_ONLY}`, "TinCan.XML"],
    ["a cmi5 package", ["cmi5.xml", "au1/index.html"], "package.cmi5_not_scorm", `This is a cmi5 package ("cmi5.xml"), ${SCORM_ONLY}`, "cmi5.xml"],
    ["a cmi5 package that also has tincan.xml", ["tincan.xml", "cmi5.xml"], "package.cmi5_not_scorm", `This is a cmi5 package ("cmi5.xml"), ${SCORM_ONLY}`, "cmi5.xml"],
    ["an AICC package", ["index.html", "course.cst", "course.des", "Course.AU", "course.crs"], "package.aicc_not_scorm",
      `This is an AICC package ("course.crs", "Course.AU", "course.des", "course.cst"), ${SCORM_ONLY}`, "course.crs"],
    ["an AICC package known by its course structure file alone, as Moodle knows it", ["aicc/course.cst", "index.html"], "package.aicc_not_scorm",
      `This is an AICC package ("aicc/course.cst"), ${SCORM_ONLY}`, "aicc/course.cst"],
    ["an xAPI package zipped in its folder", ["Course/tincan.xml", "Course/index.html"], "package.xapi_not_scorm",
      `This is an xAPI (Tin Can) package ("Course/tincan.xml"), ${SCORM_ONLY}`, "Course/tincan.xml"],
    ["a SCORM package zipped in its folder", ["Fire/imsmanifest.xml", "Fire/index.html"], "package.manifest_nested",
      'imsmanifest.xml must be at the top of the zip, but it is at "Fire/imsmanifest.xml": zip the contents of the folder "Fire", not the folder itself', "Fire/imsmanifest.xml"],
    ["a SCORM package two folders down, with a sub-manifest further down", ["out/Fire/imsmanifest.xml", "out/Fire/res/imsmanifest.xml"], "package.manifest_nested",
      'imsmanifest.xml must be at the top of the zip, but it is at "out/Fire/imsmanifest.xml": zip the contents of the folder "out/Fire", not the folder itself', "out/Fire/imsmanifest.xml"],
    ["several SCORM packages in one zip", ["Part 2/imsmanifest.xml", "Part 1/imsmanifest.xml"], "package.manifest_nested",
      'The zip holds 2 SCORM packages, each in a folder of its own ("Part 1/imsmanifest.xml", "Part 2/imsmanifest.xml"): upload each as a zip of its own, with its imsmanifest.xml at the top', "Part 1/imsmanifest.xml"],
    ["a SCORM package zipped in its folder beside AICC files", ["Fire/imsmanifest.xml", "Fire/course.crs", "Fire/course.au"], "package.manifest_nested",
      'imsmanifest.xml must be at the top of the zip, but it is at "Fire/imsmanifest.xml": zip the contents of the folder "Fire", not the folder itself', "Fire/imsmanifest.xml"],
    ["a web page and nothing else", ["index.html"], "package.manifest_missing", "The package has no imsmanifest.xml at the top of the zip: it is not a SCORM package", undefined],
    ["a web page with a Sun audio (.au) file", ["index.html", "chime.au"], "package.manifest_missing", "The package has no imsmanifest.xml at the top of the zip: it is not a SCORM package", undefined],
  ])("refuses %s, saying what it is", (_what, files, code, message, file) => {
    expect(() => findManifest(files)).toThrow(expect.objectContaining({ code, message, findings: [{ code, message, ...(file ? { file } : {}) }] }));
  });

  it("quotes the names it shows, which the zip chose", () => {
    expect(() => findManifest(['evil"name.crs', "x.au"])).toThrow(expect.objectContaining({ message: expect.stringContaining('"evil\\"name.crs"') }));
  });
});
