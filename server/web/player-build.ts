// The player's build step, run inside the server: esbuild bundles the browser entry points in
// memory the first time one is asked for, once per process. Nothing is written to disk, so
// `npm start` and the tests need no separate build, and a deployment cannot serve stale bundles.
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

// The browser code is player/, at the top of the repository; this build is the server's.
const player = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../player");

/**
 * Browser entry points: the player window (LMS origin) and the launcher (content origin) of each
 * SCORM edition, so that a course loads only its own edition's API; Play buttons (LMS origin).
 */
const ENTRY_POINTS = {
  "player-12": path.join(player, "player-12.ts"),
  "player-2004": path.join(player, "player-2004.ts"),
  "launcher-12": path.join(player, "launcher-12.ts"),
  "launcher-2004": path.join(player, "launcher-2004.ts"),
  play: path.join(player, "play.ts"),
} as const;

export type BundleName = keyof typeof ENTRY_POINTS;
export const BUNDLE_NAMES = Object.keys(ENTRY_POINTS) as BundleName[];

export interface Bundle {
  /** Minified script; its last line names `<name>.js.map`, served beside it. */
  js: string;
  map: string;
  /**
   * The script gzipped once, at build: every browser asks for gzip, and compressing 400 KB of
   * script on each request cost the event loop milliseconds per launch.
   */
  gzip: Buffer;
  /** A digest of the script: its ETag, and the version in the URLs the pages give it. */
  hash: string;
}

let built: Promise<Record<BundleName, Bundle>> | undefined;

/**
 * The bundles, built on first use. Always minified, with linked source maps: the same bytes run
 * in development and production, and the maps keep them debuggable.
 */
export function playerBundles(): Promise<Record<BundleName, Bundle>> {
  built ??= build().catch((error: unknown) => {
    built = undefined; // a failed build is retried on the next request rather than cached
    throw error;
  });
  return built;
}

async function build(): Promise<Record<BundleName, Bundle>> {
  const result = await esbuild.build({
    entryPoints: ENTRY_POINTS,
    outdir: "/assets",
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    // Chromium, Firefox, Safari and Edge of the last few years (spring 2022 on): what NHS desktops
    // run. Named browsers rather than es2020 leave the class fields they all run untranspiled:
    // 0.5 KB gzipped less for a 1.2 course, whose scripts have a budget of 50 KB (test/web/player-bundles.test.ts).
    target: ["chrome100", "edge100", "firefox100", "safari15.4"],
    minify: true,
    sourcemap: "linked",
    sourcesContent: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const file = (name: string) => {
    const output = result.outputFiles.find((candidate) => path.basename(candidate.path) === name);
    if (!output) throw new Error(`esbuild produced no ${name}`);
    return output.text;
  };
  const bundle = (name: BundleName): Bundle => {
    const js = file(`${name}.js`);
    return { js, map: file(`${name}.js.map`), gzip: gzipSync(js, { level: 9 }), hash: createHash("sha256").update(js).digest("base64url").slice(0, 16) };
  };
  return Object.fromEntries(BUNDLE_NAMES.map((name) => [name, bundle(name)])) as Record<BundleName, Bundle>;
}
