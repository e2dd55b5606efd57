/**
 * A report as a printable A4 PDF (PDFKit): the title, subtitle and parameters, then per section its heading,
 * chart (vector, page width), table (paged, header repeated) and notes; every page's footer has the report
 * title, the created time and "Page n of N".
 *
 * Fonts: see pdf-fonts.ts. Helvetica for Latin text; a CJK font found on the machine (or named by
 * `RETAIN_PDF_FONT`) for Chinese; without one, non-Latin characters print as '?' and nothing fails.
 */
import { writeFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { drawChart } from './pdf-chart.js';
import {
  createContext,
  drawLine,
  drawParagraph,
  ensureRoom,
  PAGE_MARGIN,
  type PdfContext,
} from './pdf-context.js';
import { findPdfFont, type PdfFontChoice } from './pdf-fonts.js';
import { drawTable } from './pdf-table.js';
import { validateReport } from './report-cells.js';
import type { ReportDocument, ReportSection } from './report-document.js';

export interface PdfOptions {
  /**
   * The font to embed; default: `findPdfFont()` (RETAIN_PDF_FONT, else a system CJK font). `null`: Helvetica
   * only (tests use it to check the fallback on a machine that has a CJK font).
   */
  readonly font?: PdfFontChoice | null;
}

const GREY = '#555555';

/** `2025-01-31T12:34:56Z` as `2025-01-31 12:34 UTC`; text that is no timestamp as it is. */
export function formatCreated(createdAt: string): string {
  const d = new Date(createdAt);
  if (Number.isNaN(d.getTime())) return createdAt;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function drawHead(ctx: PdfContext, doc: ReportDocument): void {
  drawParagraph(ctx, doc.title, { size: 18, bold: true, gapAfter: 4 });
  if (doc.subtitle) drawParagraph(ctx, doc.subtitle, { size: 11, color: GREY, gapAfter: 4 });
  ctx.y += 6;
  const size = 9;
  const nameWidth = Math.min(
    160,
    Math.max(0, ...doc.parameters.map(([k]) => ctx.fonts.width(k, size, true))) + 12,
  );
  for (const [name, value] of doc.parameters) {
    ensureRoom(ctx, size * 1.4);
    drawLine(ctx, name, ctx.left, ctx.y, { size, bold: true, width: nameWidth - 8 });
    drawParagraph(ctx, value, { size, indent: nameWidth, gapAfter: 1 });
  }
  ctx.y += 6;
  ctx.doc
    .moveTo(ctx.left, ctx.y)
    .lineTo(ctx.left + ctx.width, ctx.y)
    .lineWidth(0.5)
    .stroke('#999999');
  ctx.y += 12;
}

function drawSection(ctx: PdfContext, section: ReportSection): void {
  // keep a heading with the start of what follows it
  ensureRoom(ctx, 80);
  drawParagraph(ctx, section.heading, { size: 13, bold: true, gapAfter: 6 });
  if (section.chartSvg && drawChart(ctx, section.chartSvg)) ctx.y += 8;
  if (section.table) {
    drawTable(ctx, section.table);
    ctx.y += 8;
  }
  for (const note of section.notes ?? []) drawParagraph(ctx, note, { size: 9, color: GREY, gapAfter: 3 });
  ctx.y += 14;
}

function drawFooters(ctx: PdfContext, doc: ReportDocument): void {
  const range = ctx.doc.bufferedPageRange();
  const created = `created ${formatCreated(doc.createdAt)}`;
  for (let i = 0; i < range.count; i++) {
    ctx.doc.switchToPage(range.start + i);
    // the footer sits in the bottom margin: PDFKit would otherwise start a new page for text there
    ctx.doc.page.margins.bottom = 0;
    const y = ctx.doc.page.height - PAGE_MARGIN.bottom + 24;
    const pageText = `Page ${i + 1} of ${range.count}`;
    const pageWidth = ctx.fonts.width(pageText, 8) + 4;
    drawLine(ctx, `${doc.title} · ${created}`, ctx.left, y, {
      size: 8,
      color: GREY,
      width: ctx.width - pageWidth - 12,
    });
    drawLine(ctx, pageText, ctx.left, y, { size: 8, color: GREY, width: ctx.width, align: 'right' });
  }
}

/** The report as the bytes of a PDF file. */
export async function reportToPdf(doc: ReportDocument, options: PdfOptions = {}): Promise<Buffer> {
  validateReport(doc);
  const font = options.font === undefined ? findPdfFont() : options.font;
  const created = new Date(doc.createdAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: PAGE_MARGIN,
    bufferPages: true,
    displayTitle: true,
    info: {
      Title: doc.title,
      Creator: 'Retain',
      ...(Number.isNaN(created.getTime()) ? {} : { CreationDate: created }),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const ctx = createContext(pdf, font);
  drawHead(ctx, doc);
  for (const section of doc.sections) drawSection(ctx, section);
  drawFooters(ctx, doc);
  pdf.end();
  return done;
}

/** Write `reportToPdf` to a file. */
export async function writePdf(doc: ReportDocument, file: string, options: PdfOptions = {}): Promise<void> {
  await writeFile(file, await reportToPdf(doc, options));
}
