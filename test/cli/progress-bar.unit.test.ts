import { describe, expect, it } from "vitest";
import { createProgressBar } from "../../server/cli/progress-bar.ts";

function fakeTerminal() {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe("the import progress bar", () => {
  it("redraws one line in place with the stage, a bar, the percentage and the megabytes", () => {
    const { writes, stream } = fakeTerminal();
    let time = 0;
    const bar = createProgressBar(stream, () => time);
    bar.update({ stage: "checking", done: 0, total: 1 });
    time = 500;
    bar.update({ stage: "extracting", done: 50 * 1024 * 1024, total: 200 * 1024 * 1024 });
    expect(writes[1]).toBe(`\rExtracting [########......................]  25%  50.0/200.0 MB\x1b[K`);
    bar.done();
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  it("draws at most every 100 ms, but always the last step", () => {
    const { writes, stream } = fakeTerminal();
    let time = 1000;
    const bar = createProgressBar(stream, () => time);
    for (let done = 1; done < 10; done++) bar.update({ stage: "extracting", done, total: 10 });
    expect(writes).toHaveLength(1);
    bar.update({ stage: "extracting", done: 10, total: 10 });
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain("100%");
  });
});
