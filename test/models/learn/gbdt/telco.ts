/**
 * The IBM Telco churn data as a LabelledTable, split by the fixed test ids (test/fixtures). Plain comma
 * split (the file has no quoted fields); a column is numeric when every non-blank value parses as a
 * number (blank = missing, as in the 11 blank TotalCharges), otherwise categorical with sorted levels.
 */
import { readFileSync } from 'node:fs';
import type { FeatureColumn, FeatureTable } from '../../../../src/models/learn/feature-table.js';

export interface TelcoSplit {
  readonly all: FeatureTable;
  readonly labels: Uint8Array;
  readonly trainRows: number[];
  readonly testRows: number[];
}

const root = new URL('../../../../', import.meta.url);

export function readTelco(): TelcoSplit {
  const lines = readFileSync(new URL('datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv', root), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = lines[0]!.split(',');
  const body = lines.slice(1).map((l) => l.split(','));
  const idCol = header.indexOf('customerID');
  const labelCol = header.indexOf('Churn');
  const testIds = new Set(
    readFileSync(new URL('test/fixtures/telco-test-ids.txt', root), 'utf8').trim().split(/\r?\n/).slice(1),
  );
  const columns: FeatureColumn[] = [];
  header.forEach((name, j) => {
    if (j === idCol || j === labelCol) return;
    const raw = body.map((r) => r[j]!.trim());
    const numeric = raw.every((v) => v === '' || Number.isFinite(Number(v)));
    if (numeric) {
      columns.push({
        kind: 'numeric',
        name,
        values: Float64Array.from(raw, (v) => (v === '' ? NaN : Number(v))),
      });
    } else {
      const levels = [...new Set(raw.filter((v) => v !== ''))].sort();
      const code = new Map(levels.map((v, i) => [v, i]));
      columns.push({
        kind: 'categorical',
        name,
        levels,
        codes: Int32Array.from(raw, (v) => (v === '' ? -1 : code.get(v)!)),
      });
    }
  });
  const labels = Uint8Array.from(body, (r) => (r[labelCol] === 'Yes' ? 1 : 0));
  const trainRows: number[] = [];
  const testRows: number[] = [];
  body.forEach((r, i) => (testIds.has(r[idCol]!) ? testRows : trainRows).push(i));
  return { all: { rows: body.length, columns }, labels, trainRows, testRows };
}
