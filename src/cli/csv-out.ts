import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Write columns (equal lengths) as a CSV file with a header, streaming (a million rows stay cheap). */
export async function writeColumnsCsv(
  path: string,
  columns: Readonly<Record<string, ArrayLike<number> | readonly string[]>>,
): Promise<void> {
  const names = Object.keys(columns);
  const cols = names.map((n) => columns[n]!);
  const rows = cols[0]?.length ?? 0;
  const out = createWriteStream(path);
  const cell = (v: unknown): string => {
    if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  out.write(names.join(',') + '\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    buffer += cols.map((c) => cell(c[i])).join(',') + '\n';
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
