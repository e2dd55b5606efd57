// CLV speed: N customers (default 1,000,000) of a BG/NBD-shaped synthetic log (bench/clv-synthetic.mjs,
// about 2.3 transactions per customer over 78 weeks) written to CSV and imported into a fresh workspace in
// a temp dir (deleted afterwards); then, timed, the post-import work: customer summary, compression,
// BG/NBD fit, Gamma-Gamma fit on repeat buyers, 52-week expected transactions and P(alive) for every
// customer, expected spend and discounted CLV (52 weekly periods, 10 % a year) for every customer.
//
// The timed part runs in a child process that opens the imported workspace, so its peak memory
// (maxRSS, DuckDB's native memory included) is that of the post-import work alone, not of the import.
// `node bench/clv.mjs [customers] [runs]`: with runs > 1 the child repeats the timed work and also
// reports the best run (warm: JIT-compiled code, DuckDB's buffers filled). Needs `npm run build`.
// Prints one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEEKS_AHEAD = 52;
const DISCOUNT = { periods: 52, periodLength: 1, periodsPerYear: 52, annualDiscountRate: 0.1 };

const round = (v, digits = 3) => Number(v.toFixed(digits));
const megabytes = (kb) => Math.round(kb / 1024);

if (process.argv[2] === '--measure') await measure(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();

async function main() {
  const customers = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 1);
  if (!Number.isSafeInteger(customers) || customers < 1 || !Number.isSafeInteger(runs) || runs < 1) {
    console.error(`usage: node bench/clv.mjs [customers] [runs]   (got ${process.argv.slice(2).join(' ')})`);
    process.exit(1);
  }
  const { writeSyntheticClvCsv } = await import('./clv-synthetic.mjs');
  const { openWorkspace } = await import('../dist/workspace.js');
  const { importFile } = await import('../dist/data/import.js');
  const dir = mkdtempSync(join(tmpdir(), 'retain-bench-clv-'));
  try {
    const csv = join(dir, 'transactions.csv');
    const db = join(dir, 'clv.duckdb');
    let t0 = performance.now();
    const log = writeSyntheticClvCsv(csv, customers);
    const generateSeconds = (performance.now() - t0) / 1000;
    const csvBytes = statSync(csv).size;
    const engine = await openWorkspace({ db });
    t0 = performance.now();
    try {
      await importFile(engine, { table: 'transactions', file: csv });
    } finally {
      await engine.close();
    }
    const importSeconds = (performance.now() - t0) / 1000;
    rmSync(csv);
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--measure', db, log.end, String(runs)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`the measuring process failed (exit ${child.status})`);
    const measured = JSON.parse(child.stdout.trim().split('\n').pop());
    console.log(
      JSON.stringify({
        bench: 'clv',
        customers,
        transactions: log.transactions,
        csvMB: Math.round(csvBytes / 1e6),
        generateSeconds: round(generateSeconds, 2),
        importSeconds: round(importSeconds, 2),
        importPeakRssMB: megabytes(process.resourceUsage().maxRSS),
        ...measured,
        generator: log.params,
        machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The timed post-import work, `runs` times, in this (child) process. Prints one JSON line. */
async function measure(db, calibrationEnd, runs) {
  const { openWorkspace } = await import('../dist/workspace.js');
  const { compressRfm, compressSpend } = await import('../dist/models/summary-stats.js');
  const { fitBgNbd, bgNbdPredict, bgNbdFactoredExpected } = await import('../dist/models/bg-nbd.js');
  const { fitGammaGamma, gammaGammaExpectedSpend } = await import('../dist/models/gamma-gamma.js');
  const { discountedTransactionsPerRow } = await import('../dist/models/clv.js');
  let t0 = performance.now();
  const engine = await openWorkspace({ db });
  const openSeconds = (performance.now() - t0) / 1000;
  const results = [];
  let peakRssKb = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const steps = {};
      let last = performance.now();
      const lap = (name) => {
        const now = performance.now();
        steps[name] = (now - last) / 1000;
        last = now;
      };
      const summary = await engine.customerSummary({ calibrationEnd, timeUnit: 'week' });
      lap('summary');
      const rows = compressRfm(summary.x, summary.tx, summary.T);
      const spendRows = compressSpend(summary.x, summary.monetary);
      lap('compress');
      const bg = fitBgNbd(rows);
      lap('fitBgNbd');
      const gg = fitGammaGamma(spendRows);
      lap('fitGammaGamma');
      const n = summary.x.length;
      const pred = bgNbdPredict(bg.params, rows, WEEKS_AHEAD);
      const expected = new Float64Array(n);
      const alive = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = rows.rowOf[i];
        expected[i] = pred.expectedTransactions[k];
        alive[i] = pred.probabilityAlive[k];
      }
      lap('predict');
      const discounted = discountedTransactionsPerRow(
        bgNbdFactoredExpected(bg.params),
        rows,
        DISCOUNT,
        pred.probabilityAlive,
      );
      const spend = new Float64Array(n);
      const clv = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        spend[i] = gammaGammaExpectedSpend(gg.params, summary.x[i], summary.monetary[i]);
        clv[i] = spend[i] * discounted[rows.rowOf[i]];
      }
      lap('clv');
      if (run === 0) peakRssKb = process.resourceUsage().maxRSS;
      const total = Object.values(steps).reduce((a, b) => a + b, 0);
      const sum = (a) => a.reduce((s, v) => s + v, 0);
      results.push({
        seconds: total,
        steps,
        customers: n,
        rows: rows.x.length,
        spendRows: spendRows.x.length,
        bgNbd: { ...bg.params, logLikelihood: bg.logLikelihood, converged: bg.converged },
        gammaGamma: { ...gg.params, logLikelihood: gg.logLikelihood, converged: gg.converged },
        check: {
          expected52: sum(expected),
          meanAlive: sum(alive) / n,
          meanSpend: sum(spend) / n,
          totalClv: sum(clv),
        },
      });
    }
  } finally {
    await engine.close();
  }
  const first = results[0];
  const best = results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const roundAll = (o) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v, 6) : v]));
  console.log(
    JSON.stringify({
      seconds: round(first.seconds),
      steps: Object.fromEntries(Object.entries(first.steps).map(([k, v]) => [k, round(v)])),
      ...(runs > 1
        ? {
            runs,
            bestSeconds: round(best.seconds),
            bestSteps: Object.fromEntries(Object.entries(best.steps).map(([k, v]) => [k, round(v)])),
          }
        : {}),
      openSeconds: round(openSeconds),
      peakRssMB: megabytes(peakRssKb),
      summaryCustomers: first.customers,
      distinctRows: first.rows,
      distinctSpendRows: first.spendRows,
      bgNbd: roundAll(first.bgNbd),
      gammaGamma: roundAll(first.gammaGamma),
      check: roundAll(first.check),
    }),
  );
}
