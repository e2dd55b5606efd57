/** Types of scripts/clickhouse-cluster.mjs (a local ClickHouse cluster of one shard per server). */
export const CLUSTER_NAME: 'retain';

export interface ClusterShard {
  /** e.g. http://127.0.0.1:41253 (the HTTP interface that @clickhouse/client talks to) */
  httpUrl: string;
  /** the native port, as listed in <remote_servers> */
  tcpPort: number;
  pid: number;
}

export interface Cluster {
  cluster: string;
  shards: ClusterShard[];
  /** SIGTERM to every server (SIGKILL after a timeout), waits for them to exit, removes the pid files. */
  stop(): Promise<void>;
}

/** The clickhouse-server executable (PATH, then /usr/bin, /usr/sbin), or null when not installed. */
export function findClickHouseServer(): string | null;

export function startCluster(options: {
  dir: string;
  shards?: number;
  basePort?: number;
  server?: string;
}): Promise<Cluster>;

/** Stops the servers whose pid files are in `dir` and removes those pid files. */
export function stopClusterDir(dir: string): Promise<void>;

export function stopPids(pids: number[], timeoutMs?: number): Promise<void>;
