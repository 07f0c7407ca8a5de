// A SCO's saved state for a new session (GET .../state), as the player window reads it.
import type { StateResponse } from "../server/scorm/contract.ts";
import type { PlayerConfig } from "../server/runtime/index.ts";

/** A failure with words for the learner. */
export class PlayerError extends Error {}

/**
 * A state request that stalls (a connection dropped without the browser noticing, a request lost
 * on the way) would leave the learner before an empty frame for ever, the status line saying only
 * what the last commit said: each try is bounded, and a stalled one made again. Reading a SCO's
 * state again is safe: the session the lost read opened committed nothing, so it adds no time, and
 * a delivered asset stays as it was (state-service.ts).
 */
export const STATE_TRY_MS = 15_000;
const STATE_TRIES = 3;

export async function fetchState(config: Pick<PlayerConfig, "runtimeBase" | "csrfToken">, scoId: string, tryMs = STATE_TRY_MS): Promise<StateResponse> {
  let response: Response | null = null;
  for (let attempt = 1; !response; attempt += 1) {
    try {
      response = await fetch(`${config.runtimeBase}${encodeURIComponent(scoId)}/state`, { credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": config.csrfToken }, cache: "no-store", signal: AbortSignal.timeout(tryMs) });
    } catch (error) {
      const stalled = error instanceof DOMException && error.name === "TimeoutError";
      if (stalled && attempt < STATE_TRIES) continue;
      throw new PlayerError("Your progress could not be loaded because the connection seems to be down. Check it, then close this window and press Play again.");
    }
  }
  if (response.status === 401 || response.status === 403) throw new PlayerError("You are no longer logged in. Close this window, log in again and press Play.");
  if (!response.ok) throw new PlayerError("Your progress could not be loaded. Close this window and press Play again.");
  return (await response.json()) as StateResponse;
}
