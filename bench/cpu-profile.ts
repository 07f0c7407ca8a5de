// A benchmark's CPU profile of one part of its run (read it with bench/profile-top.ts).
import fs from "node:fs";
import { Session } from "node:inspector/promises";

/** Runs work under the CPU profiler when file is given, writing the profile there when it ends. */
export async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
