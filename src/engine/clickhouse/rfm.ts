import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type { RfmOptions, RfmResult } from '../rfm-types.js';

export function chRfm(_engine: ClickHouseEngine, _options: RfmOptions): Promise<RfmResult> {
  return notOnClickHouse('RFM');
}
