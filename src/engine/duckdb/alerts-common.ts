/** Helpers shared by the DuckDB early-warning operations. */
import { UserError } from '../../util/errors.js';
import { quoteString } from '../sql.js';
import { checkAsOf } from '../alerts-options.js';
import type { DuckDbEngine } from './duckdb-engine.js';

/** SQL condition restricting `transactions` to the counted kinds (`true` for all). */
export function kindFilter(kinds: readonly string[] | null, column = 'kind'): string {
  if (kinds === null) return 'true';
  if (kinds.length === 0) throw new UserError('the list of transaction kinds is empty');
  return `${column} IN (${kinds.map(quoteString).join(', ')})`;
}

function describeKinds(kinds: readonly string[] | null): string {
  return kinds === null ? 'transactions' : `transactions of kind ${kinds.join(', ')}`;
}

/** The as-of date: checked when given, else the last day of the counted transactions. */
export async function resolveAsOf(
  engine: DuckDbEngine,
  asOf: string | undefined,
  kinds: readonly string[] | null,
  hint = 'import some first',
): Promise<string> {
  checkAsOf(asOf);
  const [r] = await engine.query(
    `SELECT strftime(max("date"), '%Y-%m-%d') AS last, count(*) AS n FROM transactions WHERE ${kindFilter(kinds)}`,
  );
  if (Number(r?.n ?? 0) === 0) throw new UserError(`the workspace has no ${describeKinds(kinds)}: ${hint}`);
  return asOf ?? String(r!.last);
}

/** Every dimension must be one of the allowed ones (and there must be one). */
export function checkDimensions(dims: readonly string[], allowed: readonly string[], what: string): void {
  if (dims.length === 0) throw new UserError(`${what} warnings need at least one dimension`);
  for (const d of dims)
    if (!allowed.includes(d)) throw new UserError(`unknown ${what} dimension "${d}" (${allowed.join(', ')})`);
}

/** The as-of date as a SQL DATE literal (the value is checked YYYY-MM-DD). */
export function dateLiteral(day: string): string {
  return `DATE ${quoteString(day)}`;
}
