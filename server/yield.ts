/**
 * Lets the event loop run whatever is waiting (other learners' commits, /healthz) before a long
 * piece of work goes on: a loop over the 10,000 entries a package may have took 30-65 ms without
 * a break (bench:import-healthz).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** How many entries, records or rows a loop handles between two yields: about 3 ms of work each. */
export const YIELD_EVERY = 500;
