// `npm run bench`: every benchmark at its stated scale, one after the other (never in parallel: 2 cores).
// Prints each result as a JSON line, then a Markdown table to paste into docs/benchmarks.md.
// `node bench/run.mjs api-load` (or any part of the script names) runs only the benchmarks named.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

const here = new URL('.', import.meta.url).pathname;
const benches = [
  ['import.mjs', '10000000'],
  ['demo.mjs', '1000000'],
  ['clv.mjs', '1000000', '3'],
  ['clv.mjs', '10000000'],
  ['analytics.mjs', '1000000'],
  ['gbdt.mjs', '1000000'],
  ['survival.mjs', '10000000'],
  ['planning.mjs', '1000000'],
  ['api-load.mjs', '1000000'],
];
// `npm run bench -- --engine clickhouse`: the same analyses on DuckDB and on a local two-shard ClickHouse
// cluster (bench/engines.mjs) at 1M and 10M customers, instead of the embedded benchmarks.
const argv = process.argv.slice(2);
const engineAt = argv.indexOf('--engine');
const engine = engineAt >= 0 ? argv.splice(engineAt, 2)[1] : 'duckdb';
if (engine !== 'duckdb' && engine !== 'clickhouse') {
  console.error(`--engine must be duckdb or clickhouse, not ${engine}`);
  process.exit(1);
}
const planned =
  engine === 'clickhouse'
    ? [
        ['engines.mjs', '1000000'],
        ['engines.mjs', '10000000'],
      ]
    : benches;
const only = argv;
const results = [];
for (const [script, ...args] of planned) {
  if (only.length > 0 && !only.some((name) => script.includes(name) || args.includes(name))) continue;
  const r = spawnSync(process.execPath, [here + script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(`bench ${script} failed`);
    process.exit(1);
  }
  for (const line of r.stdout.trim().split('\n')) {
    console.log(line);
    results.push(JSON.parse(line));
  }
}
console.log(
  `\nMachine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
console.log('| benchmark | scale | seconds | throughput |\n| --- | --- | ---: | ---: |');
for (const r of results) {
  if (r.bench === 'engines') {
    const rate = `${Math.round(r.customers / r.seconds).toLocaleString('en-US')} customers/s`;
    console.log(
      `| ${r.step} (${r.engine}) | ${r.customers.toLocaleString('en-US')} customers | ${r.seconds} | ${rate} |`,
    );
    continue;
  }
  if (r.bench === 'gbdt') {
    console.log(
      `| gbdt fit (${r.iterations} trees) | ${r.rows.toLocaleString('en-US')} rows x ${r.features} features; predict ${r.predictSeconds} s; peak ${r.peakRssMB} MB | ${r.fitSeconds} | ${Math.round(r.rows / r.fitSeconds).toLocaleString('en-US')} rows/s |`,
    );
    continue;
  }
  if (r.bench === 'planning') {
    console.log(
      `| retention plan (${r.method}) | ${r.customers.toLocaleString('en-US')} customers, ${r.contacted.toLocaleString('en-US')} contacted, gap to bound ${r.gapToBound}; peak ${r.peakRssMB} MB | ${r.seconds} | ${Math.round(r.customers / r.seconds).toLocaleString('en-US')} customers/s |`,
    );
    continue;
  }
  if (r.bench === 'api-load') {
    console.log(
      `| REST API under load | ${r.customers.toLocaleString('en-US')} customers, ${r.clients} clients, ${r.requests.toLocaleString('en-US')} requests (${r.errors} errors); p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms; server peak ${r.peakRssMB} MB | ${r.seconds} | ${r.perSecond.toLocaleString('en-US')} requests/s |`,
    );
    continue;
  }
  if (r.bench === 'survival') {
    console.log(
      `| Kaplan-Meier | ${r.subjects.toLocaleString('en-US')} subjects; 3 groups + log-rank ${r.groupedWithLogRankSeconds} s; peak ${r.peakRssMB} MB | ${r.overallSeconds} | ${Math.round(r.subjects / r.overallSeconds).toLocaleString('en-US')} subjects/s |`,
    );
    continue;
  }
  const scale =
    r.bench === 'import'
      ? `${r.rows.toLocaleString('en-US')} rows (${r.megabytes} MB CSV)`
      : r.bench === 'clv'
        ? `${r.customers.toLocaleString('en-US')} customers, ${r.transactions.toLocaleString('en-US')} transactions; ` +
          `${Object.entries(r.steps)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}; peak ${r.peakRssMB} MB`
        : `${r.customers.toLocaleString('en-US')} customers`;
  const rate =
    r.bench === 'import'
      ? `${r.rowsPerSecond.toLocaleString('en-US')} rows/s`
      : `${Math.round(r.customers / r.seconds).toLocaleString('en-US')} customers/s`;
  const name = r.bench + (r.case ? `: ${r.case}` : '') + (r.analysis ? `: ${r.analysis}` : '');
  console.log(`| ${name} | ${scale} | ${r.seconds} | ${rate} |`);
}
