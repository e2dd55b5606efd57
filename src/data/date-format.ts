import { UserError } from '../util/errors.js';

const TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['YYYY', '%Y'],
  ['YY', '%y'],
  ['MM', '%m'],
  ['DD', '%d'],
  ['HH', '%H'],
  ['mm', '%M'],
  ['ss', '%S'],
  ['SSS', '%g'],
];

/**
 * Turn a `--date-format` into strptime patterns. `auto` and `iso` give none (the engine then accepts ISO
 * dates and timestamps, and `auto` also 8-digit YYYYMMDD). A pattern of YYYY/MM/DD/HH/mm/ss/SSS tokens is
 * translated; a pattern already containing `%` is taken as strptime syntax.
 *
 * @example datePatterns('DD/MM/YYYY') // ['%d/%m/%Y']
 */
export function datePatterns(format: string | undefined): string[] {
  const f = (format ?? 'auto').trim();
  if (f === '' || f.toLowerCase() === 'auto' || f.toLowerCase() === 'iso') return [];
  if (f.includes('%')) return [f];
  let out = '';
  let rest = f;
  while (rest.length > 0) {
    const token = TOKENS.find(([t]) => rest.startsWith(t));
    if (token) {
      out += token[1];
      rest = rest.slice(token[0].length);
    } else if (/[A-Za-z]/.test(rest[0]!)) {
      throw new UserError(
        `--date-format ${JSON.stringify(format)}: unknown token at "${rest}" (use YYYY, YY, MM, DD, HH, mm, ss, SSS, or a strptime pattern with %)`,
      );
    } else {
      out += rest[0];
      rest = rest.slice(1);
    }
  }
  return [out];
}
