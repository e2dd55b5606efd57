import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
  ChurnScoreBatch,
  ChurnScoreQuery,
  StoredChurnScorePage,
} from '../churn-types.js';

export function chChurnFeatures(
  _engine: ClickHouseEngine,
  _options: ChurnFeatureOptions,
): Promise<ChurnFeatureColumns> {
  return notOnClickHouse('churn features and scores');
}

export function chStoredChurnProbabilities(
  _engine: ClickHouseEngine,
  _asOf?: string,
): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }> {
  return notOnClickHouse('churn features and scores');
}

export function chChurnRateHistory(
  _engine: ClickHouseEngine,
  _options: ChurnRateHistoryOptions,
): Promise<ChurnRateHistoryRow[]> {
  return notOnClickHouse('churn features and scores');
}

export function chSaveChurnScores(_engine: ClickHouseEngine, _batch: ChurnScoreBatch): Promise<void> {
  return notOnClickHouse('churn features and scores');
}

export function chChurnScores(
  _engine: ClickHouseEngine,
  _options: ChurnScoreQuery,
): Promise<StoredChurnScorePage> {
  return notOnClickHouse('churn features and scores');
}
