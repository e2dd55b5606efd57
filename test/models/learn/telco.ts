/**
 * The IBM Telco churn data and its fixed 70/30 stratified test split (test/fixtures/telco-test-ids.txt),
 * read with node fs. The file has no quoted fields (checked below), so a plain comma split is exact.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { takeLabelledRows, type LabelledTable } from '../../../src/models/learn/feature-table.js';
import { tableFromRecords } from '../../../src/models/learn/table-from-records.js';

const root = (relative: string): string => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

export interface TelcoSplit {
  readonly all: LabelledTable;
  readonly ids: readonly string[];
  readonly train: LabelledTable;
  readonly test: LabelledTable;
  readonly testIds: readonly string[];
}

let cached: TelcoSplit | undefined;

export function loadTelco(): TelcoSplit {
  if (cached) return cached;
  const text = readFileSync(root('datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv'), 'utf8');
  if (text.includes('"'))
    throw new Error('the Telco file has quoted fields: a plain comma split is not enough');
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const { ids, table } = tableFromRecords(header, rows, {
    idColumn: 'customerID',
    labelColumn: 'Churn',
    positive: 'Yes',
  });
  const testSet = new Set(
    readFileSync(root('test/fixtures/telco-test-ids.txt'), 'utf8').trim().split(/\r?\n/).slice(1),
  );
  const trainRows: number[] = [];
  const testRows: number[] = [];
  ids.forEach((id, i) => (testSet.has(id) ? testRows : trainRows).push(i));
  if (testRows.length !== testSet.size) throw new Error('a test id is not in the Telco file');
  cached = {
    all: table,
    ids,
    train: takeLabelledRows(table, trainRows),
    test: takeLabelledRows(table, testRows),
    testIds: testRows.map((i) => ids[i]!),
  };
  return cached;
}
