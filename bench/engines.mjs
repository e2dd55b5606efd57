// The embedded DuckDB engine beside ClickHouse on the same data: the demo at N customers (default
// 1,000,000) generated into a DuckDB file and into a ClickHouse database, then the same analyses timed on
// each. ClickHouse is a local two-shard cluster started in a temp folder (scripts/clickhouse-cluster.mjs,
// needs Debian's clickhouse-server), or an existing one: `--url URLS --cluster NAME [--database DB]`;
// `--only duckdb|clickhouse` times one of them.
// One JSON line per (engine, step). Needs `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemo } from '../dist/demo/index.js';
import { openWorkspace } from '../dist/workspace.js';
import { rfmAnalysis } from '../dist/analysis/rfm/rfm-analysis.js';
import { valueSegmentation } from '../dist/analysis/segments/value-segmentation.js';
import { lifecycleAnalysis, monthEnds } from '../dist/analysis/lifecycle/lifecycle-analysis.js';
import { DEFAULT_LIFECYCLE_RULES } from '../dist/engine/lifecycle-types.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../dist/analysis/alerts/rules.js';
import { runAlerts } from '../dist/analysis/alerts/alerts.js';
import { runReport } from '../dist/analysis/reports/run-report.js';
import { builtinReport } from '../dist/analysis/reports/builtin.js';
import { startCluster } from '../scripts/clickhouse-cluster.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    cluster: { type: 'string' },
    database: { type: 'string' },
    // `--only clickhouse` (or duckdb) times one engine
    only: { type: 'string' },
  },
});
const customers = Number(positionals[0] ?? 1_000_000);
const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
const dir = mkdtempSync(join(tmpdir(), 'retain-bench-engines-'));
let cluster = null;
try {
  if (!values.url && values.only !== 'duckdb')
    cluster = await startCluster({ dir: join(dir, 'clickhouse'), shards: 2 });
  const chOptions = () => ({
    engine: 'clickhouse',
    url: values.url ?? cluster.shards.map((s) => s.httpUrl).join(','),
    cluster: values.cluster ?? cluster.cluster,
    database: values.database ?? `retain_bench_${customers}`,
  });
  const engines = [
    ['duckdb', () => openWorkspace({ db: join(dir, 'demo.duckdb') })],
    ['clickhouse', () => openWorkspace(chOptions())],
  ];
  for (const [name, open] of engines.filter(([n]) => !values.only || n === values.only)) {
    const engine = await open();
    const line = (step, fields) =>
      console.log(JSON.stringify({ bench: 'engines', engine: name, step, customers, ...fields, machine }));
    const time = async (step, work) => {
      const t0 = performance.now();
      await work();
      line(step, { seconds: Number(((performance.now() - t0) / 1000).toFixed(2)) });
    };
    try {
      await time('demo data (generate and load)', () => generateDemo(engine, { customers }));
      await time('customer summary (weeks)', () => engine.customerSummary({ timeUnit: 'week' }));
      await time('RFM (scores, segments, summary)', () => rfmAnalysis(engine, {}));
      await time('value segments', () => valueSegmentation(engine, 'value', {}));
      await time('lifecycle (stage and pattern counts)', () =>
        lifecycleAnalysis(engine, { perCustomer: false, alertRules: null }),
      );
      await time('alerts (customer levels)', () =>
        runAlerts(engine, { save: false, groups: false, products: false }),
      );
      await time('alerts (customer levels, group and product warnings)', () =>
        runAlerts(engine, { save: false }),
      );
      await time('lifecycle history (12 month ends recorded)', () =>
        engine.recordLifecycleHistory(monthEnds('2025-01', '2025-12'), {
          rules: DEFAULT_LIFECYCLE_RULES,
          alerts: customerAlertSpec(DEFAULT_ALERT_RULES),
        }),
      );
      await time('churn flow report', () => runReport(engine, builtinReport('churn-flow')));
      await time('churners by reason report', () => runReport(engine, builtinReport('reasons')));
      await time('customer list (top 50 by revenue)', () =>
        engine.customerList({ sort: 'revenue', limit: 50, offset: 0 }),
      );
    } finally {
      await engine.close();
    }
  }
} finally {
  if (cluster) await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
