/**
 * A local ClickHouse cluster for tests and development: N `clickhouse-server` processes on loopback, each
 * one shard of a cluster named `retain`.
 *
 * Everything lives under one folder `dir` (the caller's; nothing outside it is written):
 *
 *   dir/shard-1/config.xml   server config: own ports, data paths, logs, and the shared <remote_servers>
 *   dir/shard-1/users.xml    the `default` user, no password, allowed from 127.0.0.1 and ::1 only
 *   dir/shard-1/data/ tmp/ user_files/ log/
 *   dir/shard-1.pid          pid of the running server (removed by stop())
 *   dir/cluster.json         what startCluster() returned (minus stop), for other tools
 *
 * Ports: shard i (0-based) uses basePort + 3i (HTTP), + 3i + 1 (native TCP, the one <remote_servers>
 * names), + 3i + 2 (interserver HTTP). Without `basePort` a random free base is probed, so two runs on one
 * machine do not clash. No ZooKeeper: tables must be created on every server (`ON CLUSTER` fails).
 *
 *   import { startCluster } from './clickhouse-cluster.mjs';
 *   const c = await startCluster({ dir });   // { cluster: 'retain', shards: [{ httpUrl, tcpPort, pid }], stop }
 *   await c.stop();
 *
 * CLI:  node scripts/clickhouse-cluster.mjs start DIR [--shards N] [--base-port P]   (prints cluster.json)
 *       node scripts/clickhouse-cluster.mjs stop DIR
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CLUSTER_NAME = 'retain';
const HOST = '127.0.0.1';
const PORTS_PER_SHARD = 3;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

/** The `clickhouse-server` executable: the first on PATH, else Debian's locations; null when not installed. */
export function findClickHouseServer() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/sbin'];
  for (const d of dirs) {
    const file = join(d, 'clickhouse-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Resolves true when `port` can be bound on loopback right now. */
function portFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => res(true)));
  });
}

async function rangeFree(base, count) {
  for (let p = base; p < base + count; p++) if (!(await portFree(p))) return false;
  return true;
}

/** A random base port in [20000, 32000) (below Linux's ephemeral ports) whose next `count` ports are free. */
async function pickBasePort(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    if (await rangeFree(base, count)) return base;
  }
  throw new Error(`no free range of ${count} ports found on ${HOST}`);
}

const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function remoteServersXml(tcpPorts) {
  const shards = tcpPorts
    .map((port) => `      <shard><replica><host>${HOST}</host><port>${port}</port></replica></shard>`)
    .join('\n');
  return `  <remote_servers>\n    <${CLUSTER_NAME}>\n${shards}\n    </${CLUSTER_NAME}>\n  </remote_servers>`;
}

function configXml(shardDir, ports, remoteServers) {
  const p = (name) => xmlEscape(join(shardDir, name) + '/');
  return `<?xml version="1.0"?>
<!-- written by scripts/clickhouse-cluster.mjs -->
<yandex>
  <logger>
    <level>warning</level>
    <log>${p('log').slice(0, -1)}/server.log</log>
    <errorlog>${p('log').slice(0, -1)}/server.err.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>${HOST}</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>${HOST}</interserver_http_host>
  <path>${p('data')}</path>
  <tmp_path>${p('tmp')}</tmp_path>
  <user_files_path>${p('user_files')}</user_files_path>
  <format_schema_path>${p('format_schemas')}</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <mlock_executable>false</mlock_executable>
${remoteServers}
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<!-- written by scripts/clickhouse-cluster.mjs -->
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks>
        <ip>127.0.0.1</ip>
        <ip>::1</ip>
      </networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;

/** True while `pid` is a live (not zombie) process. */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  try {
    // a zombie (exited, not yet reaped by its parent) counts as stopped
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** True when `pid` is a clickhouse-server (guards against a recycled pid in a stale pid file). */
function isClickHouse(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('clickhouse');
  } catch {
    return existsSync('/proc') ? false : true;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM each pid, wait for all to exit, SIGKILL whatever is left after `timeoutMs`. */
export async function stopPids(pids, timeoutMs = STOP_TIMEOUT_MS) {
  const live = pids.filter((pid) => alive(pid) && isClickHouse(pid));
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (live.some(alive) && Date.now() < deadline) await sleep(25);
  for (const pid of live.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  while (live.some(alive)) await sleep(25);
}

function pidFile(dir, i) {
  return join(dir, `shard-${i + 1}.pid`);
}

/** Stops the servers whose pid files are in `dir` and removes those pid files (nothing else). */
export async function stopClusterDir(dir) {
  const files = [];
  for (let i = 0; existsSync(pidFile(dir, i)); i++) files.push(pidFile(dir, i));
  const pids = files.map((f) => Number(readFileSync(f, 'utf8').trim())).filter((n) => n > 0);
  await stopPids(pids);
  for (const f of files) rmSync(f, { force: true });
}

function errorLogTail(shardDir) {
  for (const f of ['server.err.log', 'server.log']) {
    try {
      const text = readFileSync(join(shardDir, 'log', f), 'utf8').trim();
      if (text) return text.split('\n').slice(-5).join('\n');
    } catch {
      // no log yet
    }
  }
  return '(no log output)';
}

/** Resolves when GET /ping answers, rejects when the process exits first or the timeout passes. */
async function waitReady(httpUrl, child, shardDir, spawnError) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = null;
  child.once('exit', (code, signal) => (exited = signal ?? code));
  while (Date.now() < deadline) {
    if (spawnError()) throw spawnError();
    if (exited !== null)
      throw new Error(`clickhouse-server exited (${exited}) before it was ready:\n${errorLogTail(shardDir)}`);
    try {
      const res = await fetch(`${httpUrl}/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`clickhouse-server at ${httpUrl} not ready after ${READY_TIMEOUT_MS} ms`);
}

/**
 * Starts `shards` clickhouse-server processes forming cluster `retain` (one shard each), with configs and
 * data under `dir`. Returns once every server answers /ping.
 * @param {{ dir: string, shards?: number, basePort?: number, server?: string }} options
 *   `server`: the clickhouse-server executable (default: findClickHouseServer()).
 * @returns {Promise<{ cluster: string, shards: { httpUrl: string, tcpPort: number, pid: number }[],
 *   stop: () => Promise<void> }>}
 */
export async function startCluster({
  dir,
  shards = 2,
  basePort,
  server = findClickHouseServer() ?? undefined,
}) {
  if (!server) throw new Error('clickhouse-server not found (on PATH, /usr/bin or /usr/sbin)');
  if (!Number.isInteger(shards) || shards < 1)
    throw new Error(`shards must be a positive integer: ${shards}`);
  dir = resolve(dir);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < shards; i++) {
    const f = pidFile(dir, i);
    if (existsSync(f) && alive(Number(readFileSync(f, 'utf8').trim())))
      throw new Error(`a server from ${f} is still running: stop it first`);
  }
  const count = shards * PORTS_PER_SHARD;
  if (basePort !== undefined) {
    if (!(await rangeFree(basePort, count)))
      throw new Error(`ports ${basePort}..${basePort + count - 1} are not all free`);
    return launch(dir, shards, basePort, server);
  }
  // a probed port can still be taken by another process before the server binds it: try other ports then
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(dir, shards, await pickBasePort(count), server);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Writes the configs, starts the servers and waits for them; on any failure stops those started. */
async function launch(dir, shards, basePort, server) {
  const ports = Array.from({ length: shards }, (_, i) => ({
    http: basePort + PORTS_PER_SHARD * i,
    tcp: basePort + PORTS_PER_SHARD * i + 1,
    interserver: basePort + PORTS_PER_SHARD * i + 2,
  }));
  const remoteServers = remoteServersXml(ports.map((p) => p.tcp));

  const started = [];
  const stop = () => stopClusterDir(dir);
  try {
    const waits = ports.map((p, i) => {
      const shardDir = join(dir, `shard-${i + 1}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log'])
        mkdirSync(join(shardDir, sub), { recursive: true });
      const config = join(shardDir, 'config.xml');
      writeFileSync(config, configXml(shardDir, p, remoteServers));
      writeFileSync(join(shardDir, 'users.xml'), USERS_XML);
      const child = spawn(server, [`--config-file=${config}`], {
        cwd: shardDir,
        detached: true,
        stdio: 'ignore',
      });
      let spawnError = null;
      child.on('error', (e) => (spawnError = e));
      child.unref();
      if (!child.pid) return Promise.reject(new Error(`could not start ${server}`));
      writeFileSync(pidFile(dir, i), `${child.pid}\n`);
      const httpUrl = `http://${HOST}:${p.http}`;
      started.push({ httpUrl, tcpPort: p.tcp, pid: child.pid });
      return waitReady(httpUrl, child, shardDir, () => spawnError);
    });
    await Promise.all(waits);
  } catch (e) {
    await stop();
    throw e;
  }
  const info = { cluster: CLUSTER_NAME, shards: started };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(info, null, 2) + '\n');
  return { ...info, stop };
}

async function main(argv) {
  const [cmd, dir, ...rest] = argv;
  const opt = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? Number(rest[i + 1]) : undefined;
  };
  if (cmd === 'start' && dir) {
    const c = await startCluster({ dir, shards: opt('--shards') ?? 2, basePort: opt('--base-port') });
    process.stdout.write(JSON.stringify({ cluster: c.cluster, shards: c.shards }, null, 2) + '\n');
  } else if (cmd === 'stop' && dir) {
    await stopClusterDir(resolve(dir));
  } else {
    process.stderr.write(
      'usage: node scripts/clickhouse-cluster.mjs start DIR [--shards N] [--base-port P]\n' +
        '       node scripts/clickhouse-cluster.mjs stop DIR\n',
    );
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
  });
}
