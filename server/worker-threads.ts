import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker thread running one of our TypeScript modules. tsx (a dependency, which `npm start` runs
 * under) is registered in the worker first, so that the module loads under any host, vitest's
 * included; the registering costs the worker about a third of a second at its start.
 */
export function typeScriptWorker(module: URL, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  const program = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(program, { ...options, eval: true });
}
