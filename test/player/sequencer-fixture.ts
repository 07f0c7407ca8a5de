// scorm-again 3.4.3's real 2004 sequencer in Node, built from a package description the way the
// player builds it (the server's manifest parser and sequencing settings), with the player's
// corrections (player/sequencer-corrections.ts) or without them: a navigation request answers
// with the activity it delivered, or the exception it was refused with.
import { Scorm2004API } from "scorm-again";
import { parseManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import { buildSequencingSettings } from "../../server/scorm/manifest/runtime-settings.ts";
import { constrainedChoices, findActivity, type ChoiceContext, type ConstrainedChoice, type SequencedActivity } from "../../player/choice-sequencing.ts";
import type { Flow } from "../../player/navigation-validity.ts";
import type { Scorm2004Api } from "../../player/scorm-again.ts";
import { choiceContext, correctSequencer, withoutConstrainedChoice } from "../../player/sequencer-corrections.ts";
import { manifestXml, type PackageSpec } from "../conformance/support/build-package.ts";
import type { ConformanceCase } from "../conformance/support/runner.ts";

export interface Sequencer {
  api: Scorm2004Api;
  constrained: ReadonlyMap<string, ConstrainedChoice>;
  /** What correctSequencer could not correct (empty: every correction applied). */
  problems: string[];
  /** scorm-again's own latest look-ahead (onNavigationValidityUpdate). */
  lookAhead(): Flow & { choice: Record<string, boolean> };
  /** Navigation requests in turn; the last one's outcome: "delivered S3", "refused SB.2.9-8", "ended" or "nothing". */
  request(...requests: string[]): string;
  /** The tree as choice-sequencing.ts reads it now. */
  context(): ChoiceContext;
  activity(id: string): SequencedActivity;
}

/** `request("choice S3")`: a request and its target, space-separated. */
export function sequencerFor(spec: PackageSpec, { corrected }: { corrected: boolean }): Sequencer {
  const settings = buildSequencingSettings(parseManifest(manifestXml(spec, "fixture")))!;
  const constrained = constrainedChoices(settings.activityTree);
  let outcome = "nothing";
  let lookAhead: (Flow & { choice: Record<string, boolean> }) | null = null;
  const eventListeners = {
    onActivityDelivery: (activity: { id: string }) => (outcome = `delivered ${activity.id}`),
    onSequencingError: (exception: string, context?: string) => context === "navigation" && (outcome = `refused ${exception}`),
    onSequencingSessionEnd: () => (outcome = "ended"),
    onNavigationValidityUpdate: (update: Flow & { choice: Record<string, string> }) => {
      lookAhead = { continue: update.continue, previous: update.previous, choice: Object.fromEntries(Object.entries(update.choice).map(([id, valid]) => [id, valid === "true"])) };
    },
  };
  const api = new Scorm2004API({ logLevel: 5, sequencing: { ...(corrected ? withoutConstrainedChoice(settings) : settings), eventListeners } }) as unknown as Scorm2004Api;
  const problems = corrected ? correctSequencer(api, constrained) : [];
  const context = () => choiceContext(api, constrained)!;
  return {
    api,
    constrained,
    problems,
    lookAhead: () => lookAhead!,
    request(...requests) {
      for (const request of requests) {
        outcome = "nothing";
        const [type, target] = request.split(" ");
        api.processNavigationRequest(type!, target);
      }
      return outcome;
    },
    context,
    activity: (id) => findActivity(context().root, id)!,
  };
}

/** The package of a conformance case, by id. */
export function packageOf(cases: ConformanceCase[], id: string): PackageSpec {
  const found = cases.find((candidate) => candidate.id === id);
  if (!found || found.browser === false) throw new Error(`no conformance case ${id} with a package`);
  return found.package;
}
