import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { SubscriptionCohortOptions, SubscriptionCohorts } from '../summary-types.js';

export function chSubscriptionCohorts(
  _engine: ClickHouseEngine,
  _options: SubscriptionCohortOptions,
): Promise<SubscriptionCohorts> {
  return notOnClickHouse('subscription cohorts');
}
