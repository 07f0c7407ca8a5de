// The player window (LMS origin) and the launcher (content origin) exchange SCORM calls through
// scorm-again's CrossFrameAPI / CrossFrameLMS. These few messages of our own sit beside them:
//
//   launcher -> player   cmi-request   {scoId}          "give me the SCO's CMI"; once, before the SCO loads
//   player -> launcher   cmi           {scoId, values}  the whole CMI, flattened: the launcher fills
//                                                       CrossFrameAPI's cache with it, then loads the SCO
//   player -> launcher   unload-sco    {scoId}          "unload the SCO" (Home, Previous/Next, another SCO)
//   launcher -> player   sco-unloaded  {scoId}          sent after the SCO's frame is gone, so after every
//                                                       call its unload handlers made (same sender: in order)
//
// Every message carries `protocol`, so neither side mistakes scorm-again's messages (or anything
// else posted to the window) for one of these. Each side checks the other's origin and window.

export const PROTOCOL = "lms-player/1";

export type LauncherMessage =
  | { protocol: typeof PROTOCOL; type: "cmi-request"; scoId: string }
  | { protocol: typeof PROTOCOL; type: "sco-unloaded"; scoId: string };

export type PlayerMessage =
  | { protocol: typeof PROTOCOL; type: "cmi"; scoId: string; values: Record<string, string> }
  | { protocol: typeof PROTOCOL; type: "unload-sco"; scoId: string };

/** A message as its sender writes it, before `protocol` is stamped on. */
export type Unstamped<M> = M extends unknown ? Omit<M, "protocol"> : never;

function isMessage(data: unknown, types: readonly string[]): data is { protocol: string; type: string; scoId: string } {
  if (typeof data !== "object" || data === null) return false;
  const message = data as Record<string, unknown>;
  return message.protocol === PROTOCOL && typeof message.type === "string" && types.includes(message.type) && typeof message.scoId === "string";
}

export function isLauncherMessage(data: unknown): data is LauncherMessage {
  return isMessage(data, ["cmi-request", "sco-unloaded"]);
}

export function isPlayerMessage(data: unknown): data is PlayerMessage {
  if (!isMessage(data, ["cmi", "unload-sco"])) return false;
  if (data.type !== "cmi") return true;
  const values = (data as { values?: unknown }).values;
  return typeof values === "object" && values !== null && Object.values(values).every((value) => typeof value === "string");
}

/** The SCORM API's window property for each edition. */
export const API_NAMES = { "1.2": "API", "2004": "API_1484_11" } as const;
