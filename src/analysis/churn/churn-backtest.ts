/**
 * Backtests of the churn model and of the churner-count forecast: for each as-of day D, train on the
 * customers at risk on D - H with what happened to them by D (nothing after D is used), score the
 * customers at risk on D, and compare with what happened in (D, D + H]: ranking metrics, and whether
 * the forecast count's interval held the real count.
 */
import type { Engine } from '../../engine/engine.js';
import { churnCountForecast, type ChurnCountForecast } from '../../models/churn-count-forecast.js';
import { pastPeriods } from './churn-score.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import { fitChurnModel, type ChurnModelKind } from './churn-learner.js';
import { churnMetrics } from './churn-metrics.js';
import { featureTableOf } from './workspace-table.js';

export interface ChurnBacktestOptions {
  readonly horizonDays: number;
  readonly dates: readonly string[];
  readonly kind?: ChurnModelKind;
  readonly seed?: number;
  readonly level?: number;
  readonly lostDays?: number;
  /** Past periods measuring the rate drift (default 6; 0: chance only). */
  readonly driftPeriods?: number;
  readonly onDate?: (done: number, total: number) => void;
}

export interface ChurnBacktestRow {
  readonly asOf: string;
  readonly trainedAsOf: string;
  readonly trainCustomers: number;
  readonly customers: number;
  readonly forecast: ChurnCountForecast;
  readonly actual: number;
  readonly withinInterval: boolean;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly brier: number;
  readonly liftTopDecile: number;
}

export interface ChurnBacktest {
  readonly horizonDays: number;
  readonly kind: ChurnModelKind;
  readonly rows: readonly ChurnBacktestRow[];
  /** Share of dates whose interval held the actual count. */
  readonly coverage: number;
  /** Mean of |forecast - actual| / actual. */
  readonly meanAbsolutePercentError: number;
}

const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function backtestChurn(engine: Engine, options: ChurnBacktestOptions): Promise<ChurnBacktest> {
  const H = options.horizonDays;
  if (!(Number.isInteger(H) && H > 0)) throw new UserError('--horizon must be a whole number of days > 0');
  if (options.dates.length === 0) throw new UserError('--dates needs at least one day');
  for (const d of options.dates) checkIsoDate('--dates', d);
  const kind = options.kind ?? 'logistic';
  const lost = options.lostDays !== undefined ? { lostDays: options.lostDays } : {};
  const rows: ChurnBacktestRow[] = [];
  for (const [k, asOf] of options.dates.entries()) {
    const trainedAsOf = shift(asOf, -H);
    const train = await engine.churnFeatures({ asOf: trainedAsOf, horizonDays: H, ...lost });
    const test = await engine.churnFeatures({ asOf, horizonDays: H, ...lost });
    const model = fitChurnModel(
      kind,
      { features: featureTableOf(train), labels: train.labels! },
      {
        seed: options.seed ?? 42,
      },
    );
    const p = model.predict(featureTableOf(test));
    const labels = test.labels!;
    const actual = labels.reduce((a, b) => a + b, 0);
    const history = await pastPeriods(engine, asOf, H, options.driftPeriods ?? 6, options.lostDays);
    const forecast = churnCountForecast(p, history, options.level ?? 0.9);
    const m = churnMetrics(p, labels);
    rows.push({
      asOf,
      trainedAsOf,
      trainCustomers: train.customerIds.length,
      customers: test.customerIds.length,
      forecast,
      actual,
      withinInterval: actual >= forecast.lower && actual <= forecast.upper,
      rocAuc: m.rocAuc,
      prAuc: m.prAuc,
      brier: m.brier,
      liftTopDecile: m.liftTopDecile,
    });
    options.onDate?.(k + 1, options.dates.length);
  }
  return {
    horizonDays: H,
    kind,
    rows,
    coverage: rows.filter((r) => r.withinInterval).length / rows.length,
    meanAbsolutePercentError:
      rows.reduce((a, r) => a + (r.actual > 0 ? Math.abs(r.forecast.expected - r.actual) / r.actual : 0), 0) /
      rows.length,
  };
}
