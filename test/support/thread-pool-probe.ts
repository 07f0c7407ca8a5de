/**
 * Prints whether one more job runs on libuv's thread pool while HELD of its threads are held (each
 * by opening a FIFO for reading, which blocks its thread until a writer opens it): "ran" if it ran
 * then, "waited" if it ran only once they were let go. Run in a process of its own, started as the
 * server is (test/web/thread-pool.test.ts).
 *
 *   node --require ./server/thread-pool.cjs --import tsx test/support/thread-pool-probe.ts HELD
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const held = Number(process.argv[2]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thread-pool-"));
const fifos = Array.from({ length: held }, (_, n) => path.join(dir, `held-${n}`));
for (const fifo of fifos) execFileSync("mkfifo", [fifo]);
const holds = fifos.map((fifo) => fs.promises.open(fifo, "r"));
let released = false;
// Let go after a while whatever happens, so that a pool too small answers "waited" rather than hangs.
const timer = setTimeout(() => void letGo(), 5_000);
await fs.promises.stat(dir);
const outcome = released ? "waited" : "ran";
clearTimeout(timer);
await letGo();
await Promise.all(holds.map(async (hold) => (await hold).close()));
fs.rmSync(dir, { recursive: true });
console.log(outcome);

/** Opens each FIFO for writing, which lets its reader's thread go; a reader still queued for a thread is waited for. */
async function letGo(): Promise<void> {
  if (released) return;
  released = true;
  const waiting = new Set(fifos);
  while (waiting.size) {
    for (const fifo of waiting) {
      try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
        waiting.delete(fifo);
      } catch (error) {
        // ENXIO: its reader has no thread yet, so it has not opened it: once another is let go, it will.
        if ((error as NodeJS.ErrnoException).code !== "ENXIO") throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
