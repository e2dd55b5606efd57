/**
 * The tracking series of a holdout evaluation: actual repeat transactions per period and cumulative, next
 * to what the fitted model expects of the same customers, Σ_i E[X(t - birth_i)] (the unconditional
 * expectation for a customer born at their first purchase), as in Fader, Hardie & Lee (2005), figure 2.
 * Customers are grouped by first-purchase day, and E[X(t)] is evaluated once per distinct age.
 */
import type { TransactionSeries } from '../../engine/summary-types.js';
import type { Params, TransactionModel } from './transaction-models.js';

export interface TrackingPoint {
  /** 1-based position in the series (the first period holds the earliest first purchase). */
  readonly period: number;
  /** First and last day, inclusive. */
  readonly start: string;
  readonly end: string;
  readonly holdout: boolean;
  /** End of the period in time units after the calibration end (<= 0 in calibration). */
  readonly endTime: number;
  readonly actual: number;
  readonly expected: number;
  readonly cumulativeActual: number;
  readonly cumulativeExpected: number;
}

export interface TrackingTotals {
  readonly actual: number;
  readonly expected: number;
}

export interface TrackingSeries {
  /** Periods in the calibration part (the rest are holdout periods). */
  readonly calibrationPeriods: number;
  readonly points: readonly TrackingPoint[];
  /** Cumulative repeat transactions at the calibration end. */
  readonly calibration: TrackingTotals;
  /** Repeat transactions in the holdout period (expected: unconditional, from the cohorts alone). */
  readonly holdout: TrackingTotals;
}

/**
 * Cumulative expected repeat transactions of every cohort at each period end.
 *
 * @example trackingSeries(TRANSACTION_MODELS.bgnbd, fit.params, await engine.transactionSeries({...}))
 */
export function trackingSeries(
  model: TransactionModel,
  params: Params,
  series: TransactionSeries,
): TrackingSeries {
  const { periods, cohorts } = series;
  const memo = new Map<number, number>();
  const expectedAt = (t: number): number => {
    if (!(t > 0)) return 0;
    const key = Math.round(t * 1e9);
    let v = memo.get(key);
    if (v === undefined) {
      v = model.expectedTransactions(params, t);
      memo.set(key, v);
    }
    return v;
  };
  const cumulativeAt = (time: number): number => {
    let sum = 0;
    for (let c = 0; c < cohorts.age.length; c++)
      sum += cohorts.customers[c]! * expectedAt(cohorts.age[c]! + time);
    return sum;
  };

  const points: TrackingPoint[] = [];
  let cumulativeActual = 0;
  let previousExpected = 0;
  let calibrationPeriods = 0;
  for (let j = 0; j < periods.k.length; j++) {
    const holdout = periods.k[j]! > 0;
    if (!holdout) calibrationPeriods++;
    const actual = periods.repeatTransactions[j]!;
    cumulativeActual += actual;
    const cumulativeExpected = cumulativeAt(periods.endTime[j]!);
    points.push({
      period: j + 1,
      start: periods.start[j]!,
      end: periods.end[j]!,
      holdout,
      endTime: periods.endTime[j]!,
      actual,
      expected: cumulativeExpected - previousExpected,
      cumulativeActual,
      cumulativeExpected,
    });
    previousExpected = cumulativeExpected;
  }
  const atEnd = points.at(-1);
  const atCalibrationEnd = points[calibrationPeriods - 1];
  const calibration = {
    actual: atCalibrationEnd?.cumulativeActual ?? 0,
    expected: atCalibrationEnd?.cumulativeExpected ?? 0,
  };
  return {
    calibrationPeriods,
    points,
    calibration,
    holdout: {
      actual: (atEnd?.cumulativeActual ?? 0) - calibration.actual,
      expected: (atEnd?.cumulativeExpected ?? 0) - calibration.expected,
    },
  };
}
