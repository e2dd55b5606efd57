/**
 * Validation of the churn-report options, shared by the engines (duckdb/report-churn.ts,
 * clickhouse/report-churn.ts): the same messages for the same mistakes, whatever the engine.
 */
import { UserError } from '../util/errors.js';
import { type ChurnReportOptions, type ReportDimension, REPORT_DIMENSIONS } from './report-types.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function checkMonth(name: string, value: string): string {
  if (!MONTH.test(value)) throw new UserError(`${name} must be a month written YYYY-MM, not "${value}"`);
  return value;
}

/** The last day `YYYY-MM-DD` of a month `YYYY-MM`. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0));
  return d.toISOString().slice(0, 10);
}

/** The options checked before reading the workspace; from/to stay undefined when not given. */
export function checkChurnReportOptions(o: ChurnReportOptions): {
  by: ReportDimension | null;
  matchDays: number;
  from: string | undefined;
  to: string | undefined;
} {
  const by = o.by ?? null;
  if (by !== null && !REPORT_DIMENSIONS.includes(by))
    throw new UserError(`--by must be one of ${REPORT_DIMENSIONS.join(', ')}, not "${String(by)}"`);
  const matchDays = o.matchDays ?? 31;
  if (!Number.isInteger(matchDays) || matchDays < 0)
    throw new UserError(`matchDays must be a whole number >= 0, not ${matchDays}`);
  const from = o.from === undefined ? undefined : checkMonth('--from', o.from);
  const to = o.to === undefined ? undefined : checkMonth('--to', o.to);
  return { by, matchDays, from, to };
}

/** Refuse a period that ends before it starts. */
export function checkReportPeriod(from: string, to: string): void {
  if (to < from) throw new UserError(`--to (${to}) is before --from (${from})`);
}
