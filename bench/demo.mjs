// Demo generator throughput: N customers (default 1,000,000) into a fresh workspace in a temp dir, which
// is deleted afterwards. Needs `npm run build`. Prints one JSON line.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../dist/demo/index.js';
import { openWorkspace } from '../dist/workspace.js';

const customers = Number(process.argv[2] ?? 1_000_000);
if (!Number.isSafeInteger(customers) || customers < 1) {
  console.error(`usage: node bench/demo.mjs [customers]   (got ${process.argv[2]})`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'retain-bench-demo-'));
try {
  const db = join(dir, 'demo.duckdb');
  const engine = await openWorkspace({ db });
  let summary;
  const t0 = performance.now();
  try {
    summary = await generateDemo(engine, { customers });
  } finally {
    await engine.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const rows = summary.rows;
  console.log(
    JSON.stringify({
      bench: 'demo',
      customers,
      seconds: Number(seconds.toFixed(2)),
      rows,
      totalRows: Object.values(rows).reduce((a, b) => a + b, 0),
      databaseMB: Math.round(statSync(db).size / 1e6),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
