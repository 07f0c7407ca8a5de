// What a learner's browser downloads to start a course: each bundle's gzipped size against its
// budget, and each SCORM edition's bundles free of the other's API. A 1.2 course loads the 1.2
// player window and the 1.2 launcher, at most 50 KB gzipped together (issue 21: one bundle of
// both editions was 95 KB for the player window alone). Sizes, not times: nothing here is timed.
import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { BUNDLE_NAMES, playerBundles, type BundleName } from "../../server/web/player-build.ts";

/** Bytes gzipped, as sent (player-assets.ts sends the gzip made at build). */
const BUDGET: Record<BundleName, number> = {
  // Together 50,000: everything a 1.2 course's two windows run (26.2 + 22.8 KB on 2026-12-07).
  "player-12": 26_750,
  "launcher-12": 23_250,
  // scorm-again's 2004 entry point brings its sequencer, in both (89.5 and 83.8 KB).
  "player-2004": 92_000,
  "launcher-2004": 86_000,
  play: 1_500,
};

// Strings found only in one edition's part of scorm-again: its class, its data model, and (2004)
// the sequencer's overall process and its sequencing-behaviour exception codes (SB.2.x).
const ONLY_12 = ["Scorm12API", "cmi.core.lesson_status"];
const ONLY_2004 = ["Scorm2004API", "cmi.completion_status", "OverallSequencingProcess", "SB.2."];

describe("the browser bundles", () => {
  it.each(BUNDLE_NAMES)("%s stays within its budget gzipped", async (name) => {
    const bundle = (await playerBundles())[name];
    expect(gunzipSync(bundle.gzip).toString("utf8")).toBe(bundle.js);
    expect(bundle.gzip.length).toBeLessThanOrEqual(BUDGET[name]);
  });

  it("gives a SCORM 1.2 course at most 50 KB of script, gzipped", async () => {
    const bundles = await playerBundles();
    expect(bundles["player-12"].gzip.length + bundles["launcher-12"].gzip.length).toBeLessThanOrEqual(50_000);
  });

  it.each([
    ["player-12", ONLY_12, ONLY_2004],
    ["launcher-12", ONLY_12, ONLY_2004],
    ["player-2004", ONLY_2004, ONLY_12],
    ["launcher-2004", ONLY_2004, ONLY_12],
  ] as const)("%s holds its own edition's API and nothing of the other's", async (name, own, other) => {
    const { js } = (await playerBundles())[name];
    for (const marker of own) expect(js, marker).toContain(marker);
    for (const marker of other) expect(js, marker).not.toContain(marker);
  });
});
