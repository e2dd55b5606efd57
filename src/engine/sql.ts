/** Escaping for the few places where a value must be written into SQL text (file paths in table functions). */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new Error('NUL byte in SQL string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
