/**
 * `retain churn score`: every customer at risk on a day scored by a saved model, one probability per
 * horizon with the top reasons, the expected number of churners with an interval, stored in the
 * workspace so that later steps (plans, the dashboard) read them.
 */
import type { Engine } from '../../engine/engine.js';
import type { ChurnRateHistoryRow } from '../../engine/churn-types.js';
import type { FeatureTable } from '../../models/learn/feature-table.js';
import { churnCountForecast, type ChurnCountForecast } from '../../models/churn-count-forecast.js';
import { UserError } from '../../util/errors.js';
import type { ChurnReason } from './churn-learner.js';
import type { LoadedChurnModel } from './churn-model-file.js';
import { featureTableOf } from './workspace-table.js';
import { churnReasons } from './churn-reasons.js';

export interface ChurnScoreOptions {
  /** Default: the last data day. */
  readonly asOf?: string;
  /** Reasons kept per customer and horizon (default 3). */
  readonly top?: number;
  /** Store the scores in the workspace (default true). */
  readonly save?: boolean;
  /** Customers to list, highest first by the first horizon (default 20). */
  readonly list?: number;
  /** Interval level of the churner count (default 0.9). */
  readonly level?: number;
  /** Past periods that measure how much the churn rate moves (default 6; 0: chance only). */
  readonly driftPeriods?: number;
  /** A name for the stored scores' `model` column (e.g. the file name). */
  readonly modelName?: string;
  readonly perCustomer?: boolean;
}

export interface HorizonScores {
  readonly horizonDays: number;
  readonly kind: string;
  readonly meanProbability: number;
  /** Expected churners within the horizon, with its interval (chance and rate drift). */
  readonly churners: ChurnCountForecast;
}

export interface ListedChurnScore {
  readonly customerId: string;
  /** By horizon, in the order of `horizons`. */
  readonly probabilities: readonly number[];
  /** Reasons for the first horizon. */
  readonly reasons: readonly ChurnReason[];
}

export interface ChurnScoreReport {
  readonly asOf: string;
  readonly customers: number;
  readonly population: string;
  readonly horizons: readonly HorizonScores[];
  readonly list: readonly ListedChurnScore[];
  readonly saved: boolean;
  readonly perCustomer: {
    readonly customerIds: readonly string[];
    readonly probabilities: readonly Float64Array[];
    readonly reasons: readonly string[];
  } | null;
}

/** Reasons as short text: `complaints_90d=3 (+0.82)`. */
export function reasonText(reasons: readonly ChurnReason[]): string {
  return reasons
    .map((r) => `${r.column}=${r.value === '' ? 'missing' : r.value} (+${r.contribution.toFixed(2)})`)
    .join('; ');
}

export async function scoreChurn(
  engine: Engine,
  loaded: LoadedChurnModel,
  options: ChurnScoreOptions = {},
): Promise<ChurnScoreReport> {
  const doc = loaded.document;
  if (doc.source.type !== 'workspace')
    throw new UserError(
      'this model was trained on a table: score a table with `retain churn score --table FILE`',
    );
  const top = options.top ?? 3;
  const cols = await engine.churnFeatures({
    horizonDays: null,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    lostDays: doc.source.lostDays,
  });
  const features = featureTableOf(cols, new Set(doc.exclude));
  checkColumns(loaded, features);
  const n = cols.customerIds.length;
  const probabilities = loaded.fitted.map((m) => m.predict(features));
  const horizons: HorizonScores[] = [];
  for (const [k, entry] of doc.models.entries()) {
    const p = probabilities[k]!;
    const history = await pastPeriods(
      engine,
      cols.asOf,
      entry.horizonDays!,
      options.driftPeriods ?? 6,
      doc.source.lostDays,
    );
    horizons.push({
      horizonDays: entry.horizonDays!,
      kind: entry.kind,
      meanProbability: n > 0 ? p.reduce((a, b) => a + b, 0) / n : 0,
      churners: churnCountForecast(p, history, options.level ?? 0.9),
    });
  }
  const needReasons = options.save !== false || options.perCustomer;
  const reasons = needReasons
    ? await Promise.all(loaded.fitted.map((m) => churnReasons(m, features, top)))
    : null;
  if (options.save !== false)
    for (const [k, entry] of doc.models.entries())
      await engine.saveChurnScores({
        asOf: cols.asOf,
        horizonDays: entry.horizonDays!,
        model: `${entry.kind}${options.modelName ? ` ${options.modelName}` : ''}`,
        customerIds: cols.customerIds,
        probabilities: probabilities[k]!,
        reasons: reasons![k]!.map((r) => JSON.stringify(r)),
      });
  const listSize = Math.min(n, options.list ?? 20);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      probabilities[0]![b]! - probabilities[0]![a]! || (cols.customerIds[a]! < cols.customerIds[b]! ? -1 : 1),
  );
  const chosen = order.slice(0, listSize);
  const listReasons = reasons
    ? chosen.map((i) => reasons[0]![i]!)
    : loaded.fitted[0]!.reasons(subset(features, chosen), top);
  return {
    asOf: cols.asOf,
    customers: n,
    population: cols.population,
    horizons,
    list: chosen.map((i, j) => ({
      customerId: cols.customerIds[i]!,
      probabilities: probabilities.map((p) => p[i]!),
      reasons: listReasons[j]!,
    })),
    saved: options.save !== false,
    perCustomer: options.perCustomer
      ? { customerIds: cols.customerIds, probabilities, reasons: reasons![0]!.map(reasonText) }
      : null,
  };
}

/** The past periods of a horizon before a day (none when asked for none). */
export async function pastPeriods(
  engine: Engine,
  asOf: string,
  horizonDays: number,
  periods: number,
  lostDays?: number,
): Promise<ChurnRateHistoryRow[]> {
  if (periods <= 0) return [];
  return engine.churnRateHistory({
    asOf,
    horizonDays,
    periods,
    ...(lostDays !== undefined ? { lostDays } : {}),
  });
}

function subset(table: FeatureTable, rows: readonly number[]): FeatureTable {
  return {
    rows: rows.length,
    columns: table.columns.map((c) =>
      c.kind === 'numeric'
        ? { ...c, values: Float64Array.from(rows, (i) => c.values[i]!) }
        : { ...c, codes: Int32Array.from(rows, (i) => c.codes[i]!) },
    ),
  };
}

/** Every column a model reads must be among the features (a clear error instead of the learner's). */
export function checkColumns(loaded: LoadedChurnModel, features: FeatureTable): void {
  const have = new Set(features.columns.map((c) => c.name));
  for (const m of loaded.fitted) {
    const missing = m.columns.filter((c) => !have.has(c));
    if (missing.length > 0)
      throw new UserError(
        `the model reads column(s) ${missing.join(', ')} that the data does not have (features: ${[...have].join(', ')})`,
      );
  }
}
