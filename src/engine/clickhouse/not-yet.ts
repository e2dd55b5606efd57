import { UserError } from '../../util/errors.js';

/** An analysis the ClickHouse engine does not run yet: a clear refusal, never a silent wrong answer. */
export function notOnClickHouse(what: string): Promise<never> {
  return Promise.reject(
    new UserError(`${what}: not available on the ClickHouse engine yet; use the embedded DuckDB workspace`),
  );
}
