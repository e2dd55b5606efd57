/**
 * Survival data from any table with a time and an event column (a CSV export such as the IBM Telco file):
 * the text records read by `readTextTable` become times, event flags, an optional grouping and typed
 * covariates. Every problem is a UserError naming the file, the column and the data row (rows counted from
 * 1 after the header) with the offending value.
 *
 * - time: a plain decimal number >= 0 in every row (blank, text, negative or infinite values are errors);
 * - event `COL=VALUE`: the row is an event when the trimmed cell equals VALUE, censored otherwise; a blank
 *   cell is an error (a missing outcome is not "stayed"), and so is a VALUE that no row has;
 * - group: the trimmed text; blank cells form the group `(missing)`;
 * - covariates: numeric when every non-blank value is a decimal number, else text with levels sorted by code
 *   unit (R's treatment coding takes the first as the reference); blank cells are missing values (the Cox
 *   analysis leaves those rows out, as R's na.omit does).
 */
import type { TextTable } from '../../data/read-text-table.js';
import { columnIndex } from '../../data/read-text-table.js';
import { MISSING_GROUP } from '../../engine/survival-types.js';
import type { FeatureColumn, FeatureTable } from '../../models/learn/feature-table.js';
import { UserError } from '../../util/errors.js';

/** `--event COL=VALUE` parsed. */
export interface EventSpec {
  readonly column: string;
  readonly value: string;
}

export interface TableSurvivalSpec {
  readonly time: string;
  /** `COL=VALUE` or parsed. */
  readonly event: string | EventSpec;
  readonly by?: string | null;
  readonly covariates?: readonly string[];
}

/** Subjects of a table, one per data row, in file order. */
export interface SurvivalTable {
  readonly file: string;
  readonly time: string;
  readonly event: EventSpec;
  readonly times: Float64Array;
  readonly events: Uint8Array;
  readonly by: string | null;
  /** Group label per row (`(missing)` for a blank cell); null without `by`. */
  readonly groups: readonly string[] | null;
  /** The covariates in the order asked for; NaN / code -1 mark missing values. */
  readonly features: FeatureTable;
}

/** Plain decimal numbers with an optional exponent (no hex, no Infinity, no blanks). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse `COL=VALUE` (split at the first `=`; VALUE may itself contain `=`).
 *
 * @example parseEventSpec('Churn=Yes') // { column: 'Churn', value: 'Yes' }
 */
export function parseEventSpec(text: string): EventSpec {
  const i = text.indexOf('=');
  if (i <= 0 || text.slice(i + 1).trim() === '')
    throw new UserError(`--event must be COLUMN=VALUE (the value that marks an event), not "${text}"`);
  return { column: text.slice(0, i).trim(), value: text.slice(i + 1).trim() };
}

/** The row label used in messages: data rows counted from 1. */
const where = (table: TextTable, column: string, row: number) =>
  `${table.file}: row ${row + 1}, column "${column}"`;

/**
 * Times, events, groups and covariates of a text table.
 *
 * @example
 * const t = survivalFromTable(await readTextTable('telco.csv'), { time: 'tenure', event: 'Churn=Yes', by: 'Contract' });
 */
export function survivalFromTable(table: TextTable, spec: TableSurvivalSpec): SurvivalTable {
  const event = typeof spec.event === 'string' ? parseEventSpec(spec.event) : spec.event;
  const ti = columnIndex(table, spec.time, '--time');
  const ei = columnIndex(table, event.column, '--event');
  const by = spec.by ?? null;
  const gi = by === null ? -1 : columnIndex(table, by, '--by');
  const covariates = spec.covariates ?? [];
  const ci = covariates.map((name) => columnIndex(table, name, '--covariates'));
  for (const [name, i] of covariates.map((c, k) => [c, ci[k]!] as const)) {
    if (i === ti || i === ei)
      throw new UserError(`${table.file}: covariate "${name}" is the time or the event column`);
  }
  const n = table.rows.length;
  if (n === 0) throw new UserError(`${table.file}: the table has no data rows`);
  const times = new Float64Array(n);
  const events = new Uint8Array(n);
  let eventCount = 0;
  const seen = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const row = table.rows[r]!;
    const raw = (row[ti] ?? '').trim();
    if (raw === '') throw new UserError(`${where(table, spec.time, r)}: the time is blank`);
    if (!DECIMAL.test(raw))
      throw new UserError(`${where(table, spec.time, r)}: time ${JSON.stringify(raw)} is not a number`);
    const t = Number(raw);
    if (!Number.isFinite(t))
      throw new UserError(`${where(table, spec.time, r)}: time ${JSON.stringify(raw)} is out of range`);
    if (t < 0) throw new UserError(`${where(table, spec.time, r)}: time ${raw} is negative`);
    times[r] = t;
    const e = (row[ei] ?? '').trim();
    if (e === '')
      throw new UserError(`${where(table, event.column, r)}: the event value is blank (a missing outcome)`);
    if (seen.size < 50 && !seen.has(e)) seen.set(e, r);
    if (e === event.value) {
      events[r] = 1;
      eventCount++;
    }
  }
  if (eventCount === 0) {
    const values = [...seen.keys()].slice(0, 10).map((v) => JSON.stringify(v));
    throw new UserError(
      `${table.file}: column "${event.column}" never has the event value ${JSON.stringify(event.value)} (--event); values seen: ${values.join(', ')}`,
    );
  }
  const groups = gi < 0 ? null : table.rows.map((row) => (row[gi] ?? '').trim() || MISSING_GROUP);
  const columns = covariates.map((name, k) => featureColumn(table, name, ci[k]!));
  return {
    file: table.file,
    time: spec.time,
    event,
    times,
    events,
    by,
    groups,
    features: { rows: n, columns },
  };
}

/** A typed covariate column: numeric when every non-blank cell is a decimal number, else text. */
function featureColumn(table: TextTable, name: string, c: number): FeatureColumn {
  const n = table.rows.length;
  const cells = table.rows.map((row) => (row[c] ?? '').trim());
  if (cells.every((v) => v === '' || DECIMAL.test(v))) {
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      values[r] = cells[r] === '' ? NaN : Number(cells[r]);
      if (cells[r] !== '' && !Number.isFinite(values[r]!))
        throw new UserError(`${where(table, name, r)}: ${JSON.stringify(cells[r])} is out of range`);
    }
    return { kind: 'numeric', name, values };
  }
  const levels = [...new Set(cells.filter((v) => v !== ''))].sort();
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = Int32Array.from(cells, (v) => (v === '' ? -1 : index.get(v)!));
  return { kind: 'categorical', name, levels, codes };
}
