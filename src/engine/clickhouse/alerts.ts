import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  AlertRun,
  CustomerAlertOptions,
  CustomerAlertResult,
  StoredGroupAlert,
} from '../alert-types.js';

export function chCustomerAlerts(
  _engine: ClickHouseEngine,
  _options: CustomerAlertOptions,
): Promise<CustomerAlertResult> {
  return notOnClickHouse('customer warnings');
}

export function chSaveGroupAlerts(
  _engine: ClickHouseEngine,
  _asOf: string,
  _alerts: readonly StoredGroupAlert[],
): Promise<void> {
  return notOnClickHouse('customer warnings');
}

export function chPreviousGroupAlerts(
  _engine: ClickHouseEngine,
  _asOf: string,
): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null> {
  return notOnClickHouse('customer warnings');
}

export function chAlertRuns(_engine: ClickHouseEngine): Promise<AlertRun[]> {
  return notOnClickHouse('customer warnings');
}
