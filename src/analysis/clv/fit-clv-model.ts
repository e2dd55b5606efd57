/**
 * Fit a CLV model on the workspace (or on data given directly) and keep it: `fitClvModel` parses the
 * options, gathers the sufficient statistics in the engine and hands them to the model's fitter.
 */
import type { Engine } from '../../engine/engine.js';
import type { CustomerSummary, TimeUnit } from '../../engine/summary-types.js';
import { fitBgBb } from '../../models/bg-bb.js';
import { fitGammaGamma } from '../../models/gamma-gamma.js';
import {
  fitSbg,
  sbgDiscountedExpectedResidualLifetime,
  sbgRetentionRate,
  sbgRiskTableFromCohorts,
  sbgSurvival,
  type SbgParams,
} from '../../models/sbg.js';
import { DAYS_PER_UNIT } from '../../engine/summary-types.js';
import type { MaximumLikelihoodFit } from '../../models/fit/maximum-likelihood.js';
import { compressRfm, compressSpend } from '../../models/summary-stats.js';
import { UserError } from '../../util/errors.js';
import { PARAM_NAMES, type ClvModelKind, type FitDocument } from './fit-document.js';
import { TRANSACTION_MODELS, isContinuousModelKind, opportunityAge } from './transaction-models.js';

export interface ClvFitOptions {
  readonly model: ClvModelKind;
  /** Inclusive; default the last transaction day (sBG: the observation date). */
  readonly calibrationEnd?: string;
  /** Default week (sBG: month; BG/BB: the opportunity period, default month). */
  readonly timeUnit?: TimeUnit;
  /** L2 penalty on the log-parameters; default 0. */
  readonly penalty?: number;
  readonly maxIterations?: number;
  /** sBG only: survivors per period of one cohort, given directly (no workspace data needed). */
  readonly survivors?: readonly number[];
  /**
   * sBG only: discount rate for DERL. Per year when the period is a time unit (converted to the period),
   * per period when survivors are given without a time unit. Default 0.1.
   */
  readonly discountRate?: number;
  /** sBG only: periods to project survival and retention over (default: observed periods + 12). */
  readonly projectPeriods?: number;
}

/** Customers whose first purchase is on the calibration end have T = 0 and tell the models nothing yet. */
export function modelledCustomers(summary: CustomerSummary): number[] {
  const keep: number[] = [];
  for (let i = 0; i < summary.T.length; i++) if (summary.T[i]! > 0) keep.push(i);
  return keep;
}

const pick = (values: Float64Array, index: readonly number[]): Float64Array =>
  Float64Array.from(index, (i) => values[i]!);

function toDocument(
  model: ClvModelKind,
  fit: MaximumLikelihoodFit,
  rest: Pick<
    FitDocument,
    'customers' | 'timeUnit' | 'calibrationEnd' | 'fingerprint' | 'penalty' | 'details'
  >,
): FitDocument {
  const params: Record<string, number> = {};
  const standardErrors: Record<string, number> = {};
  for (const name of PARAM_NAMES[model]) {
    params[name] = fit.params[name]!;
    standardErrors[name] = fit.standardErrors[name]!;
  }
  return {
    format: 'retain-model-fit',
    version: 1,
    model,
    params,
    standardErrors,
    covariance: fit.covariance,
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    message: fit.message,
    fittedAt: new Date().toISOString(),
    ...rest,
  };
}

/**
 * Fit one model. Throws a UserError when the fit does not converge (the message says why and what to try).
 *
 * @example const doc = await fitClvModel(engine, { model: 'bgnbd', calibrationEnd: '1997-09-30' });
 */
export async function fitClvModel(engine: Engine | null, options: ClvFitOptions): Promise<FitDocument> {
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0)) throw new UserError(`--penalty must be >= 0, got ${penalty}`);
  const fitOptions = { penalty, ...(options.maxIterations ? { maxIterations: options.maxIterations } : {}) };
  let doc: FitDocument;
  if (options.model === 'sbg') {
    doc = await fitSbgModel(engine, options, fitOptions);
  } else {
    if (!engine) throw new UserError(`fitting ${options.model} needs a workspace`);
    const timeUnit = options.timeUnit ?? (options.model === 'bgbb' ? 'month' : 'week');
    const summary = await engine.customerSummary({
      timeUnit,
      ...(options.calibrationEnd ? { calibrationEnd: options.calibrationEnd } : {}),
      // BG/BB counts opportunities: one purchase period per time unit
      ...(options.model === 'bgbb' ? { mergePeriod: timeUnit } : {}),
    });
    const keep = modelledCustomers(summary);
    const base = {
      timeUnit,
      calibrationEnd: summary.calibrationEnd,
      fingerprint: await engine.transactionsFingerprint(),
      penalty,
    };
    const leftOut = summary.T.length - keep.length;
    if (isContinuousModelKind(options.model)) {
      const rows = compressRfm(pick(summary.x, keep), pick(summary.tx, keep), pick(summary.T, keep));
      const fit = TRANSACTION_MODELS[options.model].fit(rows, fitOptions);
      doc = toDocument(options.model, fit, {
        ...base,
        customers: keep.length,
        details: { distinctRows: rows.x.length, leftOutNewCustomers: leftOut },
      });
    } else if (options.model === 'gg') {
      const x = pick(summary.x, keep);
      const m = pick(summary.monetary, keep);
      let nonPositive = 0;
      for (let i = 0; i < x.length; i++) {
        if (x[i]! > 0 && !(m[i]! > 0)) {
          x[i] = 0; // a repeat buyer whose repeat purchases net to <= 0 (returns) cannot enter Gamma-Gamma
          nonPositive++;
        }
      }
      const rows = compressSpend(x, m);
      let customers = 0;
      for (let i = 0; i < rows.weight.length; i++) customers += rows.weight[i]!;
      if (customers === 0)
        throw new UserError('Gamma-Gamma needs repeat buyers with positive spend; there are none');
      const fit = fitGammaGamma(rows, fitOptions) as unknown as MaximumLikelihoodFit;
      doc = toDocument('gg', fit, {
        ...base,
        customers,
        details: { repeatBuyers: customers, leftOutNonPositiveSpend: nonPositive },
      });
    } else {
      // BG/BB: n whole opportunities after the first purchase period, t_x the period of the last purchase
      const n = Float64Array.from(keep, (i) => opportunityAge(summary.T[i]!, DAYS_PER_UNIT[timeUnit]));
      const tx = Float64Array.from(keep, (i) => Math.round(summary.tx[i]!));
      const x = pick(summary.x, keep);
      const ok = Array.from(n, (v, i) => v >= 1 && tx[i]! <= v)
        .map((b, i) => (b ? i : -1))
        .filter((i) => i >= 0);
      const rows = { x: pick(x, ok), t_x: pick(tx, ok), n: pick(n, ok) };
      const fit = fitBgBb(rows, fitOptions) as unknown as MaximumLikelihoodFit;
      doc = toDocument('bgbb', fit, {
        ...base,
        customers: ok.length,
        details: { opportunity: timeUnit, leftOutNewCustomers: summary.T.length - ok.length },
      });
    }
  }
  if (!doc.converged) {
    const values = Object.entries(doc.params)
      .map(([k, v]) => `${k}=${v.toPrecision(6)}`)
      .join(', ');
    throw new UserError(
      `the ${doc.model} fit did not converge (${doc.message}; reached ${values}). Try a small --penalty (e.g. 0.01), another --calibration-end or --time-unit, or check the data.`,
    );
  }
  return doc;
}

async function fitSbgModel(
  engine: Engine | null,
  options: ClvFitOptions,
  fitOptions: { penalty: number; maxIterations?: number },
): Promise<FitDocument> {
  let cohorts: (readonly number[])[];
  let details: Record<string, unknown>;
  let timeUnit: string | null = options.timeUnit ?? 'month';
  let calibrationEnd: string | null = null;
  if (options.survivors) {
    cohorts = [options.survivors];
    details = { survivors: options.survivors };
    timeUnit = options.timeUnit ?? null;
  } else {
    if (!engine) throw new UserError('sBG needs --survivors or a workspace with subscriptions');
    const c = await engine.subscriptionCohorts({
      unit: options.timeUnit ?? 'month',
      ...(options.calibrationEnd ? { asOf: options.calibrationEnd } : {}),
    });
    cohorts = c.cohorts.map((x) => x.survivors).filter((s) => s.length >= 2);
    if (cohorts.length === 0)
      throw new UserError('no subscription cohort has been observed for two periods yet');
    details = { cohorts: c.cohorts };
    calibrationEnd = c.asOf;
  }
  const table = sbgRiskTableFromCohorts(cohorts);
  const fit = fitSbg(table, fitOptions) as unknown as MaximumLikelihoodFit;
  const customers = cohorts.reduce((sum, s) => sum + (s[0] ?? 0), 0);
  if (fit.converged) details = { ...details, projection: sbgProjection(fit, cohorts, timeUnit, options) };
  return toDocument('sbg', fit, {
    customers,
    timeUnit,
    calibrationEnd,
    fingerprint: null,
    penalty: fitOptions.penalty,
    details,
  });
}

/** Projected survival and retention, and DERL by renewals so far (Fader & Hardie 2007, 2010). */
function sbgProjection(
  fit: MaximumLikelihoodFit,
  cohorts: readonly (readonly number[])[],
  timeUnit: string | null,
  options: ClvFitOptions,
): Record<string, unknown> {
  const params = fit.params as unknown as SbgParams;
  const observed = Math.max(...cohorts.map((c) => c.length - 1));
  const periods = options.projectPeriods ?? observed + 12;
  const rate = options.discountRate ?? 0.1;
  const perPeriod =
    timeUnit === null
      ? rate
      : Math.expm1(Math.log1p(rate) / (365.25 / DAYS_PER_UNIT[timeUnit as 'day' | 'week' | 'month']));
  return {
    periods: Array.from({ length: periods }, (_, k) => ({
      t: k + 1,
      survival: sbgSurvival(params, k + 1),
      retentionRate: sbgRetentionRate(params, k + 1),
    })),
    discountRatePerPeriod: perPeriod,
    // DERL for a customer who has made n renewals (is at the end of period n), n = 0..observed
    derl: Array.from({ length: observed + 1 }, (_, n) => ({
      renewals: n,
      value: sbgDiscountedExpectedResidualLifetime(params, perPeriod, n),
    })),
  };
}
