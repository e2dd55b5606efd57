import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/engine/engine.js';
import { importFile } from '../src/data/import.js';
import { IMPORT_TABLES } from '../src/data/tables.js';
import { openWorkspace } from '../src/workspace.js';

export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DATASETS = join(REPO, 'datasets');

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'retain-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real DuckDB workspace file in a temp dir. */
export async function tempWorkspace(): Promise<{
  engine: Engine;
  dir: string;
  db: string;
  cleanup: () => Promise<void>;
}> {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'test.duckdb');
  const engine = await openWorkspace({ db });
  return {
    engine,
    dir,
    db,
    cleanup: async () => {
      await engine.close();
      cleanup();
    },
  };
}

export function writeText(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Row count and an order-independent content checksum of every table: equal before and after = unchanged. */
export async function snapshot(engine: Engine): Promise<string> {
  const out: string[] = [];
  for (const t of [...IMPORT_TABLES, 'imports']) {
    const [r] = await engine.query(
      `SELECT count(*) AS n, coalesce(sum(hash(x::VARCHAR)), 0)::VARCHAR AS h FROM ${t} x`,
    );
    out.push(`${t}:${String(r?.n)}:${String(r?.h)}`);
  }
  return out.join('|');
}

export const BIN = join(REPO, 'dist', 'cli', 'main.js');

/** Run the built CLI (`npm test` builds first) as a user would. */
export function retain(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Import the CDNOW 1/10 sample keyed by its own customer ids (column 2: 0001..2357), the ids of the published
 * summary and of the reference predictions.
 */
export async function importCdnowSample(engine: Engine): Promise<void> {
  await importFile(engine, {
    table: 'transactions',
    file: join(DATASETS, 'CDNOW_sample.txt'),
    header: false,
    map: { customer_id: 2, date: 3, quantity: 4, amount: 5 },
  });
}
