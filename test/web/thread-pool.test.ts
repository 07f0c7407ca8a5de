import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);

/**
 * npm start sizes libuv's thread pool (server/thread-pool.cjs): 8 threads unless UV_THREADPOOL_SIZE
 * says otherwise. libuv reads the setting once, as its pool starts, so this starts a process the
 * way npm start does (its very flags, read from package.json) and counts the threads it has: with
 * all but one held, one more job still runs; with all held, it waits.
 */
describe("libuv's thread pool, as npm start sizes it", () => {
  const start = (JSON.parse(fs.readFileSync(new URL("package.json", root), "utf8")) as { scripts: { start: string } }).scripts.start;
  const flags = /^exec node (.*) server\/main\.ts$/.exec(start)![1]!.split(" ");

  async function oneMoreJob(held: number, env: Record<string, string | undefined>): Promise<string> {
    const { stdout } = await run(process.execPath, [...flags, "test/support/thread-pool-probe.ts", String(held)], { cwd: root, env: { ...process.env, UV_THREADPOOL_SIZE: undefined, ...env } });
    return stdout.trim();
  }

  it("has 8 threads when UV_THREADPOOL_SIZE is not set", async () => {
    expect(await oneMoreJob(7, {})).toBe("ran");
    expect(await oneMoreJob(8, {})).toBe("waited");
  });

  it("keeps the operator's UV_THREADPOOL_SIZE", async () => {
    expect(await oneMoreJob(3, { UV_THREADPOOL_SIZE: "4" })).toBe("ran");
    expect(await oneMoreJob(4, { UV_THREADPOOL_SIZE: "4" })).toBe("waited");
  });

  it("is in the configuration, and a size libuv would ignore stops the start", () => {
    expect(loadConfig({ UV_THREADPOOL_SIZE: "8" }).threadPoolSize).toBe(8);
    expect(loadConfig({}).threadPoolSize).toBe(4);
    for (const value of ["0", "1025", "eight"]) expect(() => loadConfig({ UV_THREADPOOL_SIZE: value })).toThrow(/UV_THREADPOOL_SIZE/);
  });
});
