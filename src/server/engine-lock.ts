/**
 * Engine operations use transactions and named temp tables, so two of them interleaved on one DuckDB
 * connection could see each other's uncommitted rows or collide. Every engine call of the server
 * therefore runs under this lock (`ctx.lock.run(() => ctx.engine.x(...))`). CPU-heavy work that follows
 * an engine call (model training) runs outside the lock, in a worker thread.
 *
 * Without readers the lock is a FIFO: one call at a time on the workspace's connection. With readers
 * (more connections on the same DuckDB database, see `ReaderPool`), it is a readers-writer lock: the
 * handlers of read-only routes run inside `readScope` (set up by `runAsReader`), and their calls share
 * the readers, several at once, each on its own connection; every other call (writes, jobs, token checks)
 * runs alone on the workspace's connection, with no reader running. Waiters are served in arrival order,
 * so a write is never starved by a stream of reads, with two exceptions: the long analyses
 * (`LONG_READ_ROUTES`) leave one reader to the short reads behind them, and calls inside `runUrgently`
 * (token checks, which every request waits for) go before everything already waiting. `engineFor` gives
 * the engine of the current call: the server's `ctx.engine` resolves every property through it, so route
 * code stays as it is.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Engine } from '../engine/engine.js';
import { DuckDbEngine } from '../engine/duckdb/duckdb-engine.js';
import { READ_ROUTES } from './read-routes.js';

/**
 * GET routes whose handlers only read the workspace: their engine calls may run beside each other.
 * (`/api/plans/matrix` is not one: with CLV values it fills a scratch table shared by connections.)
 */
export const CONCURRENT_READ_ROUTES: ReadonlySet<string> = new Set(READ_ROUTES);

/**
 * Read routes that compute over every customer (seconds each at a million customers): they may hold all
 * readers but one, so that short lookups (a customer, a page of a list) always have a connection.
 */
export const LONG_READ_ROUTES: ReadonlySet<string> = new Set([
  '/api/rfm',
  '/api/segments/:kind',
  '/api/lifecycle',
  '/api/alerts',
  '/api/survival/km',
  '/api/survival/cox',
  '/api/survival/cohorts',
  '/api/campaigns/:id/evaluation',
  '/api/reports/:name',
]);

type ReadKind = 'short' | 'long';

/** Set around a read-only route's handler: its engine calls may share the readers. */
const readScope = new AsyncLocalStorage<ReadKind>();
/** Set around work every request waits for (token checks): it goes before the calls already queued. */
const urgentScope = new AsyncLocalStorage<true>();

/** Run `work` so that its engine calls go before the calls already waiting (still one at a time). */
export function runUrgently<T>(work: () => T): T {
  return urgentScope.run(true, work);
}

/** The engine a call holding the lock as a reader runs on. */
const callScope = new AsyncLocalStorage<Engine>();

/**
 * Run `work` (a read-only route's handler) so that its engine calls may run beside other reads; `long`
 * for the routes of `LONG_READ_ROUTES`.
 */
export function runAsReader<T>(work: () => T, kind: ReadKind = 'short'): T {
  return readScope.run(kind, work);
}

/** The engine of the current call: a reader's own connection, or `main` anywhere else. */
export function engineFor(main: Engine): Engine {
  return callScope.getStore() ?? main;
}

/** `main` as route code sees it: each property read goes to the engine of the current call. */
export function scopedEngine(main: Engine): Engine {
  return new Proxy(main, {
    get(_target, property) {
      const engine = engineFor(main);
      const value: unknown = Reflect.get(engine, property, engine);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(engine) : value;
    },
  });
}

/** Engines on their own connections to the workspace's database, for reads only. */
export interface ReaderPool {
  readonly size: number;
  /** A reader's engine (opened on first use). */
  reader(index: number): Promise<Engine>;
}

/** `size` readers on the workspace: DuckDB connections, or the ClickHouse engine itself (null for size 0). */
export function duckDbReaders(
  engine: Engine,
  size: number,
): (ReaderPool & { close(): Promise<void> }) | null {
  if (size < 1) return null;
  // ClickHouse answers many queries at once over HTTP: its readers are the engine itself
  if (engine.kind === 'clickhouse') return { size, reader: async () => engine, close: async () => {} };
  if (!(engine instanceof DuckDbEngine)) return null;
  const opened: (Promise<DuckDbEngine> | undefined)[] = [];
  return {
    size,
    reader: (index) => (opened[index] ??= engine.openReader()),
    close: async () => {
      const readers = await Promise.allSettled(opened.filter((r) => r !== undefined));
      for (const r of readers) if (r.status === 'fulfilled') r.value.closeReader();
      opened.length = 0;
    },
  };
}

interface Waiter {
  readonly read: ReadKind | null;
  readonly urgent: boolean;
  readonly start: () => void;
}

export class EngineLock {
  private readonly queue: Waiter[] = [];
  private readersRunning = 0;
  private longRunning = 0;
  private writing = false;
  private waiting = 0;
  private readonly free: number[];

  constructor(private readonly readers: ReaderPool | null = null) {
    this.free = readers ? Array.from({ length: readers.size }, (_, i) => i) : [];
  }

  /**
   * Run `work` once the lock allows: alone after every earlier holder, or, inside `runAsReader` with
   * readers, beside other reads. Errors reach the caller only.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    const read = this.readers === null ? null : (readScope.getStore() ?? null);
    const urgent = read === null && urgentScope.getStore() === true;
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      // urgent calls go after the urgent ones already waiting, before everything else
      const at = urgent ? this.queue.filter((w) => w.urgent).length : this.queue.length;
      this.queue.splice(at, 0, {
        read,
        urgent,
        start: () => {
          this.waiting--;
          const done = read ? this.runRead(work, read) : this.runWrite(work);
          done.then(resolve, reject);
        },
      });
      this.grant();
    });
  }

  /** Callers queued or running (for the health route). */
  get pending(): number {
    return this.waiting;
  }

  private async runWrite<T>(work: () => Promise<T>): Promise<T> {
    try {
      // a write started from inside a read handler's scope must not use that reader
      return await callScope.exit(work);
    } finally {
      this.writing = false;
      this.grant();
    }
  }

  private async runRead<T>(work: () => Promise<T>, kind: ReadKind): Promise<T> {
    const slot = this.free.pop()!;
    try {
      const engine = await this.readers!.reader(slot);
      return await callScope.run(engine, work);
    } finally {
      this.free.push(slot);
      this.readersRunning--;
      if (kind === 'long') this.longRunning--;
      this.grant();
    }
  }

  /**
   * Start waiters in arrival order while the lock allows: a write once nothing runs, reads while a reader
   * is free. A long read that would take the last reader lets the short reads behind it go first (never
   * past a write).
   */
  private grant(): void {
    let i = 0;
    while (i < this.queue.length && !this.writing) {
      const next = this.queue[i]!;
      if (!next.read) {
        if (this.readersRunning > 0 || i > 0) return;
        this.writing = true;
      } else {
        if (this.free.length === 0) return;
        if (next.read === 'long' && this.longRunning >= Math.max(1, this.readers!.size - 1)) {
          i++;
          continue;
        }
        this.readersRunning++;
        if (next.read === 'long') this.longRunning++;
      }
      this.queue.splice(i, 1);
      next.start();
    }
  }
}
