/**
 * Text records (a header and rows of strings, as read from a CSV file or a database export) to the
 * LabelledTable the learners train on, with the customer ids kept alongside.
 *
 * Column types are inferred from the data: a column whose non-blank values all parse as decimal numbers
 * is numeric, anything else is categorical. Blank (empty or whitespace-only) cells are missing in both
 * kinds. Pitfall: the IBM Telco file writes a missing TotalCharges as a single space, so values are
 * trimmed before they are judged; and `Number()` alone would accept '0x1A', 'Infinity' and '' (as 0),
 * so numbers are matched against a plain decimal pattern first.
 */
import type { CategoricalColumn, FeatureColumn, LabelledTable, NumericColumn } from './feature-table.js';

export interface TableFromRecordsOptions {
  /** Column holding the customer id (must be unique and non-blank). */
  readonly idColumn: string;
  /** Column holding the outcome. */
  readonly labelColumn: string;
  /** Label text of the positive class (compared after trimming), e.g. 'Yes'. */
  readonly positive: string;
  /** Further columns to leave out of the features (e.g. leakage or free text). */
  readonly exclude?: readonly string[];
}

export interface RecordsTable {
  /** Customer id per row, in row order. */
  readonly ids: readonly string[];
  readonly table: LabelledTable;
}

/** Plain decimal numbers with an optional exponent: what a spreadsheet or database writes. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isBlank(s: string | undefined): boolean {
  return s === undefined || s.trim() === '';
}

/**
 * Build the labelled feature table from a header and string rows. Row numbers in error messages count
 * data rows from 1 (the header is row 0).
 *
 * @example
 * const { ids, table } = tableFromRecords(
 *   ['id', 'plan', 'tenure', 'churn'],
 *   [['a', 'basic', '3', 'Yes'], ['b', 'pro', '', 'No']],
 *   { idColumn: 'id', labelColumn: 'churn', positive: 'Yes' },
 * );
 * // ids = ['a', 'b']; table.labels = [1, 0]; plan is categorical, tenure numeric with NaN for 'b'
 */
export function tableFromRecords(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableFromRecordsOptions,
): RecordsTable {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new Error('tableFromRecords: the header has a blank column name');
    if (seen.has(name)) throw new Error(`tableFromRecords: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  const idIndex = names.indexOf(options.idColumn);
  if (idIndex < 0)
    throw new RangeError(`tableFromRecords: id column "${options.idColumn}" is not in the header`);
  const labelIndex = names.indexOf(options.labelColumn);
  if (labelIndex < 0) {
    throw new RangeError(`tableFromRecords: label column "${options.labelColumn}" is not in the header`);
  }
  if (idIndex === labelIndex) throw new RangeError('tableFromRecords: the id and label columns are the same');
  const exclude = new Set(options.exclude ?? []);
  for (const name of exclude) {
    if (!seen.has(name))
      throw new RangeError(`tableFromRecords: excluded column "${name}" is not in the header`);
  }
  const positive = options.positive.trim();

  const n = rows.length;
  const ids: string[] = new Array<string>(n);
  const labels = new Uint8Array(n);
  const idRow = new Map<string, number>();
  let positives = 0;
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    if (row.length !== names.length) {
      throw new RangeError(
        `tableFromRecords: row ${r + 1} has ${row.length} fields, the header ${names.length}`,
      );
    }
    const id = row[idIndex]!.trim();
    if (id === '') throw new Error(`tableFromRecords: row ${r + 1} has a blank id in "${options.idColumn}"`);
    const first = idRow.get(id);
    if (first !== undefined) {
      throw new Error(`tableFromRecords: duplicate id "${id}" in rows ${first + 1} and ${r + 1}`);
    }
    idRow.set(id, r);
    ids[r] = id;
    const label = row[labelIndex]!;
    // A missing outcome is a data error, not a negative: silently counting it as "stayed" biases the model.
    if (isBlank(label))
      throw new Error(`tableFromRecords: row ${r + 1} has a blank label in "${options.labelColumn}"`);
    if (label.trim() === positive) {
      labels[r] = 1;
      positives++;
    }
  }
  if (n > 0 && positives === 0) {
    throw new RangeError(
      `tableFromRecords: label column "${options.labelColumn}" has no positive value "${positive}"`,
    );
  }

  const columns: FeatureColumn[] = [];
  for (let c = 0; c < names.length; c++) {
    if (c === idIndex || c === labelIndex || exclude.has(names[c]!)) continue;
    columns.push(buildColumn(names[c]!, rows, c));
  }
  return { ids, table: { features: { rows: n, columns }, labels } };
}

function buildColumn(name: string, rows: readonly (readonly string[])[], c: number): FeatureColumn {
  const n = rows.length;
  let numeric = true;
  for (let r = 0; r < n && numeric; r++) {
    const cell = rows[r]![c]!.trim();
    if (cell !== '' && !DECIMAL.test(cell)) numeric = false;
  }
  if (numeric) {
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const cell = rows[r]![c]!.trim();
      values[r] = cell === '' ? NaN : Number(cell);
      // Pitfall: '1e999' matches the pattern but overflows; an infinite feature would poison every sum.
      if (!Number.isFinite(values[r]!) && cell !== '') {
        throw new RangeError(`tableFromRecords: column "${name}" row ${r + 1}: "${cell}" is out of range`);
      }
    }
    const column: NumericColumn = { kind: 'numeric', name, values };
    return column;
  }
  const distinct = new Set<string>();
  for (let r = 0; r < n; r++) {
    const cell = rows[r]![c]!.trim();
    if (cell !== '') distinct.add(cell);
  }
  // Sorted by UTF-16 code units (the default sort), so the codes do not depend on the row order.
  const levels = [...distinct].sort();
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const cell = rows[r]![c]!.trim();
    codes[r] = cell === '' ? -1 : index.get(cell)!;
  }
  const column: CategoricalColumn = { kind: 'categorical', name, levels, codes };
  return column;
}
