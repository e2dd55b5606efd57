import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  ClvDistribution,
  ClvPredictionBatch,
  ClvPredictionPage,
  ClvPredictionQuery,
} from '../clv-prediction-types.js';

export function chSaveClvPredictions(_engine: ClickHouseEngine, _batch: ClvPredictionBatch): Promise<void> {
  return notOnClickHouse('stored CLV predictions');
}

export function chClvPredictions(
  _engine: ClickHouseEngine,
  _query: ClvPredictionQuery,
): Promise<ClvPredictionPage> {
  return notOnClickHouse('stored CLV predictions');
}

export function chClvDistribution(
  _engine: ClickHouseEngine,
  _bins?: number,
): Promise<ClvDistribution | null> {
  return notOnClickHouse('stored CLV predictions');
}
