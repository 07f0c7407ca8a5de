import { describe, expect, it } from "vitest";
import os from "node:os";
import { hashing, hashPassword, passwordProblem, verifyPassword } from "../../server/accounts/passwords.ts";

/** Issue 6's password rules: 12 to 128 characters, no composition rules, nothing guessable. */
describe("passwordProblem", () => {
  it.each([
    ["purple kettle harbour", undefined],
    ["correct horse battery", undefined],
    ["short one", "Password must be at least 12 characters"],
    ["x".repeat(11) + "y", "too common"], // one character and another
    ["ab".repeat(64), "too common"], // two characters repeated
    ["a".repeat(129), "at most 128 characters"],
    ["Password1234", "too common"],
    ["Password2024!", "too common"], // the word once digits and symbols are taken off
    ["Summer2024!!", "too common"],
    ["NHS123456789", "too common"],
    ["aaaaaaaaaaaaa", "too common"],
    ["summer holiday by the sea", undefined], // a passphrase containing a common word is fine
  ])("%s", (password, problem) => {
    const found = passwordProblem(password);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("allows 128 characters, and refuses a password containing the username", () => {
    expect(passwordProblem("word ".repeat(25) + "end")).toBeUndefined();
    expect(("word ".repeat(25) + "end").length).toBe(128);
    expect(passwordProblem("my 297JSMITH01 secret", { username: "297JSMITH01" })).toBe("Your password must not contain your username");
  });
});

/** A burst of logins must not fill libuv's thread pool, which SQLite's statements share. */
describe("password hashing", () => {
  it("runs at most one fewer hash than the cores at once, the rest waiting their turn", async () => {
    const stored = await hashPassword("a long enough password");
    const checks = Array.from({ length: 6 }, (_, n) => verifyPassword(stored, n % 2 ? "a long enough password" : "wrong password here"));
    await Promise.resolve();
    expect(hashing.concurrency).toBe(Math.max(1, os.availableParallelism() - 1));
    expect(hashing.activeCount + hashing.pendingCount).toBe(6);
    expect(hashing.activeCount).toBeLessThanOrEqual(hashing.concurrency);
    expect(await Promise.all(checks)).toEqual([false, true, false, true, false, true]);
    expect(hashing.activeCount + hashing.pendingCount).toBe(0);
  });
});
