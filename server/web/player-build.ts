// The player's build step, run inside the server: esbuild bundles the browser entry points in
// memory the first time one is asked for, once per process. Nothing is written to disk, so
// `npm start` and the tests need no separate build, and a deployment cannot serve stale bundles.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

// The browser code is player/, at the top of the repository; this build is the server's.
const player = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../player");

/**
 * Browser entry points: the player window (LMS origin), the launcher of each SCORM edition
 * (content origin: a course loads only its own edition's API), Play buttons (LMS origin).
 */
const ENTRY_POINTS = {
  player: path.join(player, "player-window.ts"),
  "launcher-12": path.join(player, "launcher-12.ts"),
  "launcher-2004": path.join(player, "launcher-2004.ts"),
  play: path.join(player, "play.ts"),
} as const;

export type BundleName = keyof typeof ENTRY_POINTS;

export interface Bundle {
  /** Minified script; its last line names `<name>.js.map`, served beside it. */
  js: string;
  map: string;
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
    // Chromium, Firefox, Safari and Edge of the last few years: what NHS desktops run.
    target: ["es2020"],
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
  const bundle = (name: BundleName): Bundle => ({ js: file(`${name}.js`), map: file(`${name}.js.map`) });
  return { player: bundle("player"), "launcher-12": bundle("launcher-12"), "launcher-2004": bundle("launcher-2004"), play: bundle("play") };
}
