/**
 * Cross-engine test data: the same data set in a DuckDB workspace file and in a ClickHouse database on the
 * test cluster (two shards on loopback, test/clickhouse-setup.ts). Each twin gets its own database name,
 * dropped first on every shard, so test files never see each other's rows.
 */
import { inject } from 'vitest';
import { createClient, ClickHouseLogLevel } from '@clickhouse/client';
import type { Engine } from '../../../src/engine/engine.js';
import { ClickHouseEngine } from '../../../src/engine/clickhouse/clickhouse-engine.js';
import { generateDemo } from '../../../src/demo/index.js';
import { importCdnowSample, tempWorkspace } from '../../helpers.js';

export const clickhouse = inject('clickhouse');

// CI installs Debian's clickhouse-server (.ci/run) and sets RETAIN_CI: there these tests must run
if (process.env.RETAIN_CI && !clickhouse)
  throw new Error('RETAIN_CI is set but no clickhouse-server was found: .ci/run should have installed it');

/** Drop a database on every server of the test cluster. */
export async function dropDatabase(database: string): Promise<void> {
  for (const s of clickhouse!.shards) {
    const c = createClient({ url: s.httpUrl, log: { level: ClickHouseLogLevel.OFF } });
    try {
      await c.command({ query: `DROP DATABASE IF EXISTS \`${database}\`` });
    } finally {
      await c.close();
    }
  }
}

/** A fresh ClickHouse workspace on the two-shard test cluster (or on the first server alone). */
export async function openClickHouse(database: string, cluster = true): Promise<ClickHouseEngine> {
  await dropDatabase(database);
  const engine = await ClickHouseEngine.open({
    urls: cluster ? clickhouse!.shards.map((s) => s.httpUrl) : [clickhouse!.shards[0]!.httpUrl],
    database,
    cluster: cluster ? clickhouse!.cluster : null,
  });
  await engine.migrate();
  return engine;
}

export interface Twins {
  readonly duck: Engine;
  readonly ch: ClickHouseEngine;
  close(): Promise<void>;
}

async function twins(database: string, load: (engine: Engine) => Promise<unknown>): Promise<Twins> {
  const ws = await tempWorkspace();
  const ch = await openClickHouse(database);
  await load(ws.engine);
  await load(ch);
  return {
    duck: ws.engine,
    ch,
    close: async () => {
      await ws.cleanup();
      await ch.close();
      await dropDatabase(database);
    },
  };
}

/** The demo (seeded) in both engines. */
export function demoTwins(database: string, customers = 2000, seed = 7): Promise<Twins> {
  return twins(database, (e) => generateDemo(e, { customers, seed }));
}

/** The CDNOW 1/10 sample (2,357 customers, 6,919 purchases) imported into both engines. */
export function cdnowTwins(database: string): Promise<Twins> {
  return twins(database, importCdnowSample);
}

/** `a` and `b` equal within `rel` relative difference (absolute below 1), else a message saying where. */
export function closeTo(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
