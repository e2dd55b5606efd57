/**
 * Per-customer predictions from a fitted transaction model and (optionally) a Gamma-Gamma spend model:
 * probability alive, expected transactions over a horizon, expected spend per transaction and discounted
 * CLV, with optional intervals from the parameters' asymptotic distribution.
 *
 * Work is done once per distinct (x, t_x, T) row and spread to customers, so a million customers cost
 * what their few hundred thousand distinct histories cost.
 */
import type { Engine } from '../../engine/engine.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../../engine/summary-types.js';
import { discountedTransactions, discountedTransactionsPerRow } from '../../models/clv.js';
import { bgNbdFactoredExpected, type BgNbdParams } from '../../models/bg-nbd.js';
import { cholesky } from '../../models/fit/matrix.js';
import { gammaGammaExpectedSpend, type GammaGammaParams } from '../../models/gamma-gamma.js';
import { Random } from '../../models/random.js';
import { compressRfm } from '../../models/summary-stats.js';
import { UserError } from '../../util/errors.js';
import { PARAM_NAMES, type FitDocument } from './fit-document.js';
import { modelledCustomers } from './fit-clv-model.js';
import {
  TRANSACTION_MODELS,
  isTransactionModelKind,
  opportunityAge,
  type Params,
} from './transaction-models.js';

export interface ClvPredictOptions {
  /** Horizon in the model's time unit (e.g. 52 weeks). */
  readonly horizon: number;
  /** Yearly discount rate; default 0.1. */
  readonly discountRate?: number;
  /** Profit margin applied to spend (0..1]; default 1 (revenue). */
  readonly margin?: number;
  /** Parameter draws for 90 % intervals; 0 (default) for none. */
  readonly intervalDraws?: number;
  readonly seed?: number;
  /** Also give each customer P(n transactions over the horizon) for n = 0..pmfMax; default none. */
  readonly pmfMax?: number;
}

export interface CustomerPredictions {
  readonly customerIds: readonly string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly probabilityAlive: Float64Array;
  readonly expectedTransactions: Float64Array;
  readonly expectedSpend: Float64Array;
  readonly clv: Float64Array;
  /** 5 % and 95 % quantiles (null without intervals). */
  readonly expectedTransactionsLower: Float64Array | null;
  readonly expectedTransactionsUpper: Float64Array | null;
  readonly clvLower: Float64Array | null;
  readonly clvUpper: Float64Array | null;
  /** probabilityOfN[n][i]: P(customer i makes n transactions over the horizon), n = 0..pmfMax. */
  readonly probabilityOfN: readonly Float64Array[] | null;
}

export interface ClvPrediction {
  readonly model: string;
  readonly spendModel: 'gg' | 'mean-spend';
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd: string;
  readonly horizon: number;
  readonly discountRate: number;
  readonly margin: number;
  readonly customers: number;
  readonly totals: {
    readonly expectedTransactions: number;
    /** Customer equity: the sum of every customer's CLV over the horizon. */
    readonly clv: number;
    readonly expectedTransactionsInterval: readonly [number, number] | null;
    readonly clvInterval: readonly [number, number] | null;
  };
  /** For a newly acquired customer: E[X(horizon)], E[X(t)] for t = 1..horizon, P(X(horizon) = n), n = 0..10. */
  readonly population: {
    readonly expectedTransactions: number;
    readonly curve: readonly { readonly t: number; readonly expectedTransactions: number }[];
    readonly distribution: readonly { readonly n: number; readonly probability: number }[];
  };
  readonly notes: readonly string[];
  readonly perCustomer: CustomerPredictions;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Draws of the parameters from their asymptotic normal distribution in log space (all are positive). */
export function drawParams(fit: FitDocument, draws: number, seed: number): Params[] {
  const names = PARAM_NAMES[fit.model];
  const p = names.map((n) => fit.params[n]!);
  const logCov = fit.covariance.map((row, i) => row.map((c, j) => c / (p[i]! * p[j]!)));
  const chol = cholesky(logCov);
  if (!chol)
    throw new UserError(`the ${fit.model} fit has no usable covariance: intervals are not available`);
  const random = new Random(seed);
  const out: Params[] = [];
  for (let d = 0; d < draws; d++) {
    const z = names.map(() => random.normal());
    const params: Record<string, number> = {};
    names.forEach((name, i) => {
      let s = 0;
      for (let k = 0; k <= i; k++) s += chol[i]![k]! * z[k]!;
      params[name] = p[i]! * Math.exp(s);
    });
    out.push(params);
  }
  return out;
}

/**
 * @example const result = await predictClv(engine, bgnbdFit, ggFit, { horizon: 52, discountRate: 0.1 });
 */
export async function predictClv(
  engine: Engine,
  fit: FitDocument,
  spendFit: FitDocument | null,
  options: ClvPredictOptions,
): Promise<ClvPrediction> {
  if (!isTransactionModelKind(fit.model))
    throw new UserError(`predictions need a transaction model (bgnbd, pnbd, mbgnbd, bgbb), not ${fit.model}`);
  if (spendFit && spendFit.model !== 'gg')
    throw new UserError(`the spend model must be gg, not ${spendFit.model}`);
  const horizon = options.horizon;
  if (!(Number.isInteger(horizon) && horizon > 0))
    throw new UserError(`--horizon must be a whole number > 0`);
  const discountRate = options.discountRate ?? 0.1;
  if (!(discountRate >= 0 && discountRate < 10))
    throw new UserError(`--discount-rate must be between 0 and 10`);
  const margin = options.margin ?? 1;
  if (!(margin > 0 && margin <= 1)) throw new UserError(`--margin must be in (0, 1]`);
  const timeUnit = (fit.timeUnit ?? 'week') as TimeUnit;
  const calibrationEnd = fit.calibrationEnd ?? undefined;
  const notes: string[] = [];
  const fingerprint = await engine.transactionsFingerprint();
  if (fit.fingerprint && fit.fingerprint !== fingerprint)
    notes.push('transactions changed since the model was fitted: refit for predictions on the current data');

  const discrete = fit.model === 'bgbb';
  const summary = await engine.customerSummary({
    timeUnit,
    ...(calibrationEnd ? { calibrationEnd } : {}),
    ...(discrete ? { mergePeriod: timeUnit } : {}),
  });
  // BG/BB needs at least one whole opportunity after the first purchase period
  const days = DAYS_PER_UNIT[timeUnit];
  if (discrete) {
    // whole opportunities, which the BG/BB adapter reads from T
    for (let i = 0; i < summary.T.length; i++) {
      (summary.T as Float64Array)[i] = opportunityAge(summary.T[i]!, days);
      (summary.tx as Float64Array)[i] = Math.round(summary.tx[i]!);
    }
  }
  const keep = modelledCustomers(summary).filter(
    (i) => !discrete || (summary.T[i]! >= 1 && summary.tx[i]! <= summary.T[i]!),
  );
  if (keep.length < summary.T.length)
    notes.push(`${summary.T.length - keep.length} customer(s) first bought on the calibration end: left out`);
  const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]!);
  const x = pick(summary.x);
  const tx = pick(summary.tx);
  const T = pick(summary.T);
  const monetary = pick(summary.monetary);
  const rows = compressRfm(x, tx, T);
  const model = TRANSACTION_MODELS[fit.model];
  const params = fit.params;
  const periodsPerYear = 365.25 / DAYS_PER_UNIT[timeUnit];
  const discount = { periods: horizon, periodsPerYear, annualDiscountRate: discountRate };

  const m = rows.x.length;
  const rowAlive = new Float64Array(m);
  const rowExpected = new Float64Array(m);
  const rowDiscounted = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const [xr, txr, Tr] = [rows.x[r]!, rows.t_x[r]!, rows.T[r]!];
    rowAlive[r] = model.probabilityAlive(params, xr, txr, Tr);
    rowExpected[r] = model.conditionalExpected(params, horizon, xr, txr, Tr);
  }
  if (fit.model === 'bgnbd') {
    // BG/NBD factors into P(alive) x E[X | alive], which depends on (x, T) only and shares work across the
    // horizons: the discounted sum for every row at once (about 30x faster at a million customers).
    rowDiscounted.set(
      discountedTransactionsPerRow(
        bgNbdFactoredExpected(params as unknown as BgNbdParams),
        rows,
        discount,
        rowAlive,
      ),
    );
  } else {
    for (let r = 0; r < m; r++) {
      const [xr, txr, Tr] = [rows.x[r]!, rows.t_x[r]!, rows.T[r]!];
      rowDiscounted[r] = discountedTransactions(
        (t) => model.conditionalExpected(params, t, xr, txr, Tr),
        discount,
      );
    }
  }

  const n = keep.length;
  let probabilityOfN: Float64Array[] | null = null;
  if (options.pmfMax !== undefined) {
    if (!(Number.isInteger(options.pmfMax) && options.pmfMax >= 0 && options.pmfMax <= 100))
      throw new UserError('--pmf must be a whole number from 0 to 100');
    probabilityOfN = [];
    for (let k = 0; k <= options.pmfMax; k++) {
      const rowP = new Float64Array(m);
      for (let r = 0; r < m; r++)
        rowP[r] = model.conditionalProbabilityOfN(params, k, horizon, rows.x[r]!, rows.t_x[r]!, rows.T[r]!);
      probabilityOfN.push(Float64Array.from(keep, (_, i) => rowP[rows.rowOf[i]!]!));
    }
  }
  const expectedSpend = new Float64Array(n);
  let spendModel: 'gg' | 'mean-spend' = 'gg';
  if (spendFit) {
    const gg = spendFit.params as unknown as GammaGammaParams;
    for (let i = 0; i < n; i++)
      expectedSpend[i] = gammaGammaExpectedSpend(gg, x[i]!, x[i]! > 0 ? monetary[i]! : 0);
  } else {
    spendModel = 'mean-spend';
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (x[i]! > 0) {
        sum += monetary[i]! * x[i]!;
        count += x[i]!;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    expectedSpend.fill(mean);
    notes.push(
      `no Gamma-Gamma fit: every customer's expected spend is the mean repeat purchase value ${mean.toFixed(2)} (fit gg for customer-level spend)`,
    );
  }

  const probabilityAlive = new Float64Array(n);
  const expectedTransactions = new Float64Array(n);
  const clv = new Float64Array(n);
  let totalExpected = 0;
  let totalClv = 0;
  for (let i = 0; i < n; i++) {
    const r = rows.rowOf[i]!;
    probabilityAlive[i] = rowAlive[r]!;
    expectedTransactions[i] = rowExpected[r]!;
    clv[i] = margin * expectedSpend[i]! * rowDiscounted[r]!;
    totalExpected += expectedTransactions[i]!;
    totalClv += clv[i]!;
  }

  let intervals: Pick<
    CustomerPredictions,
    'expectedTransactionsLower' | 'expectedTransactionsUpper' | 'clvLower' | 'clvUpper'
  > = { expectedTransactionsLower: null, expectedTransactionsUpper: null, clvLower: null, clvUpper: null };
  let totalsIntervals: { e: [number, number]; c: [number, number] } | null = null;
  const draws = options.intervalDraws ?? 0;
  if (draws > 0) {
    const sampled = drawParams(fit, draws, options.seed ?? 1);
    const perRow = sampled.map((p) => {
      const e = new Float64Array(m);
      for (let r = 0; r < m; r++)
        e[r] = model.conditionalExpected(p, horizon, rows.x[r]!, rows.t_x[r]!, rows.T[r]!);
      return e;
    });
    const lowerRow = new Float64Array(m);
    const upperRow = new Float64Array(m);
    const column = new Float64Array(draws);
    for (let r = 0; r < m; r++) {
      for (let d = 0; d < draws; d++) column[d] = perRow[d]![r]!;
      column.sort();
      lowerRow[r] = quantile(column, 0.05);
      upperRow[r] = quantile(column, 0.95);
    }
    const eL = new Float64Array(n);
    const eU = new Float64Array(n);
    const cL = new Float64Array(n);
    const cU = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows.rowOf[i]!;
      eL[i] = lowerRow[r]!;
      eU[i] = upperRow[r]!;
      // the discount profile is held at the point estimate: CLV scales with the expected transactions
      const scale = rowExpected[r]! > 0 ? clv[i]! / rowExpected[r]! : 0;
      cL[i] = eL[i]! * scale;
      cU[i] = eU[i]! * scale;
    }
    intervals = { expectedTransactionsLower: eL, expectedTransactionsUpper: eU, clvLower: cL, clvUpper: cU };
    const totalsE = new Float64Array(draws);
    const totalsC = new Float64Array(draws);
    for (let d = 0; d < draws; d++) {
      let e = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const r = rows.rowOf[i]!;
        const v = perRow[d]![r]!;
        e += v;
        c += rowExpected[r]! > 0 ? (clv[i]! * v) / rowExpected[r]! : 0;
      }
      totalsE[d] = e;
      totalsC[d] = c;
    }
    totalsE.sort();
    totalsC.sort();
    totalsIntervals = {
      e: [quantile(totalsE, 0.05), quantile(totalsE, 0.95)],
      c: [quantile(totalsC, 0.05), quantile(totalsC, 0.95)],
    };
    notes.push(
      `intervals: 5-95 % over ${draws} parameter draws from the fit's asymptotic normal distribution (log scale); CLV intervals hold spend and the discount profile at their point estimates`,
    );
  }

  const distribution = Array.from({ length: 11 }, (_, k) => ({
    n: k,
    probability: model.probabilityOfN(params, k, horizon),
  }));
  return {
    model: fit.model,
    spendModel,
    timeUnit,
    calibrationEnd: summary.calibrationEnd,
    horizon,
    discountRate,
    margin,
    customers: n,
    totals: {
      expectedTransactions: totalExpected,
      clv: totalClv,
      expectedTransactionsInterval: totalsIntervals?.e ?? null,
      clvInterval: totalsIntervals?.c ?? null,
    },
    population: {
      expectedTransactions: model.expectedTransactions(params, horizon),
      curve: Array.from({ length: horizon }, (_, k) => ({
        t: k + 1,
        expectedTransactions: model.expectedTransactions(params, k + 1),
      })),
      distribution,
    },
    notes,
    perCustomer: {
      customerIds: keep.map((i) => summary.customerIds[i]!),
      x,
      tx,
      T,
      probabilityAlive,
      expectedTransactions,
      expectedSpend,
      clv,
      ...intervals,
      probabilityOfN,
    },
  };
}
