// The REST API under load: N customers (default 1,000,000) of the seeded demo, with month-end lifecycle
// stages of the last three months and stored 90-day churn scores, served by `retain serve` (a child
// process on the loopback address, a viewer token); then C concurrent clients (default 100), each
// replaying a dashboard mix of GET requests back to back, for a warm-up and then a measured window.
// Prints one JSON line: per route and overall requests, errors, p50/p95/p99/max latency, throughput, and
// the server's peak RSS. Needs `npm run build`.
//
//   node bench/api-load.mjs [customers] [seconds]
//   env: API_LOAD_CLIENTS (100), API_LOAD_WARMUP (warm-up seconds, 30), API_LOAD_SEED (42),
//        API_LOAD_THINK_MS (a client's pause between requests, uniform in 0..2x this; default 0),
//        API_LOAD_SERVER (another build's cli/main.js to serve with, for before/after comparisons)
//
// The prepared workspace is kept in the OS temp folder, keyed by scale and seed, and reused by later runs
// (delete `retain-api-load-<customers>-seed<seed>` there to start afresh).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const CLI = join(here, '..', 'dist', 'cli', 'main.js');
const customers = Number(process.argv[2] ?? 1_000_000);
const seconds = Number(process.argv[3] ?? 60);
const clients = Number(process.env.API_LOAD_CLIENTS ?? 100);
const warmupSeconds = Number(process.env.API_LOAD_WARMUP ?? 30);
const thinkMs = Number(process.env.API_LOAD_THINK_MS ?? 0);
const seed = Number(process.env.API_LOAD_SEED ?? 42);
for (const [name, value] of Object.entries({ customers, seconds, clients, warmupSeconds, seed, thinkMs }))
  if (!Number.isSafeInteger(value) || value < (name === 'warmupSeconds' || name === 'thinkMs' ? 0 : 1)) {
    console.error(`usage: node bench/api-load.mjs [customers] [seconds]   (bad ${name}: ${value})`);
    process.exit(1);
  }
/** A request still unanswered this long after its start counts as an error (timeout). */
const REQUEST_TIMEOUT_MS = 120_000;

const log = (message) => process.stderr.write(`api-load: ${message}\n`);

function cli(db, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`retain ${args.join(' ')}: ${r.stderr}`);
  log(`retain ${args.join(' ')}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r.stdout;
}

/** The demo workspace with what the dashboard shows: month-end stages and stored churn scores. */
function prepareWorkspace() {
  const dir = join(tmpdir(), `retain-api-load-${customers}-seed${seed}`);
  const db = join(dir, 'demo.duckdb');
  const readyFile = join(dir, 'ready.json');
  if (existsSync(readyFile)) return { db, ...JSON.parse(readFileSync(readyFile, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  cli(db, ['demo', '--customers', String(customers), '--seed', String(seed)]);
  cli(db, ['lifecycle', 'history', '--from', '2025-10', '--to', '2025-12']);
  const model = join(dir, 'churn-90.json');
  cli(db, ['churn', 'train', '--horizon', '90', '--model', 'logistic', '--save', model]);
  cli(db, ['churn', 'score', '--model', model]);
  const { token } = JSON.parse(
    cli(db, ['token', 'create', '--name', 'api-load', '--role', 'viewer', '--json']),
  );
  const ready = { token, prepareSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
  writeFileSync(readyFile, JSON.stringify(ready));
  return { db, ...ready };
}

/** `retain serve` on a free loopback port; resolves once it prints its address. */
function startServer(db) {
  const server = process.env.API_LOAD_SERVER || CLI;
  const child = spawn(process.execPath, [server, '--db', db, 'serve', '--port', '0', '--no-dashboard'], {
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const m = /retain serve: (http:\/\/[^/\s]+)\//.exec(text);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`retain serve exited (${code}): ${text}`)));
  });
}

/** Peak resident memory of a process (Linux), in MB. */
function peakRssMB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const randomInt = (n) => Math.floor(Math.random() * n);
const pick = (items) => items[randomInt(items.length)];

/**
 * The dashboard's requests with their share of a session: the overview's calls (info, lifecycle, RFM,
 * value segments, alerts, the stage mix), the segments page, customer list pages (random offsets, some
 * searches, some sorted by revenue), customer records, churn score pages, and health checks.
 */
function requestMix(total, ids) {
  const page = (limit) => randomInt(Math.max(1, Math.floor(total / limit))) * limit;
  return [
    [4, 'GET /api/health', () => '/api/health'],
    [5, 'GET /api/info', () => '/api/info'],
    [18, 'GET /api/customers (page)', () => `/api/customers?limit=50&offset=${page(50)}`],
    [
      6,
      'GET /api/customers (search)',
      () => `/api/customers?limit=50&search=${encodeURIComponent(pick(ids).slice(0, -2))}`,
    ],
    [
      6,
      'GET /api/customers (by revenue)',
      () => `/api/customers?limit=50&sort=revenue&offset=${page(50) % 5000}`,
    ],
    [18, 'GET /api/customers/:id', () => `/api/customers/${encodeURIComponent(pick(ids))}`],
    [5, 'GET /api/lifecycle', () => '/api/lifecycle?model=states'],
    [5, 'GET /api/rfm', () => '/api/rfm'],
    [4, 'GET /api/segments/value', () => '/api/segments/value'],
    [2, 'GET /api/segments/abc', () => '/api/segments/abc'],
    [4, 'GET /api/lifecycle/mix', () => '/api/lifecycle/mix?model=states'],
    [5, 'GET /api/alerts', () => '/api/alerts'],
    [10, 'GET /api/churn/scores', () => `/api/churn/scores?limit=51&offset=${page(50) % 20000}`],
  ];
}

function chooser(mix) {
  const total = mix.reduce((s, [w]) => s + w, 0);
  return () => {
    let r = Math.random() * total;
    for (const entry of mix) if ((r -= entry[0]) < 0) return entry;
    return mix[mix.length - 1];
  };
}

async function get(url, token) {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  return { status: res.status, body, cache: res.headers.get('x-retain-cache') };
}

/** C clients, each sending its next request as soon as the previous one is answered, until `until`. */
async function drive(base, token, next, until) {
  const samples = [];
  const client = async () => {
    while (performance.now() < until) {
      const [, route, path] = next();
      const t0 = performance.now();
      let ok = false;
      try {
        ok = (await get(base + path(), token)).status === 200;
      } catch {
        ok = false;
      }
      samples.push({ route, ms: performance.now() - t0, ok });
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * thinkMs));
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return samples;
}

const quantile = (sorted, q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : null;
const round = (ms) => (ms === null ? null : Math.round(ms));

function summarise(samples, windowSeconds) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    p50: round(quantile(ms, 0.5)),
    p95: round(quantile(ms, 0.95)),
    p99: round(quantile(ms, 0.99)),
    max: round(ms.at(-1) ?? null),
    perSecond: Number((samples.length / windowSeconds).toFixed(1)),
  };
}

const workspace = prepareWorkspace();
const { child, url } = await startServer(workspace.db);
try {
  const token = workspace.token;
  const probe = await get(`${url}/api/customers?limit=500`, token);
  const total = JSON.parse(probe.body).total;
  // customer ids to look up: a few pages spread over the list (untimed)
  const ids = [];
  for (let i = 0; i < 10; i++) {
    const offset = Math.floor((i * total) / 10);
    const page = JSON.parse((await get(`${url}/api/customers?limit=200&offset=${offset}`, token)).body);
    ids.push(...page.customers.map((c) => c.customerId));
  }
  const next = chooser(requestMix(total, ids));
  log(`${clients} clients: warm-up ${warmupSeconds} s, then ${seconds} s measured`);
  const t0 = performance.now();
  const warm = await drive(url, token, next, t0 + warmupSeconds * 1000);
  const start = performance.now();
  const measured = await drive(url, token, next, start + seconds * 1000);
  // requests still running at the end of the window are waited for and counted
  const window = (performance.now() - start) / 1000;
  const routes = {};
  for (const route of [...new Set(measured.map((s) => s.route))].sort())
    routes[route] = summarise(
      measured.filter((s) => s.route === route),
      window,
    );
  console.log(
    JSON.stringify({
      bench: 'api-load',
      customers,
      clients,
      thinkMs,
      seconds: Number(window.toFixed(1)),
      warmup: { seconds: warmupSeconds, ...summarise(warm, Math.max(warmupSeconds, 1)) },
      ...summarise(measured, window),
      routes,
      peakRssMB: peakRssMB(child.pid),
      responseCache: probe.cache !== null,
      prepareSeconds: workspace.prepareSeconds,
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    }),
  );
} finally {
  // a server still working through abandoned requests is stopped after a grace period
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const grace = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(grace);
}
