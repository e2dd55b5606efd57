import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  LifecycleCount,
  LifecycleHistoryRow,
  LifecycleModel,
  LifecycleOptions,
  LifecycleStages,
  LifecycleTransition,
} from '../lifecycle-types.js';

export function chLifecycleStages(
  _engine: ClickHouseEngine,
  _options: LifecycleOptions,
): Promise<LifecycleStages> {
  return notOnClickHouse('lifecycle stages');
}

export function chLifecycleCounts(
  _engine: ClickHouseEngine,
  _options: LifecycleOptions,
): Promise<LifecycleCount[]> {
  return notOnClickHouse('lifecycle stages');
}

export function chRecordLifecycleHistory(
  _engine: ClickHouseEngine,
  _monthEnds: readonly string[],
  _options: Omit<LifecycleOptions, 'asOf'>,
  _onMonth?: (done: number) => void,
): Promise<number> {
  return notOnClickHouse('lifecycle stages');
}

export function chLifecycleMix(
  _engine: ClickHouseEngine,
  _model: LifecycleModel,
): Promise<LifecycleHistoryRow[]> {
  return notOnClickHouse('lifecycle stages');
}

export function chLifecycleTransitions(
  _engine: ClickHouseEngine,
  _model: LifecycleModel,
  _from: string,
  _to: string,
): Promise<LifecycleTransition[]> {
  return notOnClickHouse('lifecycle stages');
}
