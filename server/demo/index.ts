// The demo trust's public surface: seeding an empty database, and the demo logins start-up may
// print. Other areas import this file, never the modules behind it.

export { usableDemoLogins } from "./demo-logins.ts";
export { isDatabaseEmpty } from "./seed-reads.ts";
export { seedDemo } from "./seed.ts";
