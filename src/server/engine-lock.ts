/**
 * The workspace has one DuckDB connection, and engine operations use transactions and named temp tables:
 * two of them interleaved on that connection could see each other's uncommitted rows or collide. Every
 * engine call of the server therefore runs under this FIFO lock, one at a time. CPU-heavy work that
 * follows an engine call (model training) runs outside the lock, in a worker thread.
 */
export class EngineLock {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Run `work` once every earlier holder has finished; errors reach the caller only. */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(async () => {
      this.waiting--;
      return work();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Callers queued or running (for the health route). */
  get pending(): number {
    return this.waiting;
  }
}
