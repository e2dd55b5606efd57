/**
 * Calibration/holdout evaluation of a transaction model (BG/NBD, Pareto/NBD, MBG/NBD), as in Fader, Hardie
 * & Lee (2005): fit on the calibration period, then compare with what the same customers did in the
 * holdout period — per customer (conditional expectations), in total, by calibration frequency, and week by
 * week (the tracking series) — plus the model's P(alive) and expected-transactions matrices.
 */
import type { Engine } from '../../engine/engine.js';
import type { TimeUnit } from '../../engine/summary-types.js';
import { compressRfm } from '../../models/summary-stats.js';
import { UserError } from '../../util/errors.js';
import { fitClvModel } from './fit-clv-model.js';
import { byFrequency, holdoutMetrics, type FrequencyGroup, type HoldoutMetrics } from './holdout-metrics.js';
import { rfmMatrices, type RfmMatrices } from './rfm-matrices.js';
import { trackingSeries, type TrackingSeries } from './tracking-series.js';
import {
  TRANSACTION_MODELS,
  isContinuousModelKind,
  type Params,
  type TransactionModelKind,
} from './transaction-models.js';

export interface ClvEvaluateOptions {
  /** Default bgnbd. */
  readonly model?: TransactionModelKind;
  /** Last day of the calibration period, inclusive, `YYYY-MM-DD`. */
  readonly calibrationEnd: string;
  /** Last day of the holdout period, inclusive; after the calibration end. */
  readonly holdoutEnd: string;
  /** Default week. */
  readonly timeUnit?: TimeUnit;
  /** L2 penalty of the fit; default 0. */
  readonly penalty?: number;
  /** The by-frequency table has groups x = 0 .. n-1 and n+; default 7. */
  readonly frequencyGroups?: number;
  /** Horizon of the expected-transactions matrix, in time units; default 1. */
  readonly matrixHorizon?: number;
  /** At most this many rows and columns per matrix; default 50. */
  readonly matrixCells?: number;
}

export interface EvaluatedCustomers {
  readonly customerIds: readonly string[];
  readonly firstPurchase: readonly string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  /** P(alive) at the calibration end. */
  readonly probabilityAlive: Float64Array;
  /** Expected transactions over the holdout period given the calibration history. */
  readonly predicted: Float64Array;
  /** Holdout purchase periods (merged like x). */
  readonly actual: Float64Array;
}

export interface ClvEvaluation {
  readonly model: TransactionModelKind;
  readonly modelLabel: string;
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  /** Holdout length in time units. */
  readonly holdoutLength: number;
  readonly fit: {
    readonly params: Params;
    readonly standardErrors: Params;
    readonly logLikelihood: number;
    readonly customers: number;
  };
  /** Customers with a first purchase on or before the calibration end. */
  readonly customers: number;
  /** Repeat transactions in calibration (sum of x). */
  readonly calibrationRepeatTransactions: number;
  readonly holdout: HoldoutMetrics;
  readonly byFrequency: readonly FrequencyGroup[];
  readonly tracking: TrackingSeries;
  readonly matrices: RfmMatrices;
  readonly notes: readonly string[];
  readonly perCustomer: EvaluatedCustomers;
}

function checkDate(name: string, value: string): void {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
  if (!ok || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw new UserError(`${name} must be a date YYYY-MM-DD, not "${value}"`);
}

/**
 * @example const e = await evaluateClv(engine, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
 */
export async function evaluateClv(engine: Engine, options: ClvEvaluateOptions): Promise<ClvEvaluation> {
  const kind = options.model ?? 'bgnbd';
  if (!isContinuousModelKind(kind))
    throw new UserError(`evaluation needs a transaction model (bgnbd, pnbd, mbgnbd), not ${String(kind)}`);
  const { calibrationEnd, holdoutEnd } = options;
  checkDate('--calibration-end', calibrationEnd);
  checkDate('--holdout-end', holdoutEnd);
  if (holdoutEnd <= calibrationEnd)
    throw new UserError(`the holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}`);
  const timeUnit = options.timeUnit ?? 'week';
  const groups = options.frequencyGroups ?? 7;
  if (!(Number.isInteger(groups) && groups >= 1))
    throw new UserError('the number of frequency groups must be a whole number >= 1');
  const matrixHorizon = options.matrixHorizon ?? 1;
  if (!(matrixHorizon > 0)) throw new UserError('the matrix horizon must be > 0');

  const range = await engine.transactionRange();
  if (range.count === 0) throw new UserError('the workspace has no transactions: import some first');
  const first = range.first!;
  const last = range.last!;
  if (first > calibrationEnd)
    throw new UserError(
      `no transactions on or before the calibration end ${calibrationEnd} (the data starts on ${first})`,
    );
  if (last <= calibrationEnd)
    throw new UserError(
      `no transactions after the calibration end ${calibrationEnd} (the data ends on ${last}): choose an earlier calibration end`,
    );
  const notes: string[] = [];
  if (last < holdoutEnd)
    notes.push(
      `the data ends on ${last}, before the holdout end ${holdoutEnd}: predictions include days without data`,
    );

  const model = TRANSACTION_MODELS[kind];
  const series = await engine.transactionSeries({ calibrationEnd, holdoutEnd, timeUnit });
  const fit = await fitClvModel(engine, {
    model: kind,
    calibrationEnd,
    timeUnit,
    ...(options.penalty !== undefined ? { penalty: options.penalty } : {}),
  });
  const params = fit.params;
  const summary = await engine.customerSummary({ calibrationEnd, holdoutEnd, timeUnit });
  const n = summary.customerIds.length;
  const horizon = summary.holdoutLength!;
  const actual = summary.holdoutX!;

  // conditional expectations once per distinct (x, t_x, T); customers first seen on the calibration end
  // (T = 0) have no history yet: their expectation is the unconditional E[X(holdout)]
  const old: number[] = [];
  for (let i = 0; i < n; i++) if (summary.T[i]! > 0) old.push(i);
  const pick = (v: Float64Array) => Float64Array.from(old, (i) => v[i]!);
  const rows = compressRfm(pick(summary.x), pick(summary.tx), pick(summary.T));
  const rowPredicted = new Float64Array(rows.x.length);
  const rowAlive = new Float64Array(rows.x.length);
  for (let r = 0; r < rows.x.length; r++) {
    rowPredicted[r] = model.conditionalExpected(params, horizon, rows.x[r]!, rows.t_x[r]!, rows.T[r]!);
    rowAlive[r] = model.probabilityAlive(params, rows.x[r]!, rows.t_x[r]!, rows.T[r]!);
  }
  const predicted = new Float64Array(n).fill(model.expectedTransactions(params, horizon));
  const probabilityAlive = new Float64Array(n).fill(1);
  old.forEach((i, j) => {
    predicted[i] = rowPredicted[rows.rowOf[j]!]!;
    probabilityAlive[i] = rowAlive[rows.rowOf[j]!]!;
  });
  if (old.length < n)
    notes.push(
      `${n - old.length} customer(s) first bought on the calibration end: predicted with the unconditional expectation`,
    );

  const tracking = trackingSeries(model, params, series);
  let calibrationRepeatTransactions = 0;
  let maxX = 0;
  let maxT = 0;
  for (let i = 0; i < n; i++) {
    calibrationRepeatTransactions += summary.x[i]!;
    maxX = Math.max(maxX, summary.x[i]!);
    maxT = Math.max(maxT, summary.T[i]!);
  }
  const matrices = rfmMatrices(model, params, {
    maxFrequency: maxX,
    T: maxT,
    horizon: matrixHorizon,
    ...(options.matrixCells !== undefined ? { maxCells: options.matrixCells } : {}),
  });

  return {
    model: kind,
    modelLabel: model.label,
    timeUnit,
    calibrationEnd,
    holdoutEnd,
    holdoutLength: horizon,
    fit: {
      params,
      standardErrors: fit.standardErrors,
      logLikelihood: fit.logLikelihood,
      customers: fit.customers,
    },
    customers: n,
    calibrationRepeatTransactions,
    holdout: holdoutMetrics(predicted, actual),
    byFrequency: byFrequency(summary.x, predicted, actual, groups),
    tracking,
    matrices,
    notes,
    perCustomer: {
      customerIds: summary.customerIds,
      firstPurchase: summary.firstPurchase,
      x: summary.x,
      tx: summary.tx,
      T: summary.T,
      probabilityAlive,
      predicted,
      actual,
    },
  };
}
