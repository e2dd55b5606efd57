/**
 * A report table in the PDF: columns sized to their contents, numbers right-aligned and formatted, the
 * header repeated on every page the table runs onto, the totals row bold below a rule. A table wider than
 * the page first gets a smaller font, then its header labels wrap (up to three lines) and its long texts
 * are cut with '…'; figures are cut only when they alone do not fit (a cut figure is a wrong figure).
 */
import { drawLine, ensureRoom, newPage, type PdfContext } from './pdf-context.js';
import { cellOf, formatCell, isNumericType } from './report-cells.js';
import type { ReportCell, ReportTable } from './report-document.js';

const BASE_SIZE = 8.5;
const MIN_SIZE = 6.5;
const PAD = 4;
const HEADER_LINES = 3;
/** Rows measured to size columns: enough to be right, bounded for 100,000-row tables. */
const WIDTH_SAMPLE = 1000;
/** Narrowest a text column gets while figures are kept whole (a few letters and '…'). */
const MIN_TEXT_WIDTH = 28;

const rowHeight = (size: number) => Math.round(size * 1.75 * 10) / 10;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Give out `available` among columns asking `demand`: each at most an equal share of what is left. */
function waterFill(demand: readonly number[], available: number): number[] {
  const out = demand.map(() => 0);
  const order = demand.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  let left = Math.max(0, available);
  order.forEach(([w, i], k) => {
    out[i] = Math.min(w, left / (order.length - k));
    left -= out[i]!;
  });
  return out;
}

/**
 * Column widths that fit `available`: the natural widths when they fit; else every column keeps its
 * `minimum` (a figure column: its widest figure; a text column: a few letters) and the rest is shared by
 * what the columns still want, narrow wants served whole first. When even the minimums do not fit, all
 * columns share the page the same way.
 */
export function fitColumnWidths(
  natural: readonly number[],
  available: number,
  minimum: readonly number[] = natural.map(() => 0),
): number[] {
  if (sum(natural) <= available) return [...natural];
  const base = natural.map((w, i) => Math.min(w, Math.max(minimum[i] ?? 0, MIN_TEXT_WIDTH)));
  if (sum(base) > available) return waterFill(natural, available);
  const extra = waterFill(
    natural.map((w, i) => w - base[i]!),
    available - sum(base),
  );
  return base.map((b, i) => b + extra[i]!);
}

export function drawTable(ctx: PdfContext, table: ReportTable): void {
  const { columns } = table;
  const { doc } = ctx;
  const text = (row: Readonly<Record<string, ReportCell>>) =>
    columns.map((c) => formatCell(cellOf(row, c), c.type));
  const sample = [...table.rows.slice(0, WIDTH_SAMPLE), ...(table.totals ? [table.totals] : [])].map(text);
  // widths at the base size, without padding; they scale with the font size
  const labelWidths = columns.map((c) => ctx.fonts.width(c.label, BASE_SIZE, true));
  const valueWidths = columns.map((_, i) =>
    Math.max(0, ...sample.map((r, k) => ctx.fonts.width(r[i]!, BASE_SIZE, k === table.rows.length))),
  );
  const naturalText = columns.map((_, i) => Math.max(labelWidths[i]!, valueWidths[i]!));
  const room = ctx.width - 2 * PAD * columns.length;
  const size =
    sum(naturalText) <= room ? BASE_SIZE : Math.max(MIN_SIZE, (BASE_SIZE * room) / sum(naturalText));
  const scaled = (w: number) => (w * size) / BASE_SIZE + 2 * PAD + 0.5;
  const widths = fitColumnWidths(
    naturalText.map(scaled),
    ctx.width,
    columns.map((c, i) => (c.type === 'text' ? 0 : scaled(valueWidths[i]!))),
  );
  const tableWidth = sum(widths);
  const height = rowHeight(size);
  const textDy = (height - size) / 2;
  const right = columns.map((c) => isNumericType(c.type));

  // header labels wrap within their column, up to HEADER_LINES lines
  const lineHeight = size * 1.2;
  const labelLines = columns.map((c, i) => {
    const drawn = ctx.fonts.use(c.label, size, true);
    return Math.ceil(
      doc.heightOfString(drawn, { width: widths[i]! - 2 * PAD, lineGap: 0 }) / lineHeight - 0.01,
    );
  });
  const headerHeight = height + lineHeight * (Math.min(HEADER_LINES, Math.max(1, ...labelLines)) - 1);

  const drawRow = (cells: readonly string[], bold: boolean) => {
    let x = ctx.left;
    cells.forEach((cell, i) => {
      const w = widths[i]!;
      drawLine(ctx, cell, x + PAD, ctx.y + textDy, {
        size,
        bold,
        width: w - 2 * PAD,
        align: right[i] ? 'right' : 'left',
      });
      x += w;
    });
    ctx.y += height;
  };
  const drawHeader = () => {
    doc.rect(ctx.left, ctx.y, tableWidth, headerHeight).fill('#eeeeee');
    let x = ctx.left;
    columns.forEach((c, i) => {
      const w = widths[i]! - 2 * PAD;
      const drawn = ctx.fonts.use(c.label, size, true);
      doc.fillColor('#000000').text(drawn, x + PAD, ctx.y + textDy, {
        width: w,
        height: headerHeight - textDy - 1,
        align: right[i] ? 'right' : 'left',
        lineGap: 0,
        ellipsis: true,
      });
      x += widths[i]!;
    });
    ctx.y += headerHeight;
    doc
      .moveTo(ctx.left, ctx.y)
      .lineTo(ctx.left + tableWidth, ctx.y)
      .lineWidth(0.6)
      .stroke('#888888');
  };
  const nextRow = (extra = 0) => {
    if (ctx.y + height + extra > ctx.bottom) {
      newPage(ctx);
      drawHeader();
    }
  };

  // keep the header with at least one row
  ensureRoom(ctx, headerHeight + height);
  drawHeader();
  table.rows.forEach((row, i) => {
    nextRow();
    if (i % 2 === 1) doc.rect(ctx.left, ctx.y, tableWidth, height).fill('#f7f7f7');
    drawRow(text(row), false);
  });
  if (table.rows.length === 0) {
    drawLine(ctx, '(no rows)', ctx.left + PAD, ctx.y + textDy, { size, color: '#666666' });
    ctx.y += height;
  }
  if (table.totals) {
    nextRow(1);
    doc
      .moveTo(ctx.left, ctx.y)
      .lineTo(ctx.left + tableWidth, ctx.y)
      .lineWidth(0.8)
      .stroke('#333333');
    drawRow(text(table.totals), true);
  }
  doc.fillColor('#000000');
}
