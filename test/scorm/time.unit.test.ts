import { describe, expect, it } from "vitest";
import {
  MAX_TIMESPAN_MS, MAX_TOTAL_MS, boundedMs, formatCmiTimespan, formatIsoDuration, parseCmiTimespan, parseIsoDuration, recordSessionTime, startSession,
} from "../../server/scorm/time.ts";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("SCORM 1.2 CMITimespan", () => {
  it.each([
    ["00:00:00", 0],
    ["0000:00:00.00", 0],
    ["00:01:30", 90 * S],
    ["01:30:05.5", H + 30 * M + 5.5 * S],
    ["01:30:05.05", H + 30 * M + 5.05 * S],
    ["9999:59:59.99", 9999 * H + 59 * M + 59.99 * S],
    ["1:00:00", H], // scorm-again takes one digit of hours; so do we
  ])("%s is %d ms", (value, ms) => {
    expect(parseCmiTimespan(value)).toBe(ms);
  });

  // Five digits of hours and more: scorm-again takes them, but 400 of them are Infinity (time.ts).
  it.each(["", "1:2:3", "00:00", "00:00:00.123", "PT1S", "-01:00:00", "aa:bb:cc", "12345:00:00"])("refuses %j", (value) => {
    expect(parseCmiTimespan(value)).toBeNull();
  });

  it("refuses 400 digits of hours, which are no number", () => {
    expect(parseCmiTimespan(`${"9".repeat(400)}:00:00`)).toBeNull();
  });

  it.each([
    [0, "00:00:00.00"],
    [90 * S, "00:01:30.00"],
    [H + 30 * M + 5.5 * S, "01:30:05.50"],
    [123 * H + 4 * M, "123:04:00.00"],
    [5, "00:00:00.01"],
    [-5, "00:00:00.00"],
    [20_000 * H, "9999:59:59.99"],
  ])("%d ms is %s", (ms, value) => {
    expect(formatCmiTimespan(ms)).toBe(value);
  });

  it("round-trips to the hundredth", () => {
    for (const ms of [0, 10, 1_230, 59_990, 3_600_000, 36_000_000 + 1_234_560]) expect(parseCmiTimespan(formatCmiTimespan(ms))).toBe(ms);
  });
});

describe("SCORM 2004 timeinterval (ISO 8601 duration)", () => {
  it.each([
    ["PT0S", 0],
    ["P", 0],
    ["PT1M30S", 90 * S],
    ["PT1H30M5.5S", H + 30 * M + 5.5 * S],
    ["PT0.05S", 50],
    ["PT1,5S", 1.5 * S],
    ["P1D", D],
    ["P1DT2H", D + 2 * H],
    ["P2W", 14 * D],
    ["PT36H", 36 * H],
    // Years and months: 365.25 days and a twelfth of that.
    ["P1Y", 365.25 * D],
    ["P1M", 30.4375 * D],
    ["P1Y2M3DT4H5M6S", 365.25 * D + 2 * 30.4375 * D + 3 * D + 4 * H + 5 * M + 6 * S],
    ["PT1M", M],
    ["P1H", H], // scorm-again accepts the T left out
  ])("%s is %d ms", (value, ms) => {
    expect(parseIsoDuration(value)).toBe(ms);
  });

  it.each(["", "1H", "PT-1S", "P1S1M", "00:00:10", "PTS", "P1.2.3D"])("refuses %j", (value) => {
    expect(parseIsoDuration(value)).toBeNull();
  });

  it.each([
    [0, "PT0S"],
    [90 * S, "PT1M30S"],
    [H + 30 * M + 5.5 * S, "PT1H30M5.5S"],
    [D + 2 * H, "PT26H"],
    [H, "PT1H"],
    [50, "PT0.05S"],
    [MAX_TIMESPAN_MS, "PT9999H59M59.99S"],
    [20_000 * H, "PT9999H59M59.99S"], // no longer than the server takes
  ])("%d ms is %s (hours at most: no month or year is ever written)", (ms, value) => {
    expect(formatIsoDuration(ms)).toBe(value);
  });

  it("round-trips to the hundredth", () => {
    for (const ms of [0, 10, 1_230, 59_990, 3_600_000, 90_061_230]) expect(parseIsoDuration(formatIsoDuration(ms))).toBe(ms);
  });

  it("reads a duration of any length, however absurd, for the validation to refuse", () => {
    expect(parseIsoDuration("PT10000H")).toBe(10_000 * H);
    expect(parseIsoDuration(`P${"9".repeat(400)}Y`)).toBe(Infinity);
  });
});

describe("the server's total time", () => {
  it("counts a session_time reported with every commit once", () => {
    let time = startSession({ totalMs: 0, sessionMs: 0 });
    time = recordSessionTime(time, 30 * S);
    time = recordSessionTime(time, 60 * S);
    time = recordSessionTime(time, 90 * S);
    expect(time).toEqual({ totalMs: 90 * S, sessionMs: 90 * S });
  });

  it("adds a new session's time to the closed sessions' total", () => {
    let time = recordSessionTime({ totalMs: 0, sessionMs: 0 }, 90 * S);
    time = startSession(time);
    expect(time).toEqual({ totalMs: 90 * S, sessionMs: 0 });
    time = recordSessionTime(time, 10 * S);
    time = recordSessionTime(time, 45 * S);
    expect(time).toEqual({ totalMs: 135 * S, sessionMs: 45 * S });
  });

  it("loses nothing when a session starts without a commit in between", () => {
    const time = startSession(startSession(recordSessionTime({ totalMs: 0, sessionMs: 0 }, 5 * M)));
    expect(time.totalMs).toBe(5 * M);
  });

  it.each([
    ["an infinite session", { totalMs: 10 * S, sessionMs: 0 }, Infinity, { totalMs: MAX_TOTAL_MS, sessionMs: MAX_TOTAL_MS }],
    ["NaN", { totalMs: 10 * S, sessionMs: 0 }, NaN, { totalMs: 10 * S, sessionMs: 0 }],
    ["a negative session", { totalMs: 10 * S, sessionMs: 0 }, -5 * S, { totalMs: 10 * S, sessionMs: 0 }],
    ["a total past 2^53 - 1", { totalMs: MAX_TOTAL_MS, sessionMs: 0 }, H, { totalMs: MAX_TOTAL_MS, sessionMs: H }],
    ["a total below its own session (a repaired row)", { totalMs: 0, sessionMs: MAX_TOTAL_MS }, H, { totalMs: H, sessionMs: H }],
  ])("keeps the total a whole, finite, safe number after %s", (_, before, sessionMs, after) => {
    expect(recordSessionTime(before, sessionMs)).toEqual(after);
  });

  it.each([
    [NaN, 0],
    [-Infinity, 0],
    [-1, 0],
    [1.6, 2],
    [Infinity, MAX_TOTAL_MS],
    [1e20, MAX_TOTAL_MS],
  ])("bounds %d ms to %d", (ms, bounded) => {
    expect(boundedMs(ms)).toBe(bounded);
    expect(startSession({ totalMs: ms, sessionMs: 0 }).totalMs).toBe(bounded);
  });
});
