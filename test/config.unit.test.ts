import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRunningClock } from "../server/clock.ts";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../server/config.ts";

describe("loadConfig", () => {
  it("uses port 3000, ./data and a content origin on another host by default", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.dataDir).toBe("./data");
    expect(new URL(config.contentUrl).hostname).not.toBe(new URL(config.publicUrl).hostname);
    expect(config.databaseUrl).toBeUndefined();
  });

  it("believes only the proxies TRUST_PROXY names (loopback unless set), and the lockout settings", () => {
    expect(loadConfig({}).trustProxy).toBe("loopback");
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy).toBe("10.0.0.0/8, loopback");
    expect(() => loadConfig({ TRUST_PROXY: "everyone" })).toThrow(/TRUST_PROXY must be/);
    expect(loadConfig({ LOCKOUT_THRESHOLD: "3", LOCKOUT_MINUTES: "60" }).lockout).toEqual({ threshold: 3, minutes: 60 });
    expect([loadConfig({}).demoTrust, loadConfig({ DEMO_TRUST: "on" }).demoTrust, loadConfig({ DEMO_TRUST: "off" }).demoTrust]).toEqual([true, true, false]);
    expect(() => loadConfig({ DEMO_TRUST: "no" })).toThrow(/DEMO_TRUST must be on or off/);
    expect(loadConfig({}).helpUrl).toBe("/help");
    expect(() => loadConfig({ HELP_URL: "javascript:alert(1)" })).toThrow(/HELP_URL must be a path on the LMS/);
    expect(loadConfig({ NEED_HELP: " Ring 0191 445 2690 | | Email help@example.org " }).needHelp).toEqual(["Ring 0191 445 2690", "Email help@example.org"]);
  });

  it("lists every bad value at once", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "seventy", DATABASE_URL: "mysql://x", LMS_NOW: "someday", SESSION_SECRET: "short" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems).toMatch(/LMS_NOW must be an ISO date/);
    expect(problems).toMatch(/SESSION_SECRET must be at least 32/);
  });

  it.each(["1", "March 1", "2026-02-30", "2026-3-1", "2026-03-01 09:00"])("refuses LMS_NOW=%s", (value) => {
    expect(() => loadConfig({ LMS_NOW: value })).toThrow(/LMS_NOW must be an ISO date/);
  });

  it.each(["2026-03-01", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00.000+01:00"])("accepts LMS_NOW=%s", (value) => {
    expect(loadConfig({ LMS_NOW: value }).fixedNow).toBe(value);
  });

  it("refuses a PUBLIC_URL with a path", () => {
    expect(() => loadConfig({ PUBLIC_URL: "http://localhost:3000/lms" })).toThrow(/PUBLIC_URL must be an http\(s\) origin with no path/);
  });

  it("refuses a content origin on the LMS's host name, whatever its port", () => {
    expect(() => loadConfig({ PUBLIC_URL: "http://lms.example", CONTENT_URL: "http://lms.example/" })).toThrow(/another host name/);
    expect(() => loadConfig({ PUBLIC_URL: "http://lms.example", CONTENT_URL: "http://lms.example:8081" })).toThrow(/another host name than PUBLIC_URL/);
  });

  it("puts the default content origin on the other loopback name when the LMS is on one", () => {
    expect(new URL(loadConfig({ PUBLIC_URL: "http://127.0.0.1:4320" }).contentUrl).hostname).toBe("localhost");
    expect(new URL(loadConfig({ PUBLIC_URL: "http://localhost:4320" }).contentUrl).hostname).toBe("127.0.0.1");
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", SMTP_URL: "" }).databaseUrl).toBeUndefined();
  });
});

describe("the trust's branding (TRUST_NAME, TRUST_LOGO, TRUST_LOGO_ALT, FOOTER_TEXT)", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lms-config-logo-"));
  const logo = path.join(folder, "trust.PNG");
  fs.writeFileSync(logo, Buffer.from([0x89, 0x50, 0x4e, 0x47]));

  it("defaults to the service's name, no logo, and a footer line for the trust's staff", () => {
    expect(loadConfig({}).branding).toEqual({
      trustName: "NHS Electronic Staff Record learning",
      logo: undefined,
      logoAlt: "NHS Electronic Staff Record learning logo",
      footer: "Your mandatory training, your compliance and your certificates, in one place.",
    });
  });

  it("takes the name, a logo file (resolved), its words and the footer, trimmed", () => {
    const branding = loadConfig({ TRUST_NAME: " Gateshead Health NHS Foundation Trust ", TRUST_LOGO: path.relative(process.cwd(), logo), TRUST_LOGO_ALT: "Gateshead Health", FOOTER_TEXT: " Ring 0191 445 2690 for help. " }).branding;
    expect(branding).toEqual({ trustName: "Gateshead Health NHS Foundation Trust", logo: { file: logo }, logoAlt: "Gateshead Health", footer: "Ring 0191 445 2690 for help." });
    expect(loadConfig({ TRUST_NAME: "Gateshead", TRUST_LOGO: logo }).branding.logoAlt).toBe("Gateshead logo");
  });

  it("sends mail from the trust's name, quoted, unless MAIL_FROM says otherwise", () => {
    expect(loadConfig({ PUBLIC_URL: "https://lms.example.org" }).mailFrom).toBe('"NHS Electronic Staff Record learning" <no-reply@lms.example.org>');
    expect(loadConfig({ PUBLIC_URL: "https://lms.example.org", TRUST_NAME: 'Gateshead "Health" \\ Trust' }).mailFrom).toBe('"Gateshead \\"Health\\" \\\\ Trust" <no-reply@lms.example.org>');
    expect(loadConfig({ TRUST_NAME: "Gateshead", MAIL_FROM: "lms@example.org" }).mailFrom).toBe("lms@example.org");
  });

  it("takes a logo address as it is", () => {
    expect(loadConfig({ TRUST_LOGO: "https://cdn.example.org/logo.svg?v=2" }).branding.logo).toEqual({ url: "https://cdn.example.org/logo.svg?v=2" });
  });

  it.each([
    [{ TRUST_LOGO: path.join(folder, "missing.png") }, /TRUST_LOGO must name an existing file; there is none at .*missing\.png/],
    [{ TRUST_LOGO: folder + ".svg" }, /TRUST_LOGO must name an existing file/],
    [{ TRUST_LOGO: path.join(folder, "logo.pdf") }, /TRUST_LOGO must be an image file ending \.svg, \.png/],
    [{ TRUST_LOGO: "ftp://example.org/logo.png" }, /TRUST_LOGO must be an image file on this server or an http\(s\) address/],
    [{ TRUST_LOGO: "https://user:secret@example.org/logo.png" }, /TRUST_LOGO's address must not carry a user name or password/],
    [{ TRUST_LOGO_ALT: "Our trust" }, /TRUST_LOGO_ALT: describes a logo, but TRUST_LOGO is not set/],
    [{ TRUST_NAME: "x".repeat(101) }, /TRUST_NAME must be at most 100 characters/],
    [{ TRUST_NAME: "Two\nlines" }, /TRUST_NAME must be one line of text/],
    [{ TRUST_NAME: "   " }, /TRUST_NAME must say something/],
    [{ FOOTER_TEXT: "x".repeat(501) }, /FOOTER_TEXT must be at most 500 characters/],
  ])("refuses %o, naming the setting", (env, problem) => {
    expect(() => loadConfig(env)).toThrow(problem);
  });

  it("refuses a folder and a logo over 1 MB, and lists branding problems with the others", () => {
    const folderLogo = path.join(folder, "folder.svg");
    fs.mkdirSync(folderLogo, { recursive: true });
    expect(() => loadConfig({ TRUST_LOGO: folderLogo })).toThrow(/TRUST_LOGO must name a file; .*folder\.svg is a folder/);
    const big = path.join(folder, "big.jpg");
    fs.writeFileSync(big, Buffer.alloc(1024 * 1024 + 1));
    expect(() => loadConfig({ TRUST_LOGO: big })).toThrow(/TRUST_LOGO must be at most 1 MB; .*big\.jpg is 1\.0 MB/);
    let error: unknown;
    try {
      loadConfig({ PORT: "seventy", TRUST_NAME: "", FOOTER_TEXT: "a\u0007b", TRUST_LOGO_ALT: "Our trust" });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^PORT/), "FOOTER_TEXT: FOOTER_TEXT must be one line of text", "TRUST_LOGO_ALT: describes a logo, but TRUST_LOGO is not set"]);
  });
});

describe("the LMS_NOW clock", () => {
  it("starts at LMS_NOW and runs on, so that one thing done after another is later", async () => {
    const clock = createRunningClock("2026-03-01T09:00:00Z");
    const first = clock.now().getTime();
    expect(first).toBeGreaterThanOrEqual(Date.parse("2026-03-01T09:00:00Z"));
    expect(first).toBeLessThan(Date.parse("2026-03-01T09:00:05Z"));
    expect(clock.today()).toBe("2026-03-01");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.now().getTime()).toBeGreaterThan(first);
  });
});
