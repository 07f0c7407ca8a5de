import { describe, expect, it } from "vitest";
import { decodeXml } from "../../server/scorm/manifest/xml-encoding.ts";
import { capFindings, fileSystemFailure, PackageError, quoteName } from "../../server/packages/package-error.ts";

const doc = (declaration: string) => `${declaration}<manifest><title>Sécurité – café</title></manifest>`;

describe("decodeXml", () => {
  it.each([
    ["no declaration", doc(""), "utf8"],
    ["UTF-8", doc('<?xml version="1.0" encoding="UTF-8"?>'), "utf8"],
    ["a UTF-8 byte-order mark", `\uFEFF${doc('<?xml version="1.0"?>')}`, "utf8"],
    ["a declaration in single quotes", doc("<?xml version='1.0' encoding='utf-8' standalone='yes'?>"), "utf8"],
  ] as const)("reads %s as UTF-8", (_why, text, encoding) => {
    expect(decodeXml(Buffer.from(text, encoding))).toContain("Sécurité – café");
  });

  it.each(["ISO-8859-1", "latin1", "windows-1252", "US-ASCII"])("honours encoding=%s", (label) => {
    const bytes = Buffer.from(doc(`<?xml version="1.0" encoding="${label}"?>`).replace("–", "-"), "latin1");
    expect(decodeXml(bytes)).toContain("<title>Sécurité - café</title>");
  });

  it("reads windows-1252's own characters (the en dash at 0x96)", () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><t>a'), Buffer.from([0x96]), Buffer.from("b</t>")]);
    expect(decodeXml(bytes)).toBe('<?xml version="1.0" encoding="windows-1252"?><t>a–b</t>');
  });

  it("reads UTF-16 with and without a byte-order mark, either byte order", () => {
    const text = doc('<?xml version="1.0" encoding="UTF-16"?>');
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), le, Buffer.concat([Buffer.from([0xfe, 0xff]), be]), be]) {
      expect(decodeXml(bytes)).toBe(text);
    }
  });

  it("reads a file that says UTF-16 but is plainly one byte a character as UTF-8", () => {
    expect(decodeXml(Buffer.from(doc('<?xml version="1.0" encoding="UTF-16"?>')))).toContain("Sécurité – café");
  });

  it("refuses an encoding it does not know, naming it", () => {
    expect(() => decodeXml(Buffer.from(doc('<?xml version="1.0" encoding="x-klingon"?>')))).toThrow(
      expect.objectContaining({ code: "package.manifest_encoding", message: expect.stringContaining('"x-klingon"') }),
    );
  });
});

describe("PackageError", () => {
  it("keeps the first problem's code and lists every problem in details and findings", () => {
    const findings = [
      { code: "package.launch_missing", message: "one" },
      { code: "package.missing_dependency", message: "two" },
    ];
    const error = new PackageError(findings);
    expect(error).toMatchObject({ code: "package.launch_missing", message: "one (and 1 more problem)", details: ["one", "two"], findings, status: 400 });
    expect(new PackageError([findings[0]!])).toMatchObject({ message: "one", details: [] });
  });

  it("sums up findings past twenty of one code", () => {
    const many = Array.from({ length: 25 }, (_, index) => ({ code: "package.unsafe_path", message: `bad ${index}` }));
    const capped = capFindings([...many, { code: "package.symlink", message: "link" }]);
    expect(capped).toHaveLength(22);
    expect(capped.at(-1)).toEqual({ code: "package.unsafe_path", message: "... and 5 more problems like the ones above (package.unsafe_path)" });
  });

  it("shortens and quotes long names", () => {
    expect(quoteName("a\"b")).toBe('"a\\"b"');
    expect(quoteName("x".repeat(500))).toBe(`"${"x".repeat(80)}…${"x".repeat(30)}"`);
  });

  it("describes file system failures without the server's paths, keeping the original as the cause", () => {
    const original = Object.assign(new Error("ENAMETOOLONG: name too long, mkdir '/srv/lms/data/packages/.tmp/work-1/x'"), { code: "ENAMETOOLONG", syscall: "mkdir" });
    const failure = fileSystemFailure(original, "x");
    expect(failure).toMatchObject({ code: "package.extract_failed", status: 500, message: `The package entry "x" could not be written (its name is too long for the server's file system)` });
    expect(failure.cause).toBe(original);
    expect(fileSystemFailure(Object.assign(new Error("x"), { code: "EDQUOT", syscall: "write" }))).toMatchObject({ code: "package.no_space", status: 507 });
  });
});
