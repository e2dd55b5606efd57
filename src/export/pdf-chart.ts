/**
 * A chart (an SVG document from src/charts) in the PDF as vectors, through svg-to-pdfkit: sharp at any zoom
 * and small. It is scaled to the content width (and down to one page's height if taller).
 */
import SVGtoPDF from 'svg-to-pdfkit';
import { ensureRoom, type PdfContext } from './pdf-context.js';
import { helveticaCanDraw, toHelvetica } from './pdf-fonts.js';

const ROOT_RE = /<svg\b[^>]*>/;

/** The width and height of an SVG document: its width/height attributes, else its viewBox. */
export function svgSize(svg: string): { width: number; height: number } | null {
  const root = ROOT_RE.exec(svg)?.[0];
  if (!root) return null;
  const attr = (name: string) =>
    /^\d+(\.\d+)?(px)?$/.test(attrOf(root, name) ?? '') ? parseFloat(attrOf(root, name)!) : NaN;
  let width = attr('width');
  let height = attr('height');
  if (!(width > 0 && height > 0)) {
    const box = attrOf(root, 'viewBox')
      ?.trim()
      .split(/[\s,]+/)
      .map(Number);
    if (!box || box.length !== 4) return null;
    [width, height] = [box[2]!, box[3]!];
  }
  return width > 0 && height > 0 ? { width, height } : null;
}

function attrOf(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** The text between tags (what the chart writes); attributes are ECharts' own ASCII. */
function svgText(svg: string): string {
  return [...svg.matchAll(/>([^<]+)</g)].map((m) => m[1]).join(' ');
}

/** Draw the chart at the cursor; returns false (drawing nothing) when the SVG has no readable size. */
export function drawChart(ctx: PdfContext, svg: string): boolean {
  const size = svgSize(svg);
  if (!size) return false;
  let width = ctx.width;
  let height = (width * size.height) / size.width;
  const pageRoom = ctx.bottom - ctx.top;
  if (height > pageRoom) [width, height] = [(pageRoom * size.width) / size.height, pageRoom];
  ensureRoom(ctx, height);
  // one font for the whole chart: the embedded one if the chart has text Helvetica cannot draw
  const embedded = ctx.fonts.embeddedFor(svgText(svg));
  const drawable =
    embedded || helveticaCanDraw(svgText(svg))
      ? svg
      : svg.replace(/>([^<]+)</g, (_, t: string) => `>${toHelvetica(t)}<`);
  // the viewport is given in points; dropping the root's own width/height lets the viewBox scale into it
  const fitted = drawable.replace(ROOT_RE, (root) => root.replace(/\s(width|height)="[^"]*"/g, ''));
  SVGtoPDF(ctx.doc, fitted, ctx.left, ctx.y, {
    width,
    height,
    assumePt: true,
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family, bold) => ctx.fonts.name(embedded, bold),
    warningCallback: () => {},
  });
  ctx.y += height;
  return true;
}
