// The portal area's public surface: the learner's Home, mounted by app.ts.

export { portalRoutes } from "./routes.ts";
