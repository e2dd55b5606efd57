import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { PlanningCustomerOptions, PlanningCustomers } from '../planning-types.js';

export function chPlanningCustomers(
  _engine: ClickHouseEngine,
  _options: PlanningCustomerOptions,
): Promise<PlanningCustomers> {
  return notOnClickHouse('retention planning');
}
