import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Engine } from './engine/engine.js';
import { DuckDbEngine } from './engine/duckdb/duckdb-engine.js';
import { ClickHouseEngine } from './engine/clickhouse/clickhouse-engine.js';
import { UserError } from './util/errors.js';

export const DEFAULT_DB = 'retain.duckdb';
export const DEFAULT_CLICKHOUSE_DATABASE = 'retain';

export type EngineKind = 'duckdb' | 'clickhouse';

export interface WorkspaceOptions {
  /** Workspace file; else `RETAIN_DB`; else `./retain.duckdb`. */
  readonly db?: string;
  /** `duckdb` (default, embedded) or `clickhouse`; else `RETAIN_ENGINE`; else the config file's `engine`. */
  readonly engine?: string;
  /** ClickHouse HTTP URL(s), comma-separated (entry server first); else `RETAIN_CLICKHOUSE_URL`. */
  readonly url?: string;
  /** ClickHouse database; else `RETAIN_CLICKHOUSE_DATABASE`; else `retain`. */
  readonly database?: string;
  /** ClickHouse cluster name (from the servers' `<remote_servers>`); else `RETAIN_CLICKHOUSE_CLUSTER`. */
  readonly cluster?: string;
  /**
   * A workspace config file (JSON or YAML: `engine`, `url`, `database`, `cluster`, `db`); else
   * `RETAIN_CONFIG`. Options and environment override it. Never put passwords in it: ClickHouse
   * credentials come from `RETAIN_CLICKHOUSE_USER` / `RETAIN_CLICKHOUSE_PASSWORD` only.
   */
  readonly config?: string;
}

/** The resolved workspace: an embedded DuckDB file or a ClickHouse database. */
export type WorkspaceTarget =
  | { readonly engine: 'duckdb'; readonly db: string }
  | {
      readonly engine: 'clickhouse';
      readonly urls: readonly string[];
      readonly database: string;
      readonly cluster: string | null;
    };

const CONFIG_KEYS = new Set(['engine', 'url', 'database', 'cluster', 'db']);

function readConfig(file: string): Partial<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the workspace config ${file}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new UserError(
      `${file}: the workspace config must be a mapping (engine, url, database, cluster, db)`,
    );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!CONFIG_KEYS.has(k))
      throw new UserError(`${file}: unknown setting "${k}" (known: ${[...CONFIG_KEYS].join(', ')})`);
    if (/password|user/i.test(k)) continue;
    if (typeof v !== 'string') throw new UserError(`${file}: "${k}" must be text`);
    out[k] = v;
  }
  return out;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/** Where the workspace lives, from options, then environment, then the config file, then defaults. */
export function resolveWorkspace(options: WorkspaceOptions = {}): WorkspaceTarget {
  const configFile = options.config ?? env('RETAIN_CONFIG');
  const config = configFile ? readConfig(resolve(configFile)) : {};
  const engine = options.engine ?? env('RETAIN_ENGINE') ?? config.engine ?? 'duckdb';
  if (engine === 'duckdb') return { engine, db: resolveDbPath({ db: options.db ?? config.db }) };
  if (engine !== 'clickhouse') throw new UserError(`--engine must be duckdb or clickhouse, not "${engine}"`);
  const url = options.url ?? env('RETAIN_CLICKHOUSE_URL') ?? config.url;
  if (!url)
    throw new UserError('--engine clickhouse needs --url (or RETAIN_CLICKHOUSE_URL), e.g. http://host:8123');
  const urls = url
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UserError(`--url: not a URL: ${JSON.stringify(u.replace(/\/\/[^@/]*@/, '//'))}`);
    }
    if (parsed.username || parsed.password)
      throw new UserError(
        '--url must not carry credentials: set RETAIN_CLICKHOUSE_USER and RETAIN_CLICKHOUSE_PASSWORD',
      );
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new UserError(`--url must be http:// or https://, not ${parsed.protocol}`);
  }
  return {
    engine,
    urls,
    database:
      options.database ?? env('RETAIN_CLICKHOUSE_DATABASE') ?? config.database ?? DEFAULT_CLICKHOUSE_DATABASE,
    cluster: options.cluster ?? env('RETAIN_CLICKHOUSE_CLUSTER') ?? config.cluster ?? null,
  };
}

export function resolveDbPath(options: Pick<WorkspaceOptions, 'db'> = {}): string {
  return resolve(options.db ?? (process.env.RETAIN_DB || DEFAULT_DB));
}

/** A workspace's place for messages: the file, or the ClickHouse URL(s) and database (no credentials). */
export function describeWorkspace(target: WorkspaceTarget): string {
  if (target.engine === 'duckdb') return target.db;
  const urls = target.urls.map((u) => u.replace(/\/$/, '')).join(',');
  return `${urls} database ${target.database}${target.cluster ? ` cluster ${target.cluster}` : ''}`;
}

/** Open (creating if needed) a workspace and bring its schema to the newest version. */
export async function openWorkspace(options: WorkspaceOptions = {}): Promise<Engine> {
  const target = resolveWorkspace(options);
  let engine: Engine;
  if (target.engine === 'duckdb') {
    try {
      engine = await DuckDbEngine.open(target.db);
    } catch (error) {
      throw new UserError(`cannot open workspace ${target.db}: ${(error as Error).message.split('\n')[0]}`);
    }
  } else {
    engine = await ClickHouseEngine.open({
      ...target,
      ...(env('RETAIN_CLICKHOUSE_USER') ? { username: env('RETAIN_CLICKHOUSE_USER') } : {}),
      ...(env('RETAIN_CLICKHOUSE_PASSWORD') ? { password: env('RETAIN_CLICKHOUSE_PASSWORD') } : {}),
    });
  }
  try {
    await engine.migrate();
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}
