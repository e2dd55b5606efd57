/**
 * Checks shared by both engines' CLV summaries and transaction series: the calibration window (default
 * calibration end: the last transaction day) and the assembly of a transaction series from its per-period
 * and per-cohort counts (pure TS, so that both engines shape the result the same way).
 */
import { checkIsoDate } from '../util/dates.js';
import { UserError } from '../util/errors.js';
import type { Engine } from './engine.js';
import { DAYS_PER_UNIT, type TimeUnit, type TransactionSeries } from './summary-types.js';

/**
 * The calibration end (default: the last transaction day) and optional holdout end of a summary or series,
 * checked: real dates, a non-empty workspace, the holdout after the calibration.
 */
export async function calibrationWindow(
  engine: Pick<Engine, 'lastTransactionDay'>,
  options: { readonly calibrationEnd?: string; readonly holdoutEnd?: string },
): Promise<{ calibrationEnd: string; holdoutEnd: string | null }> {
  checkIsoDate('calibration end', options.calibrationEnd);
  checkIsoDate('holdout end', options.holdoutEnd);
  const last = await engine.lastTransactionDay();
  if (last === null) throw new UserError('the workspace has no transactions: import some first');
  const calibrationEnd = options.calibrationEnd ?? last;
  const holdoutEnd = options.holdoutEnd ?? null;
  if (holdoutEnd !== null && holdoutEnd <= calibrationEnd)
    throw new UserError(`holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}`);
  return { calibrationEnd, holdoutEnd };
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` plus whole days (UTC calendar arithmetic). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** Customers by first-purchase day (oldest first), with their age at the calibration end in days. */
export interface SeriesCohortRow {
  readonly firstPurchase: string;
  readonly ageDays: number;
  readonly customers: number;
}

/**
 * A transaction series from the engine's counts: repeat purchases by period number k (a purchase on day D
 * belongs to k = ceil((D - calibration end) / period length)) and the cohorts by first purchase. Periods
 * run from the one holding the oldest first purchase to the holdout end, empty ones included.
 */
export function assembleTransactionSeries(
  window: { readonly calibrationEnd: string; readonly holdoutEnd: string | null },
  timeUnit: TimeUnit,
  mergePeriod: TimeUnit,
  cohortRows: readonly SeriesCohortRow[],
  countRows: readonly { readonly k: number; readonly n: number }[],
): TransactionSeries {
  const { calibrationEnd, holdoutEnd } = window;
  if (cohortRows.length === 0)
    throw new UserError(`no customer made a first purchase on or before ${calibrationEnd}`);
  const len = DAYS_PER_UNIT[timeUnit];
  const maxAgeDays = cohortRows[0]!.ageDays;
  const holdoutDays = holdoutEnd === null ? 0 : daysBetween(calibrationEnd, holdoutEnd);
  const kMin = Math.ceil(-maxAgeDays / len);
  const kMax = Math.ceil(holdoutDays / len);
  const count = kMax - kMin + 1;
  const k = new Float64Array(count);
  const start: string[] = [];
  const end: string[] = [];
  const endTime = new Float64Array(count);
  const repeatTransactions = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const kj = kMin + j;
    k[j] = kj;
    // days d (relative to the calibration end) with (k - 1) len < d <= k len, cut to the data's range
    const first = Math.max(Math.floor((kj - 1) * len) + 1, -maxAgeDays);
    const last = Math.min(Math.floor(kj * len), holdoutDays);
    start.push(addDays(calibrationEnd, first));
    end.push(addDays(calibrationEnd, last));
    endTime[j] = Math.min(kj * len, holdoutDays) / len;
  }
  for (const r of countRows) {
    const j = r.k - kMin;
    if (j < 0 || j >= count) throw new Error(`transaction series: period ${String(r.k)} out of range`);
    repeatTransactions[j] = r.n;
  }
  return {
    calibrationEnd,
    holdoutEnd,
    timeUnit,
    mergePeriod,
    periods: { k, start, end, endTime, repeatTransactions },
    cohorts: {
      firstPurchase: cohortRows.map((r) => r.firstPurchase),
      age: Float64Array.from(cohortRows, (r) => r.ageDays / len),
      customers: Float64Array.from(cohortRows, (r) => r.customers),
    },
  };
}
