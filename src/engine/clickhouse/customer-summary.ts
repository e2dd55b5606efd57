import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { CustomerSummary, SummaryOptions } from '../summary-types.js';

export function chCustomerSummary(
  _engine: ClickHouseEngine,
  _options: SummaryOptions,
): Promise<CustomerSummary> {
  return notOnClickHouse('per-customer CLV summaries');
}
