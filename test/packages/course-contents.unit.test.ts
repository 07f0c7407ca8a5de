// The upload report's sentence about what a course holds (validation-report.ts courseContents).
import { describe, expect, it } from "vitest";
import { courseContents } from "../../server/packages/validation-report.ts";

const sco = { scormType: "sco" };
const asset = { scormType: "asset" };

describe("what an imported course holds, in words", () => {
  it.each([
    ["one SCO", [sco], 1, "1 SCO, 1 file"],
    ["SCOs and an asset", [sco, sco, asset], 12, "2 SCOs and 1 asset, 12 files"],
    ["assets only: no SCOs are mentioned", [asset, asset], 3, "2 assets, 3 files"],
    ["SCOs only: no assets are mentioned", [sco, sco, sco], 4, "3 SCOs, 4 files"],
    ["nothing launchable", [], 0, "nothing to launch, 0 files"],
  ])("%s", (_title, launchables, fileCount, words) => {
    expect(courseContents(launchables, fileCount)).toBe(words);
  });
});
