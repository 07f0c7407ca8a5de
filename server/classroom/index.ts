// The classroom area's public surface: L&D's class pages, the learner's Choose and Enrol class
// pages, and the demo trust's classes. Other areas import this file, never the modules behind it.

export { classAdminRoutes } from "./admin-routes.ts";
export { addDemoClasses } from "./demo-classes.ts";
export { classLearnerRoutes } from "./learner-routes.ts";
