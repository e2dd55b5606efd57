/**
 * Helpers shared by the ClickHouse early-warning operations. Days are compared as Date values
 * (`toDate(date)` of the UTC DateTime columns): 18.16 compares a DateTime with a Date by converting the Date
 * in the server's zone, which can silently drop or add a day.
 */
import { UserError } from '../../util/errors.js';
import { checkAsOf } from '../alerts-options.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chList } from './sql.js';

/** SQL condition restricting transactions to the counted kinds (`1` for all). */
export function chKindFilter(kinds: readonly string[] | null, column = 'kind'): string {
  if (kinds === null) return '1';
  if (kinds.length === 0) throw new UserError('the list of transaction kinds is empty');
  return `${column} IN ${chList(kinds)}`;
}

function describeKinds(kinds: readonly string[] | null): string {
  return kinds === null ? 'transactions' : `transactions of kind ${kinds.join(', ')}`;
}

/** The as-of date: checked when given, else the last day of the counted transactions. */
export async function chResolveAsOf(
  engine: ClickHouseEngine,
  asOf: string | undefined,
  kinds: readonly string[] | null,
  hint = 'import some first',
): Promise<string> {
  checkAsOf(asOf);
  const [r] = await engine.conn.query(
    `SELECT toString(max(toDate(date))) AS last, count() AS n FROM ${engine.t('transactions')}
     WHERE ${chKindFilter(kinds)}`,
  );
  if (Number(r?.n ?? 0) === 0) throw new UserError(`the workspace has no ${describeKinds(kinds)}: ${hint}`);
  return asOf ?? String(r!.last);
}
