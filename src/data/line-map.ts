import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * Map the ordinals of the rows a CSV reader kept (0-based, in file order) back to line numbers, for error
 * messages. Only used when something is wrong, so the fast path never pays for it.
 *
 * A line number counts records the way DuckDB's CSV reader does (its reject lines use the same count): a
 * newline inside double quotes does not end a record, blank lines count but hold no row, the header is
 * line 1, and records the reader rejected (`rejectedLines`) hold no row either.
 */
export async function csvRowLines(
  file: string,
  compression: 'none' | 'gzip',
  header: boolean,
  rejectedLines: ReadonlySet<number>,
  ordinals: readonly number[],
): Promise<Map<number, number>> {
  const wanted = [...new Set(ordinals)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  if (wanted.length === 0) return out;
  let next = 0;
  let line = 1;
  let ordinal = 0;
  let quoted = false;
  let blank = true;
  const endRecord = (): boolean => {
    const isRow = !blank && !(header && line === 1) && !rejectedLines.has(line);
    if (isRow) {
      if (ordinal === wanted[next]) {
        out.set(ordinal, line);
        next++;
      }
      ordinal++;
    }
    line++;
    blank = true;
    return next >= wanted.length;
  };
  const raw = createReadStream(file);
  const stream = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === 0x22) quoted = !quoted;
        if (b === 0x0a && !quoted) {
          if (endRecord()) return out;
        } else if (b !== 0x0d) blank = false;
      }
    }
    if (!blank) endRecord();
  } finally {
    raw.destroy();
  }
  return out;
}
