/**
 * The learners of bench:content (content.ts), in a process of their own so that the servers
 * measured keep a core and their memory is theirs alone. Started with fork(); it is sent one
 * LearnersRun, loads the course as that many browsers would, each on one kept-alive connection,
 * and answers with LearnersFigures.
 */
import http from "node:http";
import { percentile } from "./load-journey.ts";

/** One request of a course load: a file, or a byte range of one (the video, as a player reads it). */
export interface CourseRequest {
  path: string;
  range?: [number, number];
  /** The bytes a right answer carries: checked, so a server that answers short is not fast. */
  bytes: number;
}

export interface LearnersRun {
  base: string;
  /** Each learner's own prefix (the LMS: /c/<its token>; the bare server: /files). */
  prefixes: string[];
  course: CourseRequest[];
  seconds: number;
  /** Requests a second each learner makes, waiting a random while between them; 0: flat out. */
  pace: number;
}

export interface LearnersFigures {
  requests: number;
  bytes: number;
  seconds: number;
  /** Milliseconds from sending a request to its answer's headers (the first bytes). */
  firstByte: { p50: number; p99: number };
  /** Milliseconds to the last byte. */
  whole: { p50: number; p99: number };
  wrong: number;
  errors: number;
}

export async function runLearners(run: LearnersRun): Promise<LearnersFigures> {
  const firstBytes: number[] = [];
  const wholes: number[] = [];
  let requests = 0;
  let bytes = 0;
  let wrong = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + run.seconds * 1000;
  await Promise.all(
    run.prefixes.map(async (prefix) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // Each learner starts at its own place in the course, so that not all read the video at once.
      let next = Math.floor(Math.random() * run.course.length);
      // Paced, each waits 0 to twice the mean interval (never in step with the others), then asks.
      const pause = () => (run.pace > 0 ? new Promise((resolve) => setTimeout(resolve, (Math.random() * 2000) / run.pace)) : undefined);
      while ((await pause(), performance.now() < deadline)) {
        const item = run.course[next++ % run.course.length]!;
        const sent = performance.now();
        try {
          const answer = await get(agent, `${run.base}${prefix}/${item.path}`, item.range);
          const done = performance.now();
          if (done > deadline) break;
          requests++;
          bytes += answer.bytes;
          firstBytes.push(answer.firstByteAt - sent);
          wholes.push(done - sent);
          if (answer.status !== (item.range ? 206 : 200) || answer.bytes !== item.bytes) wrong++;
        } catch {
          errors++;
        }
      }
      agent.destroy();
    }),
  );
  const seconds = Math.min(performance.now(), deadline) / 1000 - started / 1000;
  return { requests, bytes, seconds, firstByte: percentiles(firstBytes), whole: percentiles(wholes), wrong, errors };
}

function get(agent: http.Agent, url: string, range: [number, number] | undefined): Promise<{ status: number; bytes: number; firstByteAt: number }> {
  return new Promise((resolve, reject) => {
    const headers = range ? { range: `bytes=${range[0]}-${range[1]}` } : {};
    const request = http.get(url, { agent, headers }, (response) => {
      const firstByteAt = performance.now();
      let bytes = 0;
      response.on("data", (chunk: Buffer) => (bytes += chunk.length));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, bytes, firstByteAt }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

function percentiles(values: number[]): { p50: number; p99: number } {
  return { p50: percentile(values, 0.5), p99: percentile(values, 0.99) };
}

// Forked by content.ts: one run per message, its figures sent back.
if (process.send) {
  process.on("message", async (run: LearnersRun) => {
    process.send!(await runLearners(run));
  });
}
