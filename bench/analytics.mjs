// Customer analytics on the demo operator: N customers (default 1,000,000) generated into a temp workspace
// (or an existing demo workspace given as argv[3], kept), then each analysis timed alone. One JSON line each.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../dist/demo/index.js';
import { openWorkspace } from '../dist/workspace.js';
import { rfmAnalysis } from '../dist/analysis/rfm/rfm-analysis.js';
import { valueSegmentation } from '../dist/analysis/segments/value-segmentation.js';
import { lifecycleAnalysis, monthEnds } from '../dist/analysis/lifecycle/lifecycle-analysis.js';
import { DEFAULT_LIFECYCLE_RULES } from '../dist/engine/lifecycle-types.js';
import { runAlerts } from '../dist/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../dist/analysis/alerts/rules.js';

const customers = Number(process.argv[2] ?? 1_000_000);
const existing = process.argv[3];
const dir = existing ? null : mkdtempSync(join(tmpdir(), 'retain-bench-analytics-'));
const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
try {
  const engine = await openWorkspace({ db: existing ?? join(dir, 'demo.duckdb') });
  if (!existing) await generateDemo(engine, { customers });
  const time = async (analysis, work) => {
    const t0 = performance.now();
    await work();
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        bench: 'analytics',
        analysis,
        customers,
        seconds: Number(seconds.toFixed(2)),
        machine,
      }),
    );
  };
  await time('rfm (scores, segments, summary)', () => rfmAnalysis(engine, {}));
  for (const kind of ['value', 'abc', 'tiers', 'telecom', 'frequency-aov'])
    await time(`segment ${kind}`, () => valueSegmentation(engine, kind, {}));
  await time('lifecycle (stage and pattern counts, decline at alerts off)', () =>
    lifecycleAnalysis(engine, { perCustomer: false, alertRules: null }),
  );
  await time('lifecycle (stage and pattern counts)', () => lifecycleAnalysis(engine, { perCustomer: false }));
  await time('lifecycle (every customer with rule, tier and action)', () => lifecycleAnalysis(engine, {}));
  await time('lifecycle history (12 month ends recorded)', () =>
    engine.recordLifecycleHistory(monthEnds('2025-01', '2025-12'), {
      rules: DEFAULT_LIFECYCLE_RULES,
      alerts: customerAlertSpec(DEFAULT_ALERT_RULES),
    }),
  );
  await time('alerts (customer levels only)', () =>
    runAlerts(engine, { save: false, groups: false, products: false }),
  );
  await time('alerts (customer levels, group and product warnings)', () =>
    runAlerts(engine, { save: false }),
  );
  await engine.close();
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
