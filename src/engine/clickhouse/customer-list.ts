import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { CustomerDetail, CustomerList, CustomerListQuery } from '../customer-list-types.js';

export function chCustomerList(_engine: ClickHouseEngine, _query: CustomerListQuery): Promise<CustomerList> {
  return notOnClickHouse('customer lists');
}

export function chCustomerDetail(
  _engine: ClickHouseEngine,
  _customerId: string,
): Promise<CustomerDetail | null> {
  return notOnClickHouse('customer lists');
}
