// writeReport: the format by name or by extension, real files of each format, user errors naming the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../src/export/report-document.js';
import { formatFromFile, writeReport } from '../../src/export/write-report.js';
import { UserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers.js';
import { sampleReport } from './fixture.js';

let cleanup = () => {};
afterEach(() => cleanup());

describe('writeReport', () => {
  it('tells the format from the extension, ignoring case', () => {
    expect(formatFromFile('out/churn.csv')).toBe('csv');
    expect(formatFromFile('churn.XLSX')).toBe('xlsx');
    expect(formatFromFile('a.b/churn.report.pdf')).toBe('pdf');
    expect(() => formatFromFile('churn.docx')).toThrow(UserError);
    expect(() => formatFromFile('churn.docx')).toThrow(/churn\.docx: .*"\.docx".*\.csv, \.xlsx, \.pdf/);
    expect(() => formatFromFile('churn')).toThrow(/churn: .*without extension/);
  });

  it('writes each format, recognisable by its first bytes', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const magic = { csv: 'Reason,', xlsx: 'PK', pdf: '%PDF-' } as const;
    for (const format of REPORT_FORMATS) {
      const file = join(t.dir, `report.${format}`);
      await writeReport(sampleReport(), formatFromFile(file), file);
      expect(readFileSync(file).toString('latin1')).toMatch(new RegExp(`^${magic[format]}`));
    }
    const bom = join(t.dir, 'bom.csv');
    await writeReport(sampleReport(), 'csv', bom, { bom: true });
    expect(readFileSync(bom).toString('utf8').startsWith('\uFEFFReason,')).toBe(true);
  });

  it('rejects an unknown format and an unwritable file with a UserError naming the file', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    await expect(writeReport(sampleReport(), 'docx', join(t.dir, 'r.docx'))).rejects.toThrow(
      /r\.docx: unknown report format "docx"; use one of csv, xlsx, pdf/,
    );
    const missing = join(t.dir, 'no-such-folder', 'r.pdf');
    const err = await writeReport(sampleReport(), 'pdf', missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toContain('ENOENT');
  });
});
