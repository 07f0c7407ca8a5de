// The Administration area's public surface: its pages (accounts, reports, audit, outbox, Verify a
// learner, Awaiting Approval), mounted by app.ts. Nothing else of it is for other areas.

export { adminRoutes } from "./routes.ts";
