// Retention planning at N customers (default 1,000,000): a synthetic workspace of scored customers with
// one purchase each in the last 90 days (value = run rate), then `planRetention` with a budget. One JSON
// line with the time of the plan alone (SQL join of risk and value, and the optimiser).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openWorkspace } from '../dist/workspace.js';
import { planRetention } from '../dist/analysis/planning/retention-plan.js';

const n = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'retain-bench-planning-'));
try {
  const engine = await openWorkspace({ db: join(dir, 'plan.duckdb') });
  await engine.run(
    `INSERT INTO customers (customer_id, segment) SELECT printf('C%07d', i), ['a', 'b', 'c'][1 + i % 3] FROM range(${n}) t(i)`,
  );
  await engine.run(
    `INSERT INTO transactions (row_key, customer_id, "date", amount)
     SELECT i, printf('C%07d', i), TIMESTAMP '2025-06-01', 10 + (hash(i) % 1000)::DOUBLE FROM range(${n}) t(i)`,
  );
  await engine.run(
    `INSERT INTO churn_scores SELECT DATE '2025-06-30', printf('C%07d', i), 90,
       ((hash(i * 7 + 1) % 10000) / 10000.0)::DOUBLE, '[]', 'synthetic' FROM range(${n}) t(i)`,
  );
  const t0 = performance.now();
  const plan = await planRetention(engine, { budget: n / 2, save: false });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      bench: 'planning',
      customers: n,
      seconds: Number(seconds.toFixed(2)),
      method: plan.method,
      contacted: plan.contacted,
      gapToBound: Number(((plan.upperBound - plan.expectedNet) / plan.expectedNet).toExponential(2)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    }),
  );
  await engine.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
