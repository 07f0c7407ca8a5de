import PDFDocument from "pdfkit";
import { guideDate } from "../format.ts";
import { groupedCode } from "./codes.ts";
import { pdfText } from "./pdf-text.ts";
import type { Certificate } from "./service.ts";

const NHS_BLUE = "#005eb8";
const DARK = "#212b32";
const GREY = "#4c6272";

/**
 * The certificate as an A4 landscape PDF, in pdfkit's built-in Helvetica (nothing to fetch or
 * embed): who, what, when, until when, and the code with the page that checks it. Built afresh on
 * each download; nothing is stored but the code.
 */
export function certificatePdf(certificate: Certificate, verifyUrl: string, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    info: {
      Title: `Certificate: ${certificate.title}`,
      Author: certificate.organisation,
      Subject: `${certificate.firstName} ${certificate.lastName}, ${certificate.title}`,
      CreationDate: now,
      ModDate: now,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  let substituted = false;
  const printable = (text: string) => {
    const result = pdfText(text);
    substituted ||= result.changed;
    return result.text;
  };
  const { width, height } = doc.page;
  const left = 80;
  const inner = width - 2 * left;
  // A line of centred text, made smaller until it takes at most maxLines lines (a long name, a
  // long certification), so that nothing runs into the dates and the code below.
  const line = (text: string, font: string, size: number, color: string, gap = 6, maxLines = 2) => {
    const shown = printable(text);
    doc.font(font).fontSize(size);
    while (size > 9 && doc.heightOfString(shown, { width: inner, align: "center" }) > doc.currentLineHeight(true) * maxLines + 1) doc.fontSize(--size);
    doc.fillColor(color).text(shown, left, doc.y, { width: inner, align: "center" });
    doc.moveDown(gap / size);
  };

  doc.lineWidth(6).strokeColor(NHS_BLUE).rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(1).rect(36, 36, width - 72, height - 72).stroke();

  doc.y = 64;
  line(certificate.organisation, "Helvetica-Bold", 16, NHS_BLUE, 18);
  line(certificate.kind === "certification" ? "Certificate of Completion" : certificate.outcome === "passed" ? "Certificate of Achievement" : "Certificate of Completion", "Helvetica-Bold", 32, DARK, 18);
  line("This is to certify that", "Helvetica", 14, GREY, 8);
  line(`${certificate.firstName} ${certificate.lastName}`, "Helvetica-Bold", 28, DARK, 4, 1);
  line(`Employee Number ${certificate.employeeNumber}`, "Helvetica", 13, GREY, 16);
  line(certificate.kind === "certification" ? "has completed the learning certification" : `has ${certificate.outcome} the course`, "Helvetica", 14, GREY, 8);
  line(certificate.title, "Helvetica-Bold", 20, DARK, 6);
  if (certificate.detail && certificate.detail !== certificate.title) line(certificate.detail, "Helvetica", 13, DARK, 2, 1);
  if (certificate.level) line(`Competence Level ${certificate.level}`, "Helvetica", 13, DARK, 6, 1);

  // When, and until when: two columns.
  const columnsY = Math.max(doc.y + 16, 360);
  const column = (x: number, label: string, value: string) => {
    doc.font("Helvetica").fontSize(11).fillColor(GREY).text(label, x, columnsY, { width: inner / 2, align: "center" });
    doc.font("Helvetica-Bold").fontSize(16).fillColor(DARK).text(value, x, columnsY + 16, { width: inner / 2, align: "center" });
  };
  column(left, "Completed on", guideDate(certificate.completedOn));
  column(left + inner / 2, "Expiry date", certificate.expiresOn === null ? "Does not expire" : guideDate(certificate.expiresOn));

  // The code, and where to check it.
  doc.moveTo(left, 452).lineTo(width - left, 452).lineWidth(0.5).strokeColor("#d8dde0").stroke();
  doc.font("Helvetica").fontSize(11).fillColor(GREY).text("Verification code", left, 466, { width: inner, align: "center" });
  doc.font("Courier-Bold").fontSize(18).fillColor(DARK).text(groupedCode(certificate.code), left, 482, { width: inner, align: "center", characterSpacing: 1 });
  doc.font("Helvetica").fontSize(10).fillColor(GREY).text("Check that this certificate is genuine, and still valid, at", left, 508, { width: inner, align: "center" });
  doc.font("Helvetica").fontSize(10).fillColor(NHS_BLUE).text(verifyUrl, left, 522, { width: inner, align: "center", link: verifyUrl, underline: true });
  if (substituted) {
    doc.font("Helvetica-Oblique").fontSize(8).fillColor(GREY).text("Some letters cannot be printed in this document's font and are spelt in plain Latin letters; the verification page shows the name as recorded.", left, 540, { width: inner, align: "center" });
  }
  doc.end();
  return finished;
}
