/**
 * Vitest global setup: when clickhouse-server is installed, a two-shard ClickHouse cluster (cluster name
 * `retain`, see scripts/clickhouse-cluster.mjs) runs in a fresh temporary folder for the whole test run.
 * Tests read it with `inject('clickhouse')`: `{ cluster, shards: [{ httpUrl, tcpPort, pid }] }`, or null
 * when clickhouse-server is not installed (tests then skip, except under RETAIN_CI, where they fail).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findClickHouseServer, startCluster, type ClusterShard } from '../scripts/clickhouse-cluster.mjs';

export interface TestClickHouse {
  cluster: string;
  shards: ClusterShard[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    clickhouse: TestClickHouse | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const server = findClickHouseServer();
  if (!server) {
    project.provide('clickhouse', null);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'retain-clickhouse-'));
  let cluster;
  try {
    cluster = await startCluster({ dir, shards: 2, server });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('clickhouse', { cluster: cluster.cluster, shards: cluster.shards });
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
