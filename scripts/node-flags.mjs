// The Node flags the LMS's server process starts with: `npm start`, and the benchmarks that start
// the server as it is deployed. Plain JavaScript, so that `npm start` can ask for them before tsx
// is loaded: `node scripts/node-flags.mjs` prints them.
import os from "node:os";
import { fileURLToPath } from "node:url";

/**
 * --v8-pool-size: V8's background threads, which mark and sweep the heap beside the event loop.
 * Node starts four whatever the machine. On two cores, four of them at once during a major
 * collection left SQLite's writer thread and the event loop a fraction of a core each: in
 * bench:commits at 100 commits a second, every commit slower than 40 ms fell in one of those
 * collections (one every 3-5 s), 9-19 such commits in 30 s with four threads against 0-7 with one
 * (five runs each, 2026-12-08). So the pool leaves one core to the rest: the cores less one, at
 * least one, and never more than Node's own four.
 */
export function serverNodeFlags(cores = os.availableParallelism()) {
  return [`--v8-pool-size=${Math.max(1, Math.min(4, cores - 1))}`];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(serverNodeFlags().join(" "));
