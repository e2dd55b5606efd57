/// <reference types="pdfkit" />
/**
 * The state the PDF writer's parts share: the document, the fonts, the content box of an A4 page and the
 * cursor. We place every block ourselves (no PDFKit text flow across pages) so that a page break happens
 * where we decide: never inside a table row, always with the table header repeated.
 */
import { helveticaCanDraw, toHelvetica, type PdfFontChoice } from './pdf-fonts.js';

/** Points; A4 is 595.28 x 841.89. The bottom margin leaves room for the footer. */
export const PAGE_MARGIN = { top: 48, left: 48, right: 48, bottom: 60 } as const;

const REGULAR = 'retain-regular';
const BOLD = 'retain-bold';

/** Picks a font per text: Helvetica where it can draw the text, else the embedded font, else '?' marks. */
export class PdfFonts {
  private readonly hasBold: boolean;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    readonly choice: PdfFontChoice | null,
  ) {
    if (choice) {
      doc.registerFont(REGULAR, choice.regular.data, choice.regular.postscriptName);
      if (choice.bold) doc.registerFont(BOLD, choice.bold.data, choice.bold.postscriptName);
    }
    this.hasBold = Boolean(choice?.bold);
  }

  /** True when the embedded font draws this text. */
  embeddedFor(text: string): boolean {
    return this.choice !== null && (this.choice.forAll || !helveticaCanDraw(text));
  }

  /** The registered font name for text drawn with the embedded font or with Helvetica. */
  name(embedded: boolean, bold: boolean): string {
    if (embedded) return bold && this.hasBold ? BOLD : REGULAR;
    return bold ? 'Helvetica-Bold' : 'Helvetica';
  }

  /** Select the font (and size) for a text; returns the text to draw. */
  use(text: string, size: number, bold = false): string {
    const embedded = this.embeddedFor(text);
    this.doc.font(this.name(embedded, bold)).fontSize(size);
    return embedded ? text : toHelvetica(text);
  }

  width(text: string, size: number, bold = false): number {
    return this.doc.widthOfString(this.use(text, size, bold));
  }
}

export interface PdfContext {
  readonly doc: PDFKit.PDFDocument;
  readonly fonts: PdfFonts;
  readonly left: number;
  readonly width: number;
  readonly top: number;
  readonly bottom: number;
  /** Where the next block starts. */
  y: number;
}

export function createContext(doc: PDFKit.PDFDocument, choice: PdfFontChoice | null): PdfContext {
  return {
    doc,
    fonts: new PdfFonts(doc, choice),
    left: PAGE_MARGIN.left,
    width: doc.page.width - PAGE_MARGIN.left - PAGE_MARGIN.right,
    top: PAGE_MARGIN.top,
    bottom: doc.page.height - PAGE_MARGIN.bottom,
    y: PAGE_MARGIN.top,
  };
}

export function newPage(ctx: PdfContext): void {
  ctx.doc.addPage();
  ctx.y = ctx.top;
}

/** Start a new page unless `height` still fits below the cursor (a block taller than a page just starts one). */
export function ensureRoom(ctx: PdfContext, height: number): void {
  if (ctx.y + height > ctx.bottom && ctx.y > ctx.top) newPage(ctx);
}

/** The text cut with '…' to fit `width` at `size`. */
export function fitText(ctx: PdfContext, text: string, width: number, size: number, bold = false): string {
  // a little slack: a column sized to its widest text must not cut that text over rounding
  if (ctx.fonts.width(text, size, bold) <= width + 0.01) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.fonts.width(chars.slice(0, mid).join('') + '…', size, bold) <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}

/** One line of text at (x, y), no wrapping; `align: 'right'` puts its end at x + width. */
export function drawLine(
  ctx: PdfContext,
  text: string,
  x: number,
  y: number,
  opts: { size: number; bold?: boolean; width?: number; align?: 'left' | 'right'; color?: string },
): void {
  const shown = opts.width === undefined ? text : fitText(ctx, text, opts.width, opts.size, opts.bold);
  const drawn = ctx.fonts.use(shown, opts.size, opts.bold);
  const dx =
    opts.align === 'right' && opts.width !== undefined ? opts.width - ctx.doc.widthOfString(drawn) : 0;
  ctx.doc.fillColor(opts.color ?? '#000000').text(drawn, x + dx, y, { lineBreak: false });
}

/** A wrapped paragraph at the cursor, moving to a new page first if it does not fit; advances the cursor. */
export function drawParagraph(
  ctx: PdfContext,
  text: string,
  opts: { size: number; bold?: boolean; color?: string; indent?: number; gapAfter?: number },
): void {
  const x = ctx.left + (opts.indent ?? 0);
  const width = ctx.width - (opts.indent ?? 0);
  const drawn = ctx.fonts.use(text, opts.size, opts.bold);
  const height = ctx.doc.heightOfString(drawn, { width });
  ensureRoom(ctx, height);
  ctx.fonts.use(text, opts.size, opts.bold);
  ctx.doc.fillColor(opts.color ?? '#000000').text(drawn, x, ctx.y, { width });
  // a paragraph longer than a page flows on by itself: continue below wherever it ended
  ctx.y = ctx.doc.y + (opts.gapAfter ?? 0);
}
