/**
 * Literals and identifiers for ClickHouse SQL. `@clickhouse/client`'s query parameters do not work against
 * ClickHouse 18.16 (Debian's; "Unknown setting param_x"), so every value and name that reaches a query is
 * written into the text here, validated and escaped, never by concatenating user strings.
 *
 * ClickHouse string literals are single-quoted with backslash escapes (`\'`, `\\`, `\n`, ...): a quote
 * doubled the SQL-standard way is not enough on its own, because a backslash in the value would escape the
 * closing quote. Identifiers are checked against a conservative pattern and back-quoted.
 */
import { UserError } from '../../util/errors.js';

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string value as a ClickHouse string literal. */
export function chString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c]!)}'`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table, column or cluster name, back-quoted; anything but letters, digits and `_` is refused. */
export function chIdent(name: string): string {
  if (!IDENT.test(name)) throw new UserError(`not a valid ClickHouse name: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/** A finite number as a literal (integers exactly; others with round-trip precision). */
export function chNumber(value: number): string {
  if (!Number.isFinite(value)) throw new UserError(`not a finite number: ${value}`);
  // a negative literal is written in parentheses so that `x -1` can never become `x--1`, a comment
  return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day `YYYY-MM-DD` as a Date expression; impossible days are refused. */
export function chDate(day: string): string {
  const m = ISO_DATE.exec(day);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day)
    throw new UserError(`not a date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return `toDate(${chString(day)})`;
}

/** A list of literals for `IN (...)`; an empty list is refused (ClickHouse rejects `IN ()`). */
export function chList(values: readonly (string | number)[]): string {
  if (values.length === 0) throw new UserError('an empty list of values');
  return `(${values.map((v) => (typeof v === 'number' ? chNumber(v) : chString(v))).join(', ')})`;
}
