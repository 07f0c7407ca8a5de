// The demo trust's public surface: seeding an empty database, and the demo logins start-up may
// print. Other areas import this file, never the modules behind it.

export { usableDemoLogins } from "./demo-logins.ts";
export { isDatabaseEmpty, seedDemo } from "./seed.ts";
