import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * How long the event loop has lately been held up: the longest delay, in milliseconds, over the
 * last ten seconds. Every learner's commit waits behind whatever holds it, so /healthz reports it
 * (bench:import-healthz reads it while the largest package imports: reading a manifest, extracting
 * and saving must each leave the loop free within a few tens of milliseconds).
 */
export function watchEventLoop(): { longestMs(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // One bucket a second, the last ten kept.
  const seconds: number[] = [];
  const timer = setInterval(() => {
    seconds.push(histogram.max);
    if (seconds.length > 10) seconds.shift();
    histogram.reset();
  }, 1000);
  timer.unref();
  return { longestMs: () => Math.round(Math.max(histogram.max, ...seconds) / 1e6) };
}
