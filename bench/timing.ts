// How long something takes, run after run: the median and the 95th percentile, in milliseconds.
export interface Timing {
  median: number;
  p95: number;
}

export async function timed(runs: number, work: () => Promise<unknown>): Promise<Timing> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]! };
}
