// The runtime area's public surface: the player window's page and the SCORM runtime's commit
// routes, mounted by app.ts, and the shape of the player's configuration, the one thing of the
// runtime the player (a browser bundle) sees.

export type { PlayerConfig } from "./player-config.ts";
export { playerRoutes } from "./player-routes.ts";
export { runtimeRoutes } from "./routes.ts";
