/**
 * Value segmentations of the customer base (DOMAIN 4.4): current x potential quadrants, ABC, profit tiers
 * with MVC / MGC / BZC, telecom value tiers, frequency x order value. Per-customer measures come from the
 * engine (SQL); the classification is a pass over those arrays.
 */
import type { Engine } from '../../engine/engine.js';
import type { CustomerValues } from '../../engine/customer-value-types.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../../engine/summary-types.js';
import { UserError } from '../../util/errors.js';
import { predictClv } from '../clv/predict-clv.js';
import { latestFit, latestTransactionFit } from '../clv/stored-fits.js';
import { abcClasses } from './abc.js';
import { FREQUENCY_AOV_GROUPS, frequencyAovQuadrants } from './frequency-aov.js';
import { quantile, summariseGroups, type GroupSummary } from './group-summary.js';
import { PROFIT_TIERS, mostGrowable, profitTiers } from './profit-tiers.js';
import { TELECOM_TIERS, telecomTiers } from './telecom-tiers.js';
import { VALUE_QUADRANTS, valueQuadrants } from './value-quadrants.js';

export const SEGMENTATIONS = ['value', 'abc', 'tiers', 'telecom', 'frequency-aov'] as const;
export type Segmentation = (typeof SEGMENTATIONS)[number];

export interface SegmentationOptions {
  readonly asOf?: string;
  readonly windowDays?: number;
  /** abc: rank by revenue (default) or profit. */
  readonly by?: 'revenue' | 'profit';
  /** abc class boundaries (cumulative shares). */
  readonly a?: number;
  readonly b?: number;
  /** value: thresholds for "high" current and potential value (default: medians). */
  readonly currentThreshold?: number;
  readonly potentialThreshold?: number;
  /** tiers: share of profitable customers in the high tier (default 0.2). */
  readonly highShare?: number;
  /** telecom: five absolute monthly-revenue cut points instead of the default quantiles. */
  readonly telecomAmounts?: readonly number[];
  /** frequency-aov: thresholds (default: medians of the buying customers). */
  readonly frequencyThreshold?: number;
  readonly aovThreshold?: number;
}

export interface SegmentationResult {
  readonly segmentation: Segmentation;
  readonly asOf: string;
  readonly windowDays: number;
  readonly customers: number;
  readonly groups: readonly GroupSummary[];
  /** Thresholds and cut points used, and where potential value came from. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  /** Per customer: id, group and the measures used. */
  readonly perCustomer: {
    readonly customerIds: readonly string[];
    readonly group: readonly string[];
    readonly measures: Readonly<Record<string, ArrayLike<number>>>;
    readonly flags?: Readonly<Record<string, readonly boolean[]>>;
  };
}

/**
 * Potential value per customer: the next year's predicted CLV (revenue, 10 % discount) from the workspace's
 * latest transaction and Gamma-Gamma fits when there are any; otherwise the annualised run rate of the last
 * 90 days (stated in the result).
 */
async function potentialValue(
  engine: Engine,
  values: CustomerValues,
): Promise<{ potential: Float64Array; source: string }> {
  const fit = await latestTransactionFit(engine);
  const fallback = Float64Array.from(values.recentRevenue, (v) => (v * 365) / 90);
  if (!fit)
    return {
      potential: fallback,
      source: 'run rate: revenue of the last 90 days x 365/90 (no CLV model fitted)',
    };
  const unit = (fit.timeUnit ?? 'week') as TimeUnit;
  const horizon = Math.max(1, Math.round(365.25 / DAYS_PER_UNIT[unit]));
  const prediction = await predictClv(engine, fit, await latestFit(engine, 'gg'), { horizon });
  const byId = new Map(
    prediction.perCustomer.customerIds.map((id, i) => [id, prediction.perCustomer.clv[i]!]),
  );
  let missing = 0;
  const potential = Float64Array.from(values.customerIds, (id, i) => {
    const v = byId.get(id);
    if (v === undefined) missing++;
    return v ?? fallback[i]!;
  });
  return {
    potential,
    source: `predicted CLV over the next ${horizon} ${unit}s from the ${fit.model} fit (${missing} customer(s) outside the model use the 90-day run rate)`,
  };
}

/** @example const abc = await valueSegmentation(engine, 'abc', { by: 'profit' }); */
export async function valueSegmentation(
  engine: Engine,
  segmentation: Segmentation,
  options: SegmentationOptions = {},
): Promise<SegmentationResult> {
  const values = await engine.customerValues({
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.windowDays ? { windowDays: options.windowDays } : {}),
  });
  const n = values.customerIds.length;
  const notes: string[] = [];
  if (!values.hasCost) notes.push('no transaction costs recorded: profit equals revenue');
  const base = { segmentation, asOf: values.asOf, windowDays: values.windowDays, customers: n, notes };
  const result = (
    order: readonly string[],
    group: string[],
    details: Record<string, unknown>,
    measures: Record<string, ArrayLike<number>>,
    flags?: Record<string, boolean[]>,
  ): SegmentationResult => ({
    ...base,
    groups: summariseGroups(order, group, values.revenue, values.profit),
    details,
    perCustomer: { customerIds: values.customerIds, group, measures, ...(flags ? { flags } : {}) },
  });

  switch (segmentation) {
    case 'value': {
      const { potential, source } = await potentialValue(engine, values);
      const thresholds = {
        current: options.currentThreshold ?? quantile(values.revenue, 0.5),
        potential: options.potentialThreshold ?? quantile(potential, 0.5),
      };
      const group = valueQuadrants(values.revenue, potential, thresholds);
      return result(
        VALUE_QUADRANTS,
        group,
        { thresholds, potentialSource: source },
        {
          currentValue: values.revenue,
          potentialValue: potential,
        },
      );
    }
    case 'abc': {
      const by = options.by ?? 'revenue';
      const value = by === 'profit' ? values.profit : values.revenue;
      const { classes, curve } = abcClasses(values.customerIds, value, {
        ...(options.a ? { a: options.a } : {}),
        ...(options.b ? { b: options.b } : {}),
      });
      return result(
        ['A', 'B', 'C'],
        classes,
        { by, a: options.a ?? 0.8, b: options.b ?? 0.95, curve },
        { [by]: value },
      );
    }
    case 'tiers': {
      const { tiers, highThreshold } = profitTiers(values.profit, options.highShare ?? 0.2);
      const { potential, source } = await potentialValue(engine, values);
      const mgc = mostGrowable(values.profit, potential, values.profit, options.highShare ?? 0.2);
      const counts = {
        MVC: tiers.filter((t) => t === 'high').length,
        MGC: mgc.filter(Boolean).length,
        BZC: tiers.filter((t) => t === 'negative').length,
      };
      return result(
        PROFIT_TIERS,
        tiers,
        { highShare: options.highShare ?? 0.2, highThreshold, potentialSource: source, counts },
        { profit: values.profit, potentialValue: potential },
        { MVC: tiers.map((t) => t === 'high'), MGC: mgc, BZC: tiers.map((t) => t === 'negative') },
      );
    }
    case 'telecom': {
      const { tiers, cutPoints } = telecomTiers(
        values.monthlyRevenue,
        options.telecomAmounts ? { amounts: options.telecomAmounts } : {},
      );
      return result(
        TELECOM_TIERS,
        tiers,
        { cutPoints, cutBy: options.telecomAmounts ? 'amounts' : 'quantiles 30/55/75/90/97 %' },
        {
          monthlyRevenue: values.monthlyRevenue,
        },
      );
    }
    case 'frequency-aov': {
      const buyers = values.frequency.map((f) => f).filter((f) => f > 0);
      const aovBuyers = values.averageOrderValue.filter((_, i) => values.frequency[i]! > 0);
      const thresholds = {
        frequency: options.frequencyThreshold ?? quantile(buyers, 0.5),
        aov: options.aovThreshold ?? quantile(aovBuyers, 0.5),
      };
      const group = frequencyAovQuadrants(values.frequency, values.averageOrderValue, thresholds);
      return result(
        FREQUENCY_AOV_GROUPS,
        group,
        { thresholds },
        {
          frequency: values.frequency,
          averageOrderValue: values.averageOrderValue,
        },
      );
    }
    default:
      throw new UserError(`unknown segmentation "${String(segmentation)}" (${SEGMENTATIONS.join(', ')})`);
  }
}
