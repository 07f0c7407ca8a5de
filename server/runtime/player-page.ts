import type { Manifest, ManifestItem } from "../scorm/manifest/parse-manifest.ts";
import { buildSequencingSettings } from "../scorm/manifest/runtime-settings.ts";
import type { PlayerConfig, PlayerSco } from "./player-config.ts";
import type { PlayerAttempt, ScoProgress } from "./player-store.ts";
import { lessonStatusOf } from "../scorm/prerequisites.ts";
import { isPartWay } from "../scorm/status.ts";

// SCORM 1.2 has one status: passed and failed also mean the learner finished the SCO.
const FINISHED = new Set(["completed", "passed", "failed"]);

/** Pure: the attempt, its SCOs' progress and the URLs of this request -> the player's configuration. */
export function playerConfig(
  attempt: PlayerAttempt,
  progress: ScoProgress[],
  context: { csrfToken: string; contentUrl: string; contentToken: string; exitUrl: string },
): PlayerConfig {
  const { manifest } = attempt;
  const depths = new Map<string, { depth: number; visible: boolean; prerequisites: string | null }>();
  const walk = (items: ManifestItem[], depth: number, visible: boolean) => {
    for (const item of items) {
      depths.set(item.identifier, { depth, visible: visible && item.isvisible, prerequisites: item.prerequisites });
      walk(item.children, depth + 1, visible && item.isvisible);
    }
  };
  walk(manifest.organization.items, 0, true);

  const byId = new Map(progress.map((row) => [row.scoId, row]));
  // Passed with no completion tracked is finished; passed while the SCO says incomplete is not: the
  // LMS satisfies a 2004 SCO whose attempt ends with no success reported (status.ts performanceOf2004).
  const finished = (row: ScoProgress | undefined) => row !== undefined && (FINISHED.has(row.completionStatus ?? "") || (row.successStatus === "passed" && !isPartWay(row.completionStatus)));
  const scos: PlayerSco[] = manifest.launchables.map((launchable) => ({
    id: launchable.identifier,
    title: launchable.title,
    depth: depths.get(launchable.identifier)?.depth ?? 0,
    visible: depths.get(launchable.identifier)?.visible ?? true,
    asset: launchable.scormType === "asset",
    completed: finished(byId.get(launchable.identifier)),
    prerequisites: manifest.scormVersion === "1.2" ? (depths.get(launchable.identifier)?.prerequisites ?? null) : null,
    lessonStatus: lessonStatusOf(byId.get(launchable.identifier)),
  }));

  const known = new Set(scos.map((sco) => sco.id));
  const latest = progress.find((row) => known.has(row.scoId));
  const resumeScoId = latest && !finished(latest) ? latest.scoId : latest ? (scos.find((sco) => !sco.completed)?.id ?? null) : null;

  const scormVersion = manifest.scormVersion === "1.2" ? "1.2" : "2004";
  const contentOrigin = new URL(context.contentUrl).origin;
  return {
    attemptId: attempt.id,
    courseTitle: attempt.title,
    scormVersion,
    preview: attempt.preview,
    csrfToken: context.csrfToken,
    contentOrigin,
    launcherBase: `${context.contentUrl}/launch/${context.contentToken}/`,
    runtimeBase: `/runtime/attempts/${attempt.id}/scos/`,
    scos,
    resumeScoId,
    sequencing: scormVersion === "2004" ? buildSequencingSettings(manifest) : null,
    sequencingState: scormVersion === "2004" ? attempt.sequencingState : null,
    sequencingStateUrl: scormVersion === "2004" ? `/runtime/attempts/${attempt.id}/sequencing-state` : null,
    exitUrl: context.exitUrl,
  };
}

/** JSON that is safe inside <script type="application/json">: no "</script>", no "<!--". */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const sequencingJsonOf = new WeakMap<Manifest, string>();

/**
 * scriptJson(config) for the player page, its sequencing part written once per manifest. That part
 * depends on the version alone, and for the largest course the limits allow it is 6 MB of JSON and
 * 25 ms of the event loop to write, on every Play; the manifest objects are the course version
 * cache's (course-versions.ts), so it is written again only after the cache lets a version go.
 */
export function playerConfigJson(config: PlayerConfig, manifest: Manifest): string {
  const { sequencing, ...rest } = config;
  let sequencingJson = sequencingJsonOf.get(manifest);
  if (sequencingJson === undefined) sequencingJsonOf.set(manifest, (sequencingJson = scriptJson(sequencing)));
  return `${scriptJson(rest).slice(0, -1)},"sequencing":${sequencingJson}}`;
}
