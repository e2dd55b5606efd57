import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { ChurnFlowAggregates, ChurnReportOptions, ChurnerAggregates } from '../report-types.js';

export function chChurnFlow(
  _engine: ClickHouseEngine,
  _options: ChurnReportOptions,
): Promise<ChurnFlowAggregates> {
  return notOnClickHouse('churn reports');
}

export function chChurners(
  _engine: ClickHouseEngine,
  _options: ChurnReportOptions,
): Promise<ChurnerAggregates> {
  return notOnClickHouse('churn reports');
}
