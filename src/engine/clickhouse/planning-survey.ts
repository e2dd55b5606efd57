import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { SurveySummary, SurveySummaryOptions } from '../planning-types.js';

export function chSurveySummary(
  _engine: ClickHouseEngine,
  _options: SurveySummaryOptions,
): Promise<SurveySummary> {
  return notOnClickHouse('survey summaries');
}
