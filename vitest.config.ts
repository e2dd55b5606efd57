import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB is multi-threaded itself; running files in parallel on 2 cores only adds contention.
    fileParallelism: false,
    env: { TZ: 'UTC' },
    // a two-shard ClickHouse cluster for the tests when clickhouse-server is installed (test/clickhouse-setup.ts)
    globalSetup: ['test/clickhouse-setup.ts'],
  },
});
