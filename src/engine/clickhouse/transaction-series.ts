import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { TransactionSeries, TransactionSeriesOptions } from '../summary-types.js';

export function chTransactionSeries(
  _engine: ClickHouseEngine,
  _options: TransactionSeriesOptions,
): Promise<TransactionSeries> {
  return notOnClickHouse('transaction series');
}
