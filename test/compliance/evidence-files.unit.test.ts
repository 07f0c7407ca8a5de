import { describe, expect, it } from "vitest";
import { evidenceKindOf, safeFilename } from "../../server/compliance/evidence-files.ts";

describe("evidenceKindOf", () => {
  it("knows a PDF, a PNG and a JPEG by their first bytes", () => {
    expect(evidenceKindOf(Buffer.from("%PDF-1.7\n", "latin1"))?.contentType).toBe("application/pdf");
    expect(evidenceKindOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.contentType).toBe("image/png");
    expect(evidenceKindOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.contentType).toBe("image/jpeg");
  });

  it("knows nothing else, however it is named: a program, a web page, a zip, a PDF header too late", () => {
    for (const head of ["MZ\x90\0", "<!doctype html>", "PK\x03\x04", " %PDF-1.4", "%PD", ""]) expect(evidenceKindOf(Buffer.from(head, "latin1")), JSON.stringify(head)).toBeUndefined();
  });
});

describe("safeFilename", () => {
  const pdf = evidenceKindOf(Buffer.from("%PDF-", "latin1"))!;
  it("keeps a plain name and gives it the extension of what the file is", () => {
    expect(safeFilename("My certificate (2026).pdf", pdf)).toBe("My certificate (2026).pdf");
    expect(safeFilename("scan.PDF", pdf)).toBe("scan.pdf");
  });

  it("drops folders, quotes, control characters and leading dots, so the name is safe in a header and on disk", () => {
    expect(safeFilename("C:\\Users\\jane\\..\\cert.pdf", pdf)).toBe("cert.pdf");
    expect(safeFilename("../../etc/passwd.pdf", pdf)).toBe("passwd.pdf");
    expect(safeFilename('a"b\r\nc;d.pdf', pdf)).toBe("a_b_c_d.pdf");
    expect(safeFilename(".hidden.pdf", pdf)).toBe("hidden.pdf");
    expect(safeFilename("Zoë Ä.pdf", pdf)).toBe("Zoë Ä.pdf");
    expect(safeFilename("证书.pdf", pdf)).toBe("证书.pdf");
    expect(safeFilename("...", pdf)).toBe("evidence.pdf");
  });
});
