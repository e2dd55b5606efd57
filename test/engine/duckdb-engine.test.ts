import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDbEngine } from '../../src/engine/duckdb/duckdb-engine.js';
import { DUCKDB_MIGRATIONS } from '../../src/engine/duckdb/migrations.js';
import { IMPORT_TABLES, TABLE_SPECS } from '../../src/data/tables.js';
import { tempDir } from '../helpers.js';

describe('DuckDbEngine', () => {
  it('migrates a new file once, and reopening finds the same version', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'w.duckdb');
      const e1 = await DuckDbEngine.open(db);
      const first = await e1.migrate();
      expect(first.from).toBe(0);
      expect(first.to).toBe(DUCKDB_MIGRATIONS.at(-1)!.version);
      await e1.close();
      const e2 = await DuckDbEngine.open(db);
      const second = await e2.migrate();
      expect(second).toEqual({ from: first.to, to: first.to, applied: [] });
      const [codes] = await e2.query(`SELECT count(*) AS n FROM reason_codes`);
      expect(codes?.n).toBe(9);
      await e2.close();
    } finally {
      cleanup();
    }
  });

  it('has a column for every importable field', async () => {
    const { dir, cleanup } = tempDir();
    const engine = await DuckDbEngine.open(join(dir, 'w.duckdb'));
    try {
      await engine.migrate();
      for (const table of IMPORT_TABLES) {
        const cols = (await engine.query(`DESCRIBE ${table}`)).map((c) => c.column_name);
        for (const f of TABLE_SPECS[table].fields) expect(cols, `${table}.${f.name}`).toContain(f.name);
      }
      const info = await engine.info();
      expect(info.tables.map((t) => t.table)).toEqual([...IMPORT_TABLES]);
      expect(info.tables.every((t) => t.rows === 0)).toBe(true);
    } finally {
      await engine.close();
      cleanup();
    }
  });
});

describe('model fits in the workspace', () => {
  it('saves fits, returns the latest per model, keeps history', async () => {
    const { dir, cleanup } = tempDir();
    const engine = await DuckDbEngine.open(join(dir, 'w.duckdb'));
    try {
      await engine.migrate();
      const fp = await engine.transactionsFingerprint();
      const base = { model: 'bgnbd', timeUnit: 'week', calibrationEnd: '1997-09-30', fingerprint: fp };
      await engine.saveModelFit({ ...base, document: { params: { r: 1 } } });
      const second = await engine.saveModelFit({ ...base, document: { params: { r: 2 } } });
      await engine.saveModelFit({ ...base, model: 'gg', document: { params: { p: 6 } } });
      expect(await engine.loadModelFit('bgnbd')).toMatchObject({
        fitId: second.fitId,
        document: { params: { r: 2 } },
      });
      expect((await engine.loadModelFit('bgnbd', 1))?.document).toEqual({ params: { r: 1 } });
      expect(await engine.loadModelFit('pnbd')).toBeNull();
      expect((await engine.listModelFits('bgnbd')).map((f) => f.fitId)).toEqual([2, 1]);
      expect((await engine.listModelFits()).length).toBe(3);
      expect(second.calibrationEnd).toBe('1997-09-30');
    } finally {
      await engine.close();
      cleanup();
    }
  });
});
