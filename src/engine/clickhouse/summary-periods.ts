/**
 * Purchase periods in ClickHouse SQL for the CLV summary and the transaction series: the period start of a
 * transaction (18.16 has no `date_trunc`: toMonday is DuckDB's ISO week start, toStartOfMonth its month) and
 * the day filter (`transactions.date` is DateTime('UTC'): its UTC day is `toDate(date)`).
 */
import type { TimeUnit } from '../summary-types.js';

/** The first day of the merge period holding a transaction, as a Date. */
export function periodStart(mergePeriod: TimeUnit): string {
  const day = 'toDate(date)';
  return mergePeriod === 'day' ? day : mergePeriod === 'week' ? `toMonday(${day})` : `toStartOfMonth(${day})`;
}
