import { randomBytes } from "node:crypto";

/**
 * Verification codes: 16 characters of an alphabet with nothing to misread (no 0 / O, no 1 / I),
 * 32 characters so each is 5 random bits: 80 bits a code, far past guessing even unthrottled.
 * Printed in groups of four (ABCD-EFGH-JKLM-NPQR); stored without the dashes.
 */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 16;

const CODE_SHAPE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

export function newCertificateCode(): string {
  // 32 divides 256, so taking each byte modulo 32 favours no character.
  return [...randomBytes(CODE_LENGTH)].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("");
}

/**
 * A code as someone typed or pasted it, in the stored form: case, spaces and dashes (of any kind)
 * ignored. Undefined when it cannot be a code at all.
 */
export function normaliseCode(typed: string): string | undefined {
  const code = typed.slice(0, 100).toUpperCase().replace(/[\s\p{Pd}_.]/gu, "");
  return CODE_SHAPE.test(code) ? code : undefined;
}

/** ABCDEFGHJKLMNPQR -> ABCD-EFGH-JKLM-NPQR, as printed. */
export function groupedCode(code: string): string {
  return code.match(/.{1,4}/g)!.join("-");
}
