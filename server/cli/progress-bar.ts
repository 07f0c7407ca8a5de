import type { ImportProgress } from "../packages/index.ts";

const WIDTH = 30;
const STAGES: Record<ImportProgress["stage"], string> = { checking: "Checking", extracting: "Extracting", saving: "Saving" };

/**
 * A one-line progress bar for a terminal, redrawn in place on stderr (stdout carries the command's
 * result, which scripts read). Redraws at most every 100 ms; `done()` clears the line.
 */
export function createProgressBar(stream: NodeJS.WriteStream, now: () => number = Date.now) {
  let last = 0;
  const draw = (progress: ImportProgress) => {
    const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const sizes = progress.stage === "extracting" ? `  ${megabytes(progress.done)}/${megabytes(progress.total)} MB` : "";
    stream.write(`\r${STAGES[progress.stage].padEnd(10)} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%${sizes}\x1b[K`);
  };
  return {
    update(progress: ImportProgress) {
      const time = now();
      const finished = progress.stage !== "extracting" || progress.done >= progress.total;
      if (!finished && time - last < 100) return;
      last = time;
      draw(progress);
    },
    done() {
      stream.write("\r\x1b[K");
    },
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
