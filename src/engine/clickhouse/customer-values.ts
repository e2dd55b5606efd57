import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { CustomerValueOptions, CustomerValues } from '../customer-value-types.js';

export function chCustomerValues(
  _engine: ClickHouseEngine,
  _options: CustomerValueOptions,
): Promise<CustomerValues> {
  return notOnClickHouse('customer values');
}
