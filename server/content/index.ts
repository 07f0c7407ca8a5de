// The content area's public surface: the separate origin that serves course packages, and the
// signed tokens that let a player window's frames in. Other areas import this file only.

export { createContentApp } from "./content-app.ts";
export { contentTokenExpiry, signContentToken } from "./content-token.ts";
