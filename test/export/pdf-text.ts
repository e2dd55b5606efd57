// Read a PDF back with pdf.js (the engine of Firefox's viewer): its pages and the text a reader can select.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const STANDARD_FONTS = join(
  dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
);

/** pdf.js's own copy of Liberation Sans: a real TTF that every install of the dev dependencies has. */
export const LIBERATION_SANS = join(STANDARD_FONTS, 'LiberationSans-Regular.ttf');

/** The text of every page, items joined by spaces. */
export async function pdfPages(data: Buffer): Promise<string[]> {
  const pdf = await getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    useSystemFonts: false,
    standardFontDataUrl: `${STANDARD_FONTS}/`,
  }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const content = await (await pdf.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/** The names of the fonts a PDF uses (`/BaseFont /ABCDEF+NotoSansCJKsc-Regular`), from its objects. */
export function pdfFontNames(data: Buffer): string[] {
  return [
    ...new Set([...data.toString('latin1').matchAll(/\/BaseFont\s*\/([^\s/<>[\]]+)/g)].map((m) => m[1]!)),
  ];
}
