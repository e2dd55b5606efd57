// CSV: raw values (full precision, '.' decimal), RFC 4180 quoting, CRLF, '# heading' lines between tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportToCsv, tableToCsv, writeCsv } from '../../src/export/csv-writer.js';
import type { ReportDocument } from '../../src/export/report-document.js';
import { tempDir } from '../helpers.js';
import { reasonsTable, sampleReport } from './fixture.js';

const EXPECTED_TABLE = [
  'Reason,Customers,Share,Lost revenue,First seen',
  '价格,1234,0.4567,98765.4321,2024-03-05',
  '"Service, ""slow""",56,0.125,1500,',
  'Moved away,7,0.0005,,2024-12-31',
  'Total,1297,0.5822,100265.4321,',
  '',
].join('\r\n');

describe('csv writer', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('writes a table with a header of labels, raw numbers, empty nulls and quoted fields', () => {
    expect(tableToCsv(reasonsTable)).toBe(EXPECTED_TABLE);
  });

  it('writes a report with one table as a plain CSV (charts and notes left out)', () => {
    expect(reportToCsv(sampleReport())).toBe(EXPECTED_TABLE);
  });

  it('separates several tables by a blank line and a # heading line', () => {
    const doc: ReportDocument = {
      ...sampleReport(),
      sections: [
        { heading: 'Reasons', table: reasonsTable },
        { heading: 'Only a chart', chartSvg: '<svg/>' },
        {
          heading: 'Line\nbreak',
          table: {
            columns: [{ key: 'x', label: 'x, y', type: 'number' }],
            rows: [{ x: 0.1 + 0.2 }, { x: -1e-7 }],
          },
        },
      ],
    };
    expect(reportToCsv(doc)).toBe(
      ['# Reasons', EXPECTED_TABLE + '', '# Line break', '"x, y"', '0.30000000000000004', '-1e-7', ''].join(
        '\r\n',
      ),
    );
  });

  it('writes a UTF-8 file, with a BOM only when asked', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const plain = join(t.dir, 'plain.csv');
    const bom = join(t.dir, 'bom.csv');
    await writeCsv(sampleReport(), plain);
    await writeCsv(sampleReport(), bom, { bom: true });
    const plainBytes = readFileSync(plain);
    const bomBytes = readFileSync(bom);
    expect(plainBytes.toString('utf8')).toBe(EXPECTED_TABLE);
    expect([...bomBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bomBytes.subarray(3).equals(plainBytes)).toBe(true);
    // 价格 as UTF-8 bytes
    expect(plainBytes.includes(Buffer.from([0xe4, 0xbb, 0xb7, 0xe6, 0xa0, 0xbc]))).toBe(true);
  });

  it('rejects a malformed cell, naming where it is', () => {
    const doc: ReportDocument = {
      ...sampleReport(),
      sections: [{ heading: 'Bad', table: { ...reasonsTable, rows: [{ reason: 'x', customers: 'many' }] } }],
    };
    expect(() => reportToCsv(doc)).toThrow(
      /section 1 \("Bad"\), row 1, column "customers": expected an integer/,
    );
    const badDate: ReportDocument = {
      ...sampleReport(),
      sections: [{ heading: 'Bad', table: { ...reasonsTable, rows: [{ first: '2024-02-30' }] } }],
    };
    expect(() => reportToCsv(badDate)).toThrow(/column "first": expected an ISO date/);
  });
});
