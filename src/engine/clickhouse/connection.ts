/**
 * The ClickHouse connection of a workspace: an HTTP client for the entry server (where queries start and
 * the workspace's small tables live) and one per shard (schema changes and shard-local steps of imports
 * run on every shard: without ZooKeeper `ON CLUSTER` is not available).
 *
 * Tables come in two kinds (see schema.ts):
 * - sharded: a MergeTree table `<name>_local` on every shard plus, on a cluster, a Distributed table
 *   `<name>` over them, sharded by `cityHash64(customer_id)`, so every customer's rows sit on one shard and
 *   per-customer aggregation runs shard-local. Without a cluster `<name>` resolves to `<name>_local`.
 * - entry: one table on the entry server only (fits, tokens, jobs, plans...). A query that joins one with
 *   a sharded table must use `GLOBAL JOIN` / `GLOBAL IN` (the shards have no copy).
 *
 * Every query runs with synchronous distributed inserts and `distributed_product_mode = 'local'` (a
 * sharded table inside a subquery or JOIN of a distributed query reads the shard's own part: correct,
 * because every table is sharded by customer).
 */
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import type { Readable } from 'node:stream';
import { UserError } from '../../util/errors.js';
import type { Row } from '../engine.js';
import { chIdent, chString } from './sql.js';
import { decodeRowBinary, type RowBinaryType } from './row-binary.js';

/** Where a ClickHouse workspace lives. Credentials come from the environment, never from arguments. */
export interface ClickHouseTarget {
  /** The entry server's HTTP URL; on a cluster, optionally every shard's URL (comma-separated list). */
  readonly urls: readonly string[];
  readonly database: string;
  /** A cluster from the servers' `<remote_servers>`; null for one server. */
  readonly cluster: string | null;
  readonly username?: string;
  readonly password?: string;
}

/** Settings of every request (strings: the HTTP interface takes them as URL parameters). */
const SETTINGS = {
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_denormals: 0,
  insert_distributed_sync: 1,
  distributed_product_mode: 'local',
  join_use_nulls: 1,
} as const;

export type ChSettings = Record<string, string | number>;

/** `RETAIN_TRACE_SQL=1` prints every statement's time to stderr, as on DuckDB. */
const TRACE = process.env.RETAIN_TRACE_SQL === '1';

function newClient(url: string, target: ClickHouseTarget, withDatabase = true): ClickHouseClient {
  return createClient({
    url,
    // unqualified names in `query()` are the workspace's tables
    ...(withDatabase ? { database: target.database } : {}),
    username: target.username ?? 'default',
    password: target.password ?? '',
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 3_600_000,
    compression: { response: true, request: false },
    clickhouse_settings: SETTINGS as never,
  });
}

/** A URL with its user and password removed, for messages and `location`. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

/** The first line of a ClickHouse error, without its stack trace. */
export function chErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')[0]!
    .replace(/, Stack trace:.*$/, '')
    .slice(0, 500);
}

export class ChConnection {
  private constructor(
    readonly target: ClickHouseTarget,
    /** Clients by shard (index 0 is the entry server); one client without a cluster. */
    readonly shards: readonly ClickHouseClient[],
  ) {}

  get entry(): ClickHouseClient {
    return this.shards[0]!;
  }

  get cluster(): string | null {
    return this.target.cluster;
  }

  /** Connect, create the database, and on a cluster find every shard's HTTP URL. */
  static async connect(target: ClickHouseTarget): Promise<ChConnection> {
    chIdent(target.database);
    if (target.cluster !== null) chIdent(target.cluster);
    if (target.urls.length === 0) throw new UserError('--url is needed with --engine clickhouse');
    const boot = newClient(target.urls[0]!, target, false);
    try {
      const ping = await boot.ping();
      if (!ping.success) throw ping.error;
      if (target.cluster === null) {
        if (target.urls.length > 1)
          throw new UserError('several ClickHouse URLs need a --cluster that lists them as shards');
        await createDatabase(boot, target);
        return new ChConnection(target, [newClient(target.urls[0]!, target)]);
      }
      const shardUrls = await findShardUrls(boot, target);
      for (const url of shardUrls) {
        const c = newClient(url, target, false);
        try {
          await createDatabase(c, target);
        } finally {
          await c.close();
        }
      }
      return new ChConnection(
        target,
        shardUrls.map((url) => newClient(url, target)),
      );
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot reach ClickHouse at ${safeUrl(target.urls[0]!)}: ${chErrorMessage(error)}`);
    } finally {
      await boot.close();
    }
  }

  /** A table by its workspace name: `<db>.<name>`, the Distributed table of a sharded one. */
  t(name: string): string {
    return `${chIdent(this.target.database)}.${chIdent(this.cluster === null && SHARDED.has(name) ? `${name}_local` : name)}`;
  }

  /** The shard-local table of a sharded table (for steps that run on every shard). */
  local(name: string): string {
    if (!SHARDED.has(name)) throw new Error(`${name} is not a sharded table`);
    return `${chIdent(this.target.database)}.${chIdent(`${name}_local`)}`;
  }

  /** Rows of a query on the entry server, as plain objects (JSONEachRow; numbers as numbers). */
  async query(sql: string, settings: ChSettings = {}): Promise<Row[]> {
    return this.queryOn(this.entry, sql, settings);
  }

  async queryOn(client: ClickHouseClient, sql: string, settings: ChSettings = {}): Promise<Row[]> {
    const t0 = TRACE ? performance.now() : 0;
    try {
      const rs = await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings });
      const rows = await rs.json<Row>();
      if (TRACE) trace(sql, t0);
      return rows;
    } catch (error) {
      throw queryError(error, sql);
    }
  }

  /** Run a statement on the entry server. */
  command(sql: string, settings: ChSettings = {}): Promise<void> {
    return this.exec(this.entry, sql, settings);
  }

  async exec(client: ClickHouseClient, sql: string, settings: ChSettings = {}): Promise<void> {
    const t0 = TRACE ? performance.now() : 0;
    try {
      await client.command({ query: sql, clickhouse_settings: settings });
      if (TRACE) trace(sql, t0);
    } catch (error) {
      throw queryError(error, sql);
    }
  }

  /** Run `work` once per shard (in parallel); results in shard order. */
  onShards<T>(work: (client: ClickHouseClient, shard: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.shards.map((c, i) => work(c, i)));
  }

  /** Run a statement on every shard (schema, shard-local import steps). */
  async commandOnShards(sql: string, settings: ChSettings = {}): Promise<void> {
    await this.onShards((c) => this.exec(c, sql, settings));
  }

  /** Stream rows in a text format (`TabSeparated`, `CSV`, `JSONEachRow`) into a table. */
  async insertStream(
    table: string,
    format: 'TabSeparated' | 'CSV' | 'JSONEachRow',
    rows: Readable,
  ): Promise<void> {
    try {
      await this.entry.insert({ table, values: rows, format });
    } catch (error) {
      throw queryError(error, `INSERT INTO ${table}`);
    }
  }

  /** Insert rows given as objects (small batches: workspace records). */
  async insertRows(table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.entry.insert({ table, values: rows as Row[], format: 'JSONEachRow' });
    } catch (error) {
      throw queryError(error, `INSERT INTO ${table}`);
    }
  }

  /** A large result in RowBinary, decoded by column type (the fastest way to bring many rows to Node). */
  async rowBinary(
    sql: string,
    types: readonly RowBinaryType[],
    settings: ChSettings = {},
  ): Promise<unknown[][]> {
    const t0 = TRACE ? performance.now() : 0;
    try {
      const { stream } = await this.entry.exec({
        query: `${sql} FORMAT RowBinary`,
        clickhouse_settings: settings,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      if (TRACE) trace(sql, t0);
      return decodeRowBinary(Buffer.concat(chunks), types);
    } catch (error) {
      throw queryError(error, sql);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((c) => c.close()));
  }
}

/**
 * Settings for a large per-customer GROUP BY run on one shard's local tables: spill to disk past 1 GB
 * rather than hit the server's per-query memory limit. Not for queries over Distributed tables: there
 * 18.16 fails with "Empty query".
 */
export const SPILL_TO_DISK: ChSettings = {
  max_bytes_before_external_group_by: 1_000_000_000,
  max_bytes_before_external_sort: 1_000_000_000,
};

/** Tables split over the shards by customer (schema.ts creates them); the others live on the entry server. */
export const SHARDED = new Set([
  'customers',
  'transactions',
  'subscriptions',
  'churn_events',
  'interactions',
  'contacts',
  'lifecycle_history',
  'customer_alerts',
  'churn_scores',
  'clv_predictions',
]);

function trace(sql: string, t0: number): void {
  process.stderr.write(
    `[ch ${(performance.now() - t0).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 100)}\n`,
  );
}

function queryError(error: unknown, sql: string): Error {
  const e = new Error(
    `ClickHouse: ${chErrorMessage(error)}\n  in: ${sql.replace(/\s+/g, ' ').slice(0, 300)}`,
  );
  (e as Error & { cause?: unknown }).cause = error;
  return e;
}

async function createDatabase(client: ClickHouseClient, target: ClickHouseTarget): Promise<void> {
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${chIdent(target.database)}` });
  } catch (error) {
    throw new UserError(`cannot create the ClickHouse database ${target.database}: ${chErrorMessage(error)}`);
  }
}

/**
 * The HTTP URL of every shard of the cluster, in shard order. Each given URL says which shard it is
 * (`is_local` in system.clusters); shards without a given URL are reached at their host with the entry
 * URL's scheme and port (servers of one cluster usually share the HTTP port).
 */
async function findShardUrls(entry: ClickHouseClient, target: ClickHouseTarget): Promise<string[]> {
  const cluster = target.cluster!;
  const listed = await entry.query({
    query: `SELECT shard_num, any(host_address) AS host FROM system.clusters WHERE cluster = ${chString(cluster)}
      GROUP BY shard_num ORDER BY shard_num`,
    format: 'JSONEachRow',
  });
  const shards = await listed.json<{ shard_num: number; host: string }>();
  if (shards.length === 0)
    throw new UserError(`ClickHouse at ${safeUrl(target.urls[0]!)} has no cluster named ${cluster}`);
  const byShard = new Map<number, string>();
  for (const url of target.urls) {
    const c = newClient(url, target, false);
    try {
      const rs = await c.query({
        query: `SELECT shard_num FROM system.clusters WHERE cluster = ${chString(cluster)} AND is_local = 1`,
        format: 'JSONEachRow',
      });
      const own = await rs.json<{ shard_num: number }>();
      if (own.length !== 1)
        throw new UserError(
          `${safeUrl(url)} is not a server of cluster ${cluster} (no shard of it is local)`,
        );
      byShard.set(Number(own[0]!.shard_num), url);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot reach ClickHouse at ${safeUrl(url)}: ${chErrorMessage(error)}`);
    } finally {
      await c.close();
    }
  }
  const entryShard = [...byShard.entries()].find(([, u]) => u === target.urls[0])![0];
  const base = new URL(target.urls[0]!);
  const ordered = shards.map((s) => {
    const given = byShard.get(Number(s.shard_num));
    if (given) return given;
    const u = new URL(base.toString());
    u.hostname = s.host.includes(':') ? `[${s.host}]` : s.host;
    return u.toString();
  });
  // the entry server first: it runs the queries and keeps the workspace's own tables
  const entryIndex = shards.findIndex((s) => Number(s.shard_num) === entryShard);
  return [ordered[entryIndex]!, ...ordered.filter((_, i) => i !== entryIndex)];
}
