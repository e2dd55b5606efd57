import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { GroupAlertStats, GroupAlertStatsOptions } from '../alert-types.js';

export function chGroupAlertStats(
  _engine: ClickHouseEngine,
  _options: GroupAlertStatsOptions,
): Promise<GroupAlertStats> {
  return notOnClickHouse('group warnings');
}
