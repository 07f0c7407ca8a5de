// The player window (LMS origin, /player/attempts/:id): the real scorm-again API for the attempt,
// answering the content frame through CrossFrameLMS; commits to the LMS through the commit queue.
// Each edition has its own entry (player-12.ts, player-2004.ts) and the page loads the one of its
// attempt's edition, so that a course loads only its own edition's API: one bundle of both was
// 94.5 KB gzipped; the 1.2 one is a fifth of that, the 2004 one barely less (its sequencer).
//
//   player window (LMS origin)            -- this script: Scorm12API / Scorm2004API, commits with CSRF
//     +- iframe: launcher (content origin) -- player/launcher.ts: CrossFrameAPI as window.API(_1484_11)
//          +- iframe: the SCO               -- finds the API in its parent, same origin
import type { PlayerConfig } from "../server/runtime/index.ts";
import { CommitQueue, readCommitResponse } from "./commit-queue.ts";
import { ContentFrame } from "./content-frame.ts";
import type { CoursePlayer, NavigationRequest } from "./course-player.ts";
import type { PlayerContext } from "./course-player.ts";
import { PlayerView } from "./player-view.ts";
import type { Scorm12Api, Scorm2004Api } from "./scorm-again.ts";

const PERFORMANCE_STATUS_LABEL = "Performance Status";
// How long a window that finds its attempt's lock held waits for it (the holder may be this same
// window's last document, a reload, which the browser lets go of as it tears it down); without
// Web Locks, how long it waits for another window's answer.
const OTHER_WINDOW_WAIT_MS = 250;

/** Runs the player window with the player of one edition (Scorm12Player, Scorm2004Player). */
export async function startPlayerWindow(version: PlayerConfig["scormVersion"], createPlayer: (context: PlayerContext) => CoursePlayer<Scorm12Api | Scorm2004Api>): Promise<void> {
  const config = JSON.parse(document.getElementById("player-config")?.textContent ?? "null") as PlayerConfig | null;
  if (!config) return;
  // The page names the bundle of its attempt's edition; another would read the CMI wrongly.
  if (config.scormVersion !== version) throw new Error(`The SCORM ${version} player cannot play a SCORM ${config.scormVersion} course`);
  let player: CoursePlayer<Scorm12Api | Scorm2004Api> | null = null;
  const navigate = (request: NavigationRequest) => void player?.navigate(request);
  const view = new PlayerView({
    home: () => void player?.home(),
    previous: () => navigate({ type: "previous" }),
    next: () => navigate({ type: "continue" }),
    choose: (scoId) => navigate({ type: "choice", scoId }),
  });

  if (await anotherWindowPlays(config.attemptId)) {
    view.alert("This course is already open in another window. Carry on there, or close it first.");
    view.disableHome();
    return;
  }
  // Play opens (or, for a second Play, focuses) the window by this name.
  window.name = `lms-attempt-${config.attemptId}`;

  const queue = new CommitQueue({
    csrfToken: config.csrfToken,
    storageKey: `lms-player-commits-${config.attemptId}`,
    // The attempt's SCO commits and (2004) its sequencing state.
    urlPrefix: `/runtime/attempts/${config.attemptId}/`,
    responseHandler: readCommitResponse,
    events: {
      onSaved: (performanceStatus) => {
        if (performanceStatus) view.status(`${PERFORMANCE_STATUS_LABEL}: ${performanceStatus}`);
      },
      onWaiting: (waiting) =>
        view.alert(waiting ? "The connection to the LMS is down. Carry on: your progress is kept in this window and will be saved when the connection is back." : null),
      onRefused: () =>
        view.alert("You are no longer logged in, so your latest progress could not be saved yet. It is kept in this browser: close this window, log in again and press Play to carry on, and it will be saved then."),
      onConflict: () =>
        view.alert("This course is also open somewhere else (another window or device), which has saved newer progress, so what you do here is not being saved. Close this window and carry on there, or close it there and press Play again here."),
    },
  });
  const frame = new ContentFrame(view.frame, config.contentOrigin, (scoId) => `${config.launcherBase}${encodeURIComponent(scoId)}`);
  const context = { config, queue, frame, view };
  player = createPlayer(context);

  // Closing the window, or navigating it away, without Home: finish the SCO, send what is left by beacon.
  window.addEventListener("pagehide", () => {
    queue.unload();
    player?.abandon();
  });
  // Back from the back-forward cache, the SCO above was already finished: start again properly.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  // Commits an earlier window could not send go first. This page was rendered before they
  // arrived (where to resume, the sequencer's state, the 1.2 statuses): once they are saved, it is
  // loaded again, so that the course starts from them rather than from what they replace.
  if (queue.restore() > 0) {
    view.status("Saving progress from your last visit…");
    if (await queue.idle()) {
      window.location.reload();
      return;
    }
  }
  await player.start();
}

/**
 * Whether another window of this browser already plays this attempt (a second Play before the
 * first window's opener reloaded, the player's address opened in another tab): this one then plays
 * nothing, so that two windows do not each run the course and commit over each other.
 *
 * The window that plays holds the attempt's Web Lock for as long as it lives; the browser lets go
 * of it when the window closes or navigates away, however it ends. A window that finds the lock
 * free knows at once. Before, every window asked the others over a BroadcastChannel and, silence
 * being the only "no", waited 250 ms on every launch, with no other window there at all. A held
 * lock may be this window's own last document (a reload) being torn down: the wait is for that.
 * Outside a secure context (an LMS on plain http) there are no Web Locks: the old way, then.
 */
async function anotherWindowPlays(attemptId: number): Promise<boolean> {
  const locks = (navigator as Partial<Navigator>).locks;
  if (!locks) return anotherWindowAnswers(attemptId);
  const name = `lms-attempt-${attemptId}`;
  if (await holdForever(locks, name, { ifAvailable: true })) return false;
  return !(await holdForever(locks, name, { signal: AbortSignal.timeout(OTHER_WINDOW_WAIT_MS) }));
}

/** Takes the lock and holds it until the window goes; false when it was not granted (held, or not within the signal's time). */
function holdForever(locks: LockManager, name: string, options: LockOptions): Promise<boolean> {
  return new Promise((resolve) => {
    locks
      .request(name, options, (lock) => {
        resolve(lock !== null);
        return lock ? new Promise<never>(() => undefined) : undefined;
      })
      .catch(() => resolve(false));
  });
}

/** Without Web Locks: asks the attempt's other windows over a BroadcastChannel, and waits for an answer. */
async function anotherWindowAnswers(attemptId: number): Promise<boolean> {
  if (typeof BroadcastChannel === "undefined") return false;
  const channel = new BroadcastChannel(`lms-attempt-${attemptId}`);
  let answered = false;
  let playing = false;
  channel.addEventListener("message", (event: MessageEvent) => {
    if (event.data === "playing") answered = true;
    else if (event.data === "anyone-playing" && playing) channel.postMessage("playing");
  });
  channel.postMessage("anyone-playing");
  await new Promise((resolve) => window.setTimeout(resolve, OTHER_WINDOW_WAIT_MS));
  if (answered) {
    channel.close();
    return true;
  }
  playing = true;
  return false;
}
