// PDF: written with PDFKit, read back with pdf.js: pages, the text people see (title, headings, formatted
// numbers, footer), the chart's own text (only there if the chart was drawn), Chinese with a CJK font and
// '?' without one, the header repeated on every page of a long table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPdfFont, PDF_FONT_ENV, toHelvetica } from '../../src/export/pdf-fonts.js';
import { fitColumnWidths } from '../../src/export/pdf-table.js';
import { reportToPdf, writePdf } from '../../src/export/pdf-writer.js';
import { UserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers.js';
import { CHART_TITLE, longReport, sampleReport } from './fixture.js';
import { LIBERATION_SANS, pdfFontNames, pdfPages } from './pdf-text.js';

let cleanup = () => {};
afterEach(() => cleanup());

/** Whitespace-insensitive: pdf.js splits and joins text runs its own way. */
const squash = (s: string) => s.replace(/\s+/g, '');

const cjkFont = findPdfFont({});
// CI installs a CJK font (.ci/run) and sets RETAIN_CI, so there the Chinese-text test must run
if (process.env.RETAIN_CI && cjkFont === null)
  throw new Error(
    'RETAIN_CI is set but no CJK font was found: .ci/run should have installed fonts-wqy-microhei',
  );

describe('pdf writer', () => {
  it('writes a PDF file with the title, parameters, chart, formatted table, notes and footer', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'report.pdf');
    await writePdf(sampleReport(), file, { font: null });
    const data = readFileSync(file);
    expect(data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfPages(data);
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]!);
    for (const expected of [
      'Churn reasons',
      'Why customers left, 2024',
      'workspace',
      'retain.duckdb',
      'Churn by tenure',
      'Reasons: top/all [2024]',
      'Lost revenue',
      '1,234',
      '45.7%',
      '98,765.43',
      '1,500.00',
      '0.1%',
      '2024-12-31',
      'Service, "slow"',
      '100,265.43',
      'Tenure at the churn date.',
      'Page 1 of 1',
      'created 2025-02-01 09:30 UTC',
      // drawn only by the chart
      CHART_TITLE,
      'Involuntary',
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    // Helvetica only: the Chinese label prints as '?' and no font is embedded
    expect(text).toContain('??1,234');
    expect(pdfFontNames(data).sort()).toEqual(['Helvetica', 'Helvetica-Bold']);
  });

  it('draws the chart: its text is gone when the chart is left out', async () => {
    const withChart = await pdfPages(await reportToPdf(sampleReport(), { font: null }));
    const doc = sampleReport();
    const noChart = { ...doc, sections: doc.sections.map(({ chartSvg: _, ...s }) => s) };
    const without = await pdfPages(await reportToPdf(noChart, { font: null }));
    expect(squash(without[0]!)).not.toContain(squash(CHART_TITLE));
    expect(squash(withChart[0]!)).toContain(squash(CHART_TITLE));
  });

  it.skipIf(cjkFont === null)(
    'embeds a CJK font from the system: the Chinese label is real text',
    async () => {
      const data = await reportToPdf(sampleReport());
      const text = squash((await pdfPages(data))[0]!);
      expect(text).toContain('价格1,234');
      // Latin text stays Helvetica; the CJK font is embedded as a subset
      const fonts = pdfFontNames(data);
      expect(fonts).toContain('Helvetica');
      expect(fonts.some((f) => /^[A-Z]{6}\+/.test(f))).toBe(true);
    },
  );

  it('uses the font RETAIN_PDF_FONT names for all text', async () => {
    const font = findPdfFont({ [PDF_FONT_ENV]: LIBERATION_SANS });
    expect(font?.forAll).toBe(true);
    const data = await reportToPdf(sampleReport(), { font });
    expect(pdfFontNames(data)).toEqual([expect.stringMatching(/^[A-Z]{6}\+LiberationSans$/)]);
    const text = squash((await pdfPages(data))[0]!);
    expect(text).toContain('98,765.43');
    expect(text).toContain(squash(CHART_TITLE));
  });

  it('pages a long table with the header repeated and every row once, in order', async () => {
    const data = await reportToPdf(longReport(200), { font: null });
    const pages = await pdfPages(data);
    // about 48 rows fit a page, fewer on the first (title, heading)
    expect(pages).toHaveLength(5);
    const ids: string[] = [];
    pages.forEach((page, i) => {
      expect(page).toMatch(/^.*Customer\s+CLV/);
      expect(squash(page)).toContain(`Page${i + 1}of5`);
      ids.push(...(page.match(/C\d{4}/g) ?? []));
    });
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `C${String(i + 1).padStart(4, '0')}`));
    expect(squash(pages[4]!)).toContain('200,100.00');
  });

  it('fits a table wider than the page: texts give way before figures', () => {
    expect(fitColumnWidths([50, 60], 500)).toEqual([50, 60]);
    // all text: narrow columns stay whole, the wide ones share the rest
    expect(fitColumnWidths([50, 400, 300], 450)).toEqual([50, 200, 200]);
    // a text column and two figure columns whose figures need 90 and 100 (their labels want more): the
    // figures stay whole, the text keeps a few letters, the rest goes to the narrowest wants first
    expect(fitColumnWidths([300, 120, 100], 400, [0, 90, 100])).toEqual([180, 120, 100]);
    expect(fitColumnWidths([300, 150, 150], 308, [0, 130, 120])).toEqual([38, 140, 130]);
    // even the figures do not fit: everything shares the page
    expect(fitColumnWidths([300, 300, 100], 240, [0, 300, 100])).toEqual([80, 80, 80]);
  });
});

describe('pdf fonts', () => {
  it('finds none on an empty search path and then falls back to Helvetica with ? marks', () => {
    expect(findPdfFont({}, [])).toBeNull();
    expect(findPdfFont({}, ['/nonexistent/font.ttc'])).toBeNull();
    expect(toHelvetica('价格 – café €5')).toBe('?? – café €5');
  });

  it('skips a font without Chinese glyphs in the system search', () => {
    expect(findPdfFont({}, [LIBERATION_SANS])).toBeNull();
  });

  it('rejects a RETAIN_PDF_FONT that is missing or no font, naming it', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const notFont = join(t.dir, 'not-a-font.ttf');
    writeFileSync(notFont, 'hello');
    for (const path of [join(t.dir, 'missing.ttf'), notFont]) {
      expect(() => findPdfFont({ [PDF_FONT_ENV]: path })).toThrow(UserError);
      expect(() => findPdfFont({ [PDF_FONT_ENV]: path })).toThrow(path);
    }
    expect(existsSync(LIBERATION_SANS)).toBe(true);
  });
});
