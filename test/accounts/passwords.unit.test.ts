import { describe, expect, it } from "vitest";
import os from "node:os";
import { hashing, hashPassword, verifyPassword } from "../../server/accounts/passwords.ts";
import fs from "node:fs";
import { PASSWORD_MIN_LENGTH, passwordProblem } from "../../server/accounts/password-rules.ts";
import { breachedPasswords, breachedPasswordsFile, preloadBreachedPasswords, readInWorker, sortedList } from "../../server/accounts/breached-passwords.ts";

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
    // Issue 18: the breached list (a million passwords), keyboard walks and the words of this place.
    ["qwertyuiopas", "too common"], // accepted before: not among our 324
    ["iloveyoubaby", "too common"],
    ["ghjkl;'zxcvb9", "keyboard pattern"],
    ["0987poiu;lkj", "keyboard pattern"],
    ["1q2w3e4r5t!Z", "keyboard pattern"],
    ["asdf lemon tree", undefined], // a walk as one part of a passphrase
    ["property of the ward", undefined], // "erty" runs along the keys, in an ordinary word
    ["Leeds2024NHS!!", "words an attacker would guess here"], // the trust's name and NHS, with digits
    ["ESR nhs trust 2026!", "words an attacker would guess here"],
    ["TeachingHospitals1", "words an attacker would guess here"],
    ["nhs garden lantern", undefined], // NHS as one word among others
    // Accepted before the fresh-clone review: three-key runs, the number pad, the alphabet, repeats.
    ["qweasdzxcqwe", "keyboard pattern"],
    ["147258369147", "keyboard pattern"],
    ["abcd1234abcd", "keyboard pattern"],
    ["aaaabbbbcccc", "keyboard pattern"],
    ["alert quartz meadow", undefined], // three-key runs inside ordinary words ("ert", "qua")
    ["mango thicket 1987", undefined],
  ])("%s", (password, problem) => {
    const found = passwordProblem(password, { organisationNames: ["Leeds Teaching Hospitals NHS Trust"] });
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("checks against at least 100,000 breached passwords, read alike in a worker thread and on this one", async () => {
    const sync = breachedPasswords(PASSWORD_MIN_LENGTH);
    expect(sync.size).toBeGreaterThanOrEqual(100_000);
    expect(await preloadBreachedPasswords(PASSWORD_MIN_LENGTH)).toBe(sync); // once read, read once
    const file = fs.readFileSync(breachedPasswordsFile(), "utf8");
    const lines = file.split("\n").map((line) => line.trim().toLowerCase()).filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(999_000);
    const fromWorker = await readInWorker(PASSWORD_MIN_LENGTH);
    expect(fromWorker).toEqual(sortedList(file, PASSWORD_MIN_LENGTH, 100_000));
    // Every long entry is kept, and the 100,000 most common of any length.
    for (const entry of [lines[0]!, lines[99_999]!, ...lines.filter((line) => line.length >= PASSWORD_MIN_LENGTH).slice(-50)]) expect(sync.has(entry), entry).toBe(true);
    expect(sync.has("purple kettle harbour")).toBe(false);
  });

  it("allows 128 characters, and refuses a password containing the username", () => {
    expect(passwordProblem("word ".repeat(25) + "end")).toBeUndefined();
    expect(("word ".repeat(25) + "end").length).toBe(128);
    expect(passwordProblem("my 297JSMITH01 secret", { username: "297JSMITH01" })).toBe("Your password must not contain your username");
    // The username without the organisation's number, with a little added (accepted before the fresh-clone review).
    expect(passwordProblem("ECONROY01pass", { username: "297ECONROY01" })).toContain("words an attacker would guess here");
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
