import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Native addons (sqlite3, argon2) are happiest in child processes rather than worker threads.
    pool: "forks",
    // Two cores: more workers only contend. Browser suites get their own generous timeouts.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
