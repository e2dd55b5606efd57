// `retain demo` in-process: option checks, the JSON summary, and the guard for imported data.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseDemoOptions, registerDemo } from '../../src/cli/commands/demo.js';
import { DuckDbEngine } from '../../src/engine/duckdb/duckdb-engine.js';
import { UserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

/** Run `retain [--db db] demo ...args` and return what it printed. */
async function demo(db: string, args: string[]): Promise<string> {
  const program = new Command('retain').option('--db <path>').exitOverride();
  registerDemo(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['--db', db, 'demo', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('retain demo', () => {
  it('checks its options', () => {
    expect(parseDemoOptions({ customers: '1000', seed: '0', endDate: '2024-06-30' })).toEqual({
      customers: 1000,
      seed: 0,
      endDate: '2024-06-30',
    });
    for (const bad of [
      { customers: 'abc' },
      { customers: '0' },
      { customers: '-5' },
      { customers: '1.5' },
      { customers: '99999999' },
      { seed: 'x' },
      { endDate: '2025-13-01' },
      { endDate: '31/12/2025' },
    ]) {
      expect(() => parseDemoOptions(bad), JSON.stringify(bad)).toThrow(UserError);
    }
  });

  it('prints the summary as JSON or as a table', async () => {
    const db = join(dir, 'demo.duckdb');
    const json = JSON.parse(await demo(db, ['--customers', '300', '--seed', '5', '--json']));
    expect(json).toMatchObject({ customers: 300, seed: 5, endDate: '2025-12-31', startDate: '2022-01-01' });
    expect(json.rows.customers).toBe(300);
    expect(json.rows.transactions).toBeGreaterThan(1000);
    const text = await demo(db, ['--customers', '200', '--end-date', '2024-06-30']);
    expect(text).toContain('generated 200 demo customers (seed 42), 2020-07-01 to 2024-06-30');
    expect(text).toMatch(/customers\s+200/);
  });

  it('refuses to replace imported data without --force', async () => {
    const db = join(dir, 'imported.duckdb');
    const engine = await DuckDbEngine.open(db);
    await engine.migrate();
    await engine.run(
      `INSERT INTO imports VALUES (1, 'customers', 'x.csv', 'csv', 1, 1, 0, 0, 0, 0, now()::TIMESTAMP)`,
    );
    await engine.close();
    await expect(demo(db, ['--customers', '100'])).rejects.toThrow(/--force/);
    const out = await demo(db, ['--customers', '100', '--force', '--json']);
    expect(JSON.parse(out).rows.customers).toBe(100);
  });

  it('has examples in its help', () => {
    const program = new Command('retain');
    registerDemo(program);
    const help = program.commands.find((c) => c.name() === 'demo')!;
    let text = '';
    help.configureOutput({ writeOut: (s) => (text += s) });
    help.outputHelp();
    expect(text).toContain('Examples:');
    expect(text).toContain('--customers');
  });
});
