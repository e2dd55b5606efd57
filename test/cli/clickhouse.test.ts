/**
 * The CLI on the ClickHouse engine, as a user runs it: the built `retain` with `--engine clickhouse --url
 * ... --cluster retain` against the real two-shard test cluster. Credentials come from the environment
 * and never show in output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATASETS, retain, tempDir, writeText } from '../helpers.js';
import { clickhouse, dropDatabase } from '../engine/clickhouse/twins.js';

const DB = 'retain_test_cli';

describe.skipIf(!clickhouse)('retain --engine clickhouse', () => {
  const files = tempDir();
  const on = (args: string[], env: Record<string, string> = {}) =>
    retain(
      [
        '--engine',
        'clickhouse',
        '--url',
        clickhouse!.shards.map((s) => s.httpUrl).join(','),
        '--cluster',
        clickhouse!.cluster,
        '--database',
        DB,
        ...args,
      ],
      env,
    );
  beforeAll(() => dropDatabase(DB));
  afterAll(async () => {
    await dropDatabase(DB);
    await dropDatabase(`${DB}_cfg`);
    files.cleanup();
  });

  it('imports CDNOW and shows the workspace with --json', () => {
    const file = join(DATASETS, 'CDNOW_sample.txt');
    const r = on([
      'import',
      'transactions',
      file,
      '--no-header',
      '--map',
      'customer_id=2,date=3,quantity=4,amount=5',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect([result.inserted, result.stubCustomers]).toEqual([6919, 2357]);
    const info = JSON.parse(on(['info', '--json']).stdout);
    expect(info.engine).toBe('clickhouse');
    expect(info.location).toContain(`database ${DB} cluster retain`);
    expect(info.tables.find((t: { table: string }) => t.table === 'transactions').rows).toBe(6919);
    // the same file again adds nothing
    const again = JSON.parse(
      on([
        'import',
        'transactions',
        file,
        '--no-header',
        '--map',
        'customer_id=2,date=3,quantity=4,amount=5',
        '--json',
      ]).stdout,
    );
    expect([again.inserted, again.duplicates]).toEqual([0, 6919]);
  });

  it('names the file, line and field of bad input, and writes nothing', () => {
    const bad = writeText(files.dir, 'bad.csv', 'customer_id,date,amount\nX1,2024-01-01,abc\n');
    const r = on(['import', 'transactions', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:line 2 column "amount" value "abc"/);
    const info = JSON.parse(on(['info', '--json']).stdout);
    expect(info.tables.find((t: { table: string }) => t.table === 'transactions').rows).toBe(6919);
  });

  it('takes credentials from the environment only and never prints them', () => {
    const withCreds = retain([
      '--engine',
      'clickhouse',
      '--url',
      clickhouse!.shards[0]!.httpUrl.replace('http://', 'http://default:hunter2@'),
      'info',
    ]);
    expect(withCreds.code).toBe(1);
    expect(withCreds.stderr).toMatch(/must not carry credentials/);
    expect(withCreds.stderr).not.toContain('hunter2');
    const wrong = on(['info'], { RETAIN_CLICKHOUSE_USER: 'nobody', RETAIN_CLICKHOUSE_PASSWORD: 'hunter2' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/ClickHouse/);
    expect(wrong.stderr + wrong.stdout).not.toContain('hunter2');
  });

  it('explains a missing URL and an unknown engine', () => {
    expect(retain(['--engine', 'clickhouse', 'info']).stderr).toMatch(/needs --url/);
    expect(retain(['--engine', 'oracle', 'info']).stderr).toMatch(/duckdb or clickhouse/);
    const config = writeText(
      files.dir,
      'ws.yaml',
      `engine: clickhouse\nurl: ${clickhouse!.shards[0]!.httpUrl}\ndatabase: ${DB}_cfg\n`,
    );
    const typo = writeText(files.dir, 'typo.yaml', 'engine: clickhouse\nurls: http://x\n');
    const bad = retain(['--workspace-config', typo, 'info']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/typo\.yaml: unknown setting "urls"/);
    const broken = writeText(files.dir, 'broken.yaml', 'engine: [clickhouse\n');
    expect(retain(['--workspace-config', broken, 'info']).stderr).toMatch(/broken\.yaml: not JSON or YAML/);
    const viaConfig = retain(['--workspace-config', config, 'info', '--json']);
    expect(viaConfig.stderr).toBe('');
    expect(JSON.parse(viaConfig.stdout).engine).toBe('clickhouse');
  });
});
