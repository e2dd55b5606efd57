/**
 * Deterministic demo data: a telecom-like operator with planted churn structure (docs/demo-data.md).
 * Customers are simulated in batches; each batch is written to CSV files in a temp dir and bulk-loaded
 * while the next batch is generated.
 */
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportTableName } from '../data/tables.js';
import type { Engine } from '../engine/engine.js';
import { UserError } from '../util/errors.js';
import { silentProgress, type ProgressReporter } from '../util/progress.js';
import { DateStrings, formatDay, parseDay } from './calendar.js';
import {
  DEMO_COLUMNS,
  DEMO_TABLES,
  DemoBatchWriter,
  newRowKeyCounters,
  type BatchFile,
} from './csv-writer.js';
import { CAMPAIGN_COST_PER_CONTACT, buildScenario } from './model.js';
import { Rng, streamSeed } from './prng.js';
import { simulateCustomer, type SimulationContext } from './simulate.js';

export interface DemoOptions {
  /** Number of customers; default 20,000. */
  readonly customers?: number;
  /** Seed of the random streams; default 42. Same seed and size give identical data. */
  readonly seed?: number;
  /** Last day of the data, `YYYY-MM-DD`; default 2025-12-31. The data cover the 48 months ending here. */
  readonly endDate?: string;
  /** Customers per load batch (default 125,000; about 600 MB of temporary CSV); does not change the data. */
  readonly batchSize?: number;
}

export interface DemoSummary {
  readonly customers: number;
  readonly seed: number;
  /** First and last day of the generated history. */
  readonly startDate: string;
  readonly endDate: string;
  /** Rows loaded per table. */
  readonly rows: Readonly<Record<ImportTableName, number>>;
  readonly seconds: number;
}

export const DEMO_DEFAULTS = {
  customers: 20_000,
  seed: 42,
  endDate: '2025-12-31',
  batchSize: 125_000,
} as const;
export const MAX_DEMO_CUSTOMERS = 10_000_000;
/** Customers simulated between yields to the event loop (lets loads and progress proceed). */
const CHUNK = 500;

interface ResolvedOptions {
  readonly customers: number;
  readonly seed: number;
  readonly endDate: string;
  readonly endDay: number;
  readonly batchSize: number;
}

/** Check the options (a bad one is a `UserError`) and fill in defaults. */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedOptions {
  const customers = options.customers ?? DEMO_DEFAULTS.customers;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_DEMO_CUSTOMERS)
    throw new UserError(`customers must be an integer from 1 to ${MAX_DEMO_CUSTOMERS}, got ${customers}`);
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UserError(`seed must be a non-negative integer, got ${seed}`);
  const endDate = options.endDate ?? DEMO_DEFAULTS.endDate;
  const endDay = parseDay(endDate);
  if (endDay === null || endDate < '1900-01-01' || endDate > '9999-12-31')
    throw new UserError(`end date must be a real date written YYYY-MM-DD (1900-9999), got "${endDate}"`);
  const batchSize = options.batchSize ?? DEMO_DEFAULTS.batchSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new UserError(`batch size must be a positive integer, got ${batchSize}`);
  return { customers, seed, endDate, endDay, batchSize };
}

/**
 * Replace all data in the workspace with generated demo data. Rows have keys 1, 2, 3... per table and no
 * import id. On failure the partly loaded data are removed again.
 */
export async function generateDemo(
  engine: Engine,
  options: DemoOptions = {},
  progress: ProgressReporter = silentProgress,
): Promise<DemoSummary> {
  const started = performance.now();
  const opts = resolveDemoOptions(options);
  const scenario = buildScenario(opts.endDay);
  const dates = new DateStrings(scenario.startDay, scenario.endDay);
  const idWidth = Math.max(7, String(opts.customers).length);
  const rows = Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as Record<ImportTableName, number>;
  const keys = newRowKeyCounters();
  const report = (done: number): void =>
    progress({ phase: 'demo', done, total: opts.customers, unit: 'customers' });

  await engine.clearData();
  const dir = await mkdtemp(join(tmpdir(), 'retain-demo-'));
  // The load of the previous batch runs (in DuckDB's threads) while the next batch is generated.
  let loading: Promise<unknown> = Promise.resolve(null);
  const load = async (files: readonly BatchFile[]): Promise<void> => {
    for (const f of files) {
      if (f.rows > 0) rows[f.table] += await engine.bulkLoadCsv(f.table, DEMO_COLUMNS[f.table], f.path);
      await unlink(f.path);
    }
  };
  try {
    report(0);
    for (let batch = 0, first = 0; first < opts.customers; batch++, first += opts.batchSize) {
      const out = new DemoBatchWriter(dir, batch, keys);
      const ctx: SimulationContext = { scenario, dates, idWidth, out };
      if (batch === 0 && scenario.campaign !== null) {
        const c = scenario.campaign;
        const [start, end] = [dates.day(c.startDay), formatDay(c.endDay)];
        out.campaign(c.id, c.name, 'retention', start, end, c.offer, CAMPAIGN_COST_PER_CONTACT);
      }
      const last = Math.min(first + opts.batchSize, opts.customers);
      let files: BatchFile[];
      try {
        for (let i = first; i < last; i++) {
          simulateCustomer(ctx, i, new Rng(streamSeed(opts.seed, i)));
          if ((i + 1) % CHUNK === 0 && i + 1 < last) {
            if (i + 1 < opts.customers) report(i + 1);
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
      } finally {
        files = out.close();
      }
      const failure = await loading;
      if (failure instanceof Error) throw failure;
      if (last < opts.customers) report(last);
      loading = load(files).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
    }
    const failure = await loading;
    if (failure instanceof Error) throw failure;
  } catch (error) {
    await loading;
    await engine.clearData().catch(() => undefined);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  report(opts.customers);
  return {
    customers: opts.customers,
    seed: opts.seed,
    startDate: formatDay(scenario.startDay),
    endDate: opts.endDate,
    rows,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
