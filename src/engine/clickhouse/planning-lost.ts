import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { LostCustomerOptions, LostCustomers } from '../planning-types.js';

export function chLostCustomers(
  _engine: ClickHouseEngine,
  _options: LostCustomerOptions,
): Promise<LostCustomers> {
  return notOnClickHouse('the lost-customer database');
}
