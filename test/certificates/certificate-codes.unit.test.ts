import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, groupedCode, newCertificateCode, normaliseCode } from "../../server/certificates/codes.ts";
import { isWinAnsi, pdfText } from "../../server/certificates/pdf-text.ts";

describe("certificate codes", () => {
  it("are 16 characters of an alphabet without 0, O, 1 or I, each one different", () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[0O1I]/);
    const codes = Array.from({ length: 2000 }, newCertificateCode);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character turns up: none is left out of the draw.
    expect(new Set(codes.join("")).size).toBe(32);
  });

  it("read back however they are typed, and refuse what cannot be one", () => {
    expect(groupedCode("ABCDEFGHJKLMNPQR")).toBe("ABCD-EFGH-JKLM-NPQR");
    for (const typed of ["ABCD-EFGH-JKLM-NPQR", "abcd efgh jklm npqr", " abcdefghjklmnpqr ", "ABCD\u2013EFGH\u2014JKLM_NPQR", "ABCD.EFGH.JKLM.NPQR"]) expect(normaliseCode(typed)).toBe("ABCDEFGHJKLMNPQR");
    for (const typed of ["", "ABCD-EFGH-JKLM", "ABCD-EFGH-JKLM-NPQRS", "ABCD-EFGH-JKLM-NPQ0", "ABCD-EFGH-JKLM-NPQI", "ÅBCD-EFGH-JKLM-NPQR", "ABCD-EFGH-JKLM-NPQR".repeat(10)]) expect(normaliseCode(typed)).toBeUndefined();
  });
});

describe("text for the PDF's Helvetica", () => {
  it("keeps what WinAnsi has, and spells the rest in plain Latin letters, saying so", () => {
    expect(pdfText("Ørsted, Ñúñez José Zoë – Œuvre €")).toEqual({ text: "Ørsted, Ñúñez José Zoë – Œuvre €", changed: false });
    // Decomposed accents (as some systems send them) are composed first.
    expect(pdfText("Jose\u0301")).toEqual({ text: "José", changed: false });
    expect(pdfText("Łucja Wołodźko")).toEqual({ text: "Lucja Wolodzko", changed: true });
    expect(pdfText("Şahin Ğül, Đorđe, Nguyễn")).toEqual({ text: "Sahin Gül, Dorde, Nguyen", changed: true });
    expect(pdfText("Жанна Щукина")).toEqual({ text: "Zhanna Shchukina", changed: true });
    expect(pdfText("Αλέξανδρος Ψαρράς")).toEqual({ text: "Alexandros Psarras", changed: true });
    expect(pdfText("王小明")).toEqual({ text: "???", changed: true });
    expect([...pdfText("Ł Ж 王 \u0085 \u2028").text].every(isWinAnsi)).toBe(true);
  });
});
