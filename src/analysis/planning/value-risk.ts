/**
 * Value x risk (DOMAIN 6: risk, time, value): each scored customer's churn probability within the horizon
 * (stored churn scores) times their value = the expected value at risk, and the matrix of risk bands x
 * value tiers with counts, value and value at risk, plus the same by a customer attribute.
 *
 * Value: the CLV over the next year from the newest fitted transaction model (BG/NBD, Pareto/NBD,
 * MBG/NBD, BG/BB; with the newest Gamma-Gamma fit for spend), revenue-based; customers outside the
 * model, and every customer when no model is fitted, take the run rate: net margin (revenue where no cost
 * is recorded) of the last 90 days x 365 / 90. The output says which.
 */
import type { Engine } from '../../engine/engine.js';
import type { PlanGroupAttribute, PlanningCustomers } from '../../engine/planning-types.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../../engine/summary-types.js';
import { UserError } from '../../util/errors.js';
import { predictClv } from '../clv/predict-clv.js';
import { latestFit, latestTransactionFit } from '../clv/stored-fits.js';

export interface ValueRiskOptions {
  readonly asOf?: string;
  /** Churn horizon of the stored scores, days (default 90). */
  readonly horizonDays?: number;
  readonly groupBy?: PlanGroupAttribute;
  /** Use the run rate even when a CLV model is fitted. */
  readonly runRateOnly?: boolean;
}

export interface ValueSource {
  readonly kind: 'clv' | 'run-rate';
  readonly description: string;
  readonly customersFromModel: number;
  readonly customersFromRunRate: number;
}

export interface PlanningPopulation extends PlanningCustomers {
  readonly valueSource: ValueSource;
  readonly notes: readonly string[];
}

const RUN_RATE =
  'run rate: net margin (revenue where no cost is recorded) of the 90 days up to the scores day x 365 / 90';

/** Scored customers with probability and value, the value from the CLV model when there is one. */
export async function planningPopulation(
  engine: Engine,
  options: ValueRiskOptions = {},
): Promise<PlanningPopulation> {
  const horizonDays = options.horizonDays ?? 90;
  if (!(Number.isInteger(horizonDays) && horizonDays > 0))
    throw new UserError('--horizon must be a whole number of days > 0');
  const notes: string[] = [];
  let values: { customerIds: readonly string[]; values: Float64Array } | null = null;
  let model = '';
  if (!options.runRateOnly) {
    const fit = await latestTransactionFit(engine);
    if (fit) {
      const unit = (fit.timeUnit ?? 'week') as TimeUnit;
      const horizon = Math.max(1, Math.round(365.25 / DAYS_PER_UNIT[unit]));
      try {
        const prediction = await predictClv(engine, fit, await latestFit(engine, 'gg'), { horizon });
        values = { customerIds: prediction.perCustomer.customerIds, values: prediction.perCustomer.clv };
        model = `CLV over the next ${horizon} ${unit}s from the ${fit.model} fit${prediction.spendModel === 'gg' ? ' with Gamma-Gamma spend' : ' (mean spend)'}`;
        notes.push(...prediction.notes);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        notes.push(`the CLV model could not predict (${error.message}): using the run rate`);
      }
    }
  }
  const customers = await engine.planningCustomers({
    horizonDays,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.groupBy ? { groupBy: options.groupBy } : {}),
    values,
  });
  let fromModel = 0;
  for (let i = 0; i < customers.fromModel.length; i++) fromModel += customers.fromModel[i]!;
  const n = customers.customerIds.length;
  const valueSource: ValueSource =
    values && fromModel > 0
      ? {
          kind: 'clv',
          description: `${model}; ${n - fromModel} customer(s) outside the model: ${RUN_RATE}`,
          customersFromModel: fromModel,
          customersFromRunRate: n - fromModel,
        }
      : {
          kind: 'run-rate',
          description: `${RUN_RATE} (no CLV model fitted: \`retain clv fit\` for model-based value)`,
          customersFromModel: 0,
          customersFromRunRate: n,
        };
  return { ...customers, valueSource, notes };
}

export const RISK_BANDS = ['high', 'medium', 'low'] as const;
export const VALUE_TIERS = ['high', 'medium', 'low', 'none'] as const;

export interface MatrixCell {
  readonly risk: (typeof RISK_BANDS)[number];
  readonly valueTier: (typeof VALUE_TIERS)[number];
  readonly customers: number;
  readonly value: number;
  readonly valueAtRisk: number;
}

export interface GroupRisk {
  readonly group: string;
  readonly customers: number;
  readonly value: number;
  readonly valueAtRisk: number;
  readonly meanProbability: number;
}

export interface ValueRiskMatrix {
  readonly asOf: string;
  readonly horizonDays: number;
  readonly customers: number;
  readonly probabilitySource: string;
  readonly valueSource: ValueSource;
  /** Probability cut points: low < first <= medium < second <= high. */
  readonly riskBands: readonly [number, number];
  /** Value cut points (thirds of the customers with a positive value): low < first <= medium < second <= high. */
  readonly valueCuts: readonly [number, number];
  readonly totals: {
    readonly value: number;
    readonly valueAtRisk: number;
    readonly expectedChurners: number;
  };
  readonly matrix: readonly MatrixCell[];
  readonly groupBy: PlanGroupAttribute;
  readonly groups: readonly GroupRisk[];
  readonly notes: readonly string[];
}

function quantileOf(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function riskBand(p: number, bands: readonly [number, number]): MatrixCell['risk'] {
  return p >= bands[1] ? 'high' : p >= bands[0] ? 'medium' : 'low';
}

export function valueTier(v: number, cuts: readonly [number, number]): MatrixCell['valueTier'] {
  return v <= 0 ? 'none' : v >= cuts[1] ? 'high' : v >= cuts[0] ? 'medium' : 'low';
}

export function probabilitySource(p: PlanningCustomers): string {
  return `stored churn scores of ${p.asOf}, churn within ${p.horizonDays} days (${p.scoreModels.join(', ') || 'model unknown'})`;
}

/**
 * @example const m = await valueRiskMatrix(engine, { horizonDays: 90, groupBy: 'plan' });
 */
export async function valueRiskMatrix(
  engine: Engine,
  options: ValueRiskOptions & { readonly riskBands?: readonly [number, number] } = {},
): Promise<ValueRiskMatrix> {
  const bands = options.riskBands ?? [0.1, 0.3];
  if (!(bands[0] > 0 && bands[0] < bands[1] && bands[1] <= 1))
    throw new UserError('--risk-bands must be two probabilities, increasing, in (0, 1]');
  const pop = await planningPopulation(engine, options);
  const n = pop.customerIds.length;
  const positive = Float64Array.from(pop.value.filter((v) => v > 0)).sort();
  const cuts: [number, number] = [quantileOf(positive, 1 / 3), quantileOf(positive, 2 / 3)];
  const cells = new Map<string, { customers: number; value: number; valueAtRisk: number }>();
  for (const r of RISK_BANDS)
    for (const t of VALUE_TIERS) cells.set(`${r}|${t}`, { customers: 0, value: 0, valueAtRisk: 0 });
  const groups = new Map<string, { customers: number; value: number; valueAtRisk: number; p: number }>();
  let total = 0;
  let atRisk = 0;
  let churners = 0;
  for (let i = 0; i < n; i++) {
    const p = pop.probability[i]!;
    const v = pop.value[i]!;
    const vr = p * Math.max(0, v);
    const cell = cells.get(`${riskBand(p, bands)}|${valueTier(v, cuts)}`)!;
    cell.customers++;
    cell.value += v;
    cell.valueAtRisk += vr;
    const key = pop.group[i]!;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { customers: 0, value: 0, valueAtRisk: 0, p: 0 }));
    g.customers++;
    g.value += v;
    g.valueAtRisk += vr;
    g.p += p;
    total += v;
    atRisk += vr;
    churners += p;
  }
  return {
    asOf: pop.asOf,
    horizonDays: pop.horizonDays,
    customers: n,
    probabilitySource: probabilitySource(pop),
    valueSource: pop.valueSource,
    riskBands: [bands[0], bands[1]],
    valueCuts: cuts,
    totals: { value: total, valueAtRisk: atRisk, expectedChurners: churners },
    matrix: RISK_BANDS.flatMap((risk) =>
      VALUE_TIERS.map((valueTier) => ({ risk, valueTier, ...cells.get(`${risk}|${valueTier}`)! })),
    ),
    groupBy: options.groupBy ?? 'segment',
    groups: [...groups.entries()]
      .map(([group, g]) => ({
        group,
        customers: g.customers,
        value: g.value,
        valueAtRisk: g.valueAtRisk,
        meanProbability: g.p / g.customers,
      }))
      .sort((a, b) => b.valueAtRisk - a.valueAtRisk || a.group.localeCompare(b.group)),
    notes: pop.notes,
  };
}
