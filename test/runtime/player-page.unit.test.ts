import { describe, expect, it } from "vitest";
import { parseManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { playerConfig, scriptJson } from "../../server/runtime/player-page.ts";
import type { PlayerAttempt, ScoProgress } from "../../server/runtime/player-store.ts";
import { scoUrl } from "../../server/content/launcher-page.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const manifest = parseManifest(String(VALID_PACKAGES["scorm12-multi-sco"]!.files["imsmanifest.xml"]));
const attempt: PlayerAttempt = { id: 7, personId: 3, preview: false, courseVersionId: 11, courseId: 5, title: "297 Test 1.2 Multi", manifest, sequencingState: "ignored for 1.2" };
const context = { csrfToken: "t", contentUrl: "http://127.0.0.1:3001", contentToken: "TOKEN", exitUrl: "/" };
const row = (scoId: string, completionStatus: string, updatedAt: string, successStatus: string | null = null): ScoProgress => ({ scoId, completionStatus, successStatus, updatedAt });

describe("playerConfig", () => {
  it("lists the launchable items in organization order with their depth, and builds the URLs", () => {
    const config = playerConfig(attempt, [], context);
    expect(config.scos.map((sco) => [sco.id, sco.depth])).toEqual([["S1", 1], ["S2", 1], ["S3", 0]]);
    expect(config).toMatchObject({ launcherBase: "http://127.0.0.1:3001/launch/TOKEN/", runtimeBase: "/runtime/attempts/7/scos/", contentOrigin: "http://127.0.0.1:3001", resumeScoId: null, sequencingState: null });
  });

  it("resumes in the SCO the learner was last in while it is unfinished, else at the first unfinished one", () => {
    // Newest first, as the store reads them.
    expect(playerConfig(attempt, [row("S2", "incomplete", "2026-03-01T10:00"), row("S1", "completed", "2026-03-01T09:00")], context).resumeScoId).toBe("S2");
    expect(playerConfig(attempt, [row("S1", "completed", "2026-03-01T10:00"), row("S2", "incomplete", "2026-03-01T09:00")], context).resumeScoId).toBe("S2");
    expect(playerConfig(attempt, [row("S3", "completed", "2026-03-01T10:00"), row("S1", "completed", "2026-03-01T09:00")], context).resumeScoId).toBe("S2");
    const allDone = [row("S3", "completed", "3"), row("S2", "completed", "2", "passed"), row("S1", "completed", "1")];
    expect(playerConfig(attempt, allDone, context).resumeScoId).toBeNull();
    expect(playerConfig(attempt, allDone, context).scos.every((sco) => sco.completed)).toBe(true);
    // Satisfied while it says incomplete (the LMS satisfies a 2004 SCO left part-way, SN UP.4): not
    // finished, not ticked, and where the learner carries on. Passed with no completion tracked is finished.
    const satisfiedPartWay = playerConfig(attempt, [row("S1", "incomplete", "2", "passed"), row("S2", "unknown", "1", "passed")], context);
    expect(satisfiedPartWay.scos.map((sco) => sco.completed)).toEqual([false, true, false]);
    expect(satisfiedPartWay.resumeScoId).toBe("S1");
    // A row for an item the version does not have (never expected) is ignored.
    expect(playerConfig(attempt, [row("GONE", "incomplete", "9")], context).resumeScoId).toBeNull();
  });
});

describe("scriptJson", () => {
  it("cannot close the script element it sits in, nor open a comment", () => {
    const text = scriptJson({ title: "</script><script>alert(1)</script><!-- & \u2028" });
    expect(text).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(text)).toEqual({ title: "</script><script>alert(1)</script><!-- & \u2028" });
  });
});

describe("scoUrl", () => {
  const url = (launch: string) => scoUrl("http://127.0.0.1:3001", "TOKEN", launch);
  it("resolves the launch href under the token as a browser would, keeping parameters", () => {
    expect(url("index.html")).toBe("/c/TOKEN/index.html");
    expect(url("sco2/index.html?page=2#top")).toBe("/c/TOKEN/sco2/index.html?page=2#top");
    expect(url("my page.html")).toBe("/c/TOKEN/my%20page.html");
    expect(url("my%20page.html")).toBe("/c/TOKEN/my%20page.html");
  });

  it("refuses hrefs that lead out of the package", () => {
    expect(url("../other/index.html")).toBeNull();
    expect(url("/c/OTHER/index.html")).toBeNull();
    expect(url("https://example.org/sco.html")).toBeNull();
    expect(url("//example.org/sco.html")).toBeNull();
  });
});
