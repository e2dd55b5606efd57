// Import throughput: a generated CSV of N transactions (default 10,000,000 over 1,000,000 customers)
// into a fresh workspace, then the same file again (everything deduplicated). Prints JSON lines.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openWorkspace } from '../dist/workspace.js';
import { importFile } from '../dist/data/import.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const customers = Math.max(1, Math.round(rows / 10));
const dir = mkdtempSync(join(tmpdir(), 'retain-bench-'));
try {
  const csv = join(dir, 'transactions.csv');
  const gen = await DuckDBInstance.create(':memory:');
  const conn = await gen.connect();
  await conn.run(`COPY (
    SELECT 'C' || lpad((i % ${customers})::VARCHAR, 8, '0') AS customer_id,
           strftime(DATE '2020-01-01' + (hash(i) % 1461)::INTEGER, '%Y-%m-%d') AS "date",
           round((hash(i * 7 + 1) % 50000) / 100.0 - 10, 2) AS amount
    FROM range(${rows}) t(i)) TO '${csv}' (HEADER, DELIMITER ',')`);
  conn.closeSync();
  gen.closeSync();
  const bytes = statSync(csv).size;
  const engine = await openWorkspace({ db: join(dir, 'bench.duckdb') });
  const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
  for (const label of ['first import', 're-import (all duplicates)']) {
    const t0 = performance.now();
    const r = await importFile(engine, { table: 'transactions', file: csv });
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        bench: 'import',
        case: label,
        rows,
        customers,
        megabytes: Math.round(bytes / 1e6),
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(rows / seconds),
        inserted: r.inserted,
        duplicates: r.duplicates,
        machine,
      }),
    );
  }
  await engine.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
