/** Printing helpers shared by commands: JSON for machines, aligned tables for people. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => String(r[j] ?? '').length)));
  const numeric = headers.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  return cells
    .map((r) =>
      r
        .map((c, j) => (numeric[j] ? String(c).padStart(widths[j]!) : String(c).padEnd(widths[j]!)))
        .join('  '),
    )
    .join('\n');
}
