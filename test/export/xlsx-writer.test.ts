// XLSX: written with exceljs, then opened again as a user's Excel would: sheets, labels, typed cells,
// number formats, bold totals, frozen header.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/export/report-document.js';
import { uniqueSheetName } from '../../src/export/sheet-names.js';
import { writeXlsx } from '../../src/export/xlsx-writer.js';
import { tempDir } from '../helpers.js';
import { sampleReport } from './fixture.js';

async function roundTrip(doc: ReportDocument): Promise<ExcelJS.Workbook> {
  const t = tempDir();
  cleanup = t.cleanup;
  const file = join(t.dir, 'report.xlsx');
  await writeXlsx(doc, file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

let cleanup = () => {};
afterEach(() => cleanup());

/** Column A..B of every non-empty row of a sheet, as text. */
function sheetText(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((row) =>
    out.push([1, 2].map((i) => (row.getCell(i).value === null ? '' : String(row.getCell(i).value)))),
  );
  return out;
}

describe('xlsx writer', () => {
  it('writes a Report sheet, then one sheet per table with typed, formatted cells', async () => {
    const wb = await roundTrip(sampleReport());
    // 'Reasons: top/all [2024]' loses : / [ ] and is cut to 31 characters
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Report', 'Reasons top all 2024']);

    const report = sheetText(wb.getWorksheet('Report')!);
    expect(report[0]).toEqual(['Churn reasons', '']);
    expect(report).toContainEqual(['Why customers left, 2024', '']);
    expect(report).toContainEqual(['from', '2024-01']);
    expect(report).toContainEqual(['workspace', 'retain.duckdb']);
    expect(report).toContainEqual(['created', '2025-02-01T09:30:00Z']);
    expect(report).toContainEqual(['Reasons: top/all [2024]', 'sheet "Reasons top all 2024"']);
    expect(report).toContainEqual(['charts', 'see the PDF']);
    expect(report).toContainEqual(['Churn by tenure', 'Tenure at the churn date.']);
    expect(wb.getWorksheet('Report')!.getCell('A1').font?.bold).toBe(true);

    const ws = wb.getWorksheet('Reasons top all 2024')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = ws.getRow(1);
    expect([1, 2, 3, 4, 5].map((i) => header.getCell(i).value)).toEqual([
      'Reason',
      'Customers',
      'Share',
      'Lost revenue',
      'First seen',
    ]);
    expect(header.getCell(1).font?.bold).toBe(true);

    const first = ws.getRow(2);
    expect(first.getCell(1).value).toBe('价格');
    expect(first.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(2).value).toBe(1234);
    expect(first.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(2).numFmt).toBe('#,##0');
    expect(first.getCell(3).value).toBe(0.4567);
    expect(first.getCell(3).numFmt).toBe('0.0%');
    expect(first.getCell(4).value).toBe(98765.4321);
    expect(first.getCell(4).numFmt).toBe('#,##0.00');
    expect(first.getCell(5).type).toBe(ExcelJS.ValueType.Date);
    expect((first.getCell(5).value as Date).toISOString()).toBe('2024-03-05T00:00:00.000Z');
    expect(first.getCell(5).numFmt).toBe('yyyy-mm-dd');

    const second = ws.getRow(3);
    expect(second.getCell(1).value).toBe('Service, "slow"');
    expect(second.getCell(5).value).toBeNull();
    expect(second.getCell(5).type).toBe(ExcelJS.ValueType.Null);
    expect(ws.getRow(4).getCell(4).value).toBeNull();

    const totals = ws.getRow(5);
    expect(totals.getCell(1).value).toBe('Total');
    expect(totals.getCell(2).value).toBe(1297);
    expect(totals.getCell(1).font?.bold).toBe(true);
    expect(totals.getCell(4).font?.bold).toBe(true);
    expect(first.getCell(1).font?.bold).toBeFalsy();
    expect(ws.rowCount).toBe(5);

    // widths fitted: the money column holds "100,265.43" and the header "Lost revenue"
    expect(ws.getColumn(4).width).toBe(14);
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual('Service, "slow"'.length);
  });

  it('writes a timestamp as a date-time cell and labels in date columns of totals as text', async () => {
    const wb = await roundTrip({
      ...sampleReport(),
      sections: [
        {
          heading: 'Events',
          table: {
            columns: [{ key: 'at', label: 'At', type: 'date' }],
            rows: [{ at: '2025-01-31T12:34:00Z' }, { at: '2025-01-31 08:00' }],
            totals: { at: 'Total' },
          },
        },
      ],
    });
    const ws = wb.getWorksheet('Events')!;
    expect((ws.getCell('A2').value as Date).toISOString()).toBe('2025-01-31T12:34:00.000Z');
    expect(ws.getCell('A2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect((ws.getCell('A3').value as Date).toISOString()).toBe('2025-01-31T08:00:00.000Z');
    expect(ws.getCell('A4').value).toBe('Total');
    // no chart in this report: no pointer to the PDF
    expect(sheetText(wb.getWorksheet('Report')!).flat()).not.toContain('see the PDF');
  });
});

describe('sheet names', () => {
  it('are cleaned, cut to 31 characters and unique ignoring case', () => {
    const taken = new Set(['report']);
    expect(uniqueSheetName('Report', taken, 'T1')).toBe('Report (2)');
    expect(uniqueSheetName('a*b?c', taken, 'T2')).toBe('a b c');
    expect(uniqueSheetName('A B C', taken, 'T3')).toBe('A B C (2)');
    const long = 'x'.repeat(40);
    expect(uniqueSheetName(long, taken, 'T4')).toBe('x'.repeat(31));
    expect(uniqueSheetName(long, taken, 'T5')).toBe(`${'x'.repeat(27)} (2)`);
    expect(uniqueSheetName("'[]'", taken, 'Table 6')).toBe('Table 6');
    expect(uniqueSheetName('流失原因', taken, 'T7')).toBe('流失原因');
  });
});
