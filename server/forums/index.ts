// The forums area's public surface: Forums and Chats, a discussion per course and per certification
// (its pages and L&D's moderation). Other areas import this file, never the modules behind it.
export { forumRoutes } from "./routes.ts";
export { mayReadDiscussion } from "./forums.ts";
