import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { GroupAlertStats, ProductAlertStatsOptions } from '../alert-types.js';

export function chProductAlertStats(
  _engine: ClickHouseEngine,
  _options: ProductAlertStatsOptions,
): Promise<GroupAlertStats> {
  return notOnClickHouse('product warnings');
}
