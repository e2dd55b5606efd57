import { readFileSync } from 'node:fs';

/** The CDNOW summary fixture (2,357 customers, weeks): ID, x, t_x, T, zbar. CRLF, no final newline. */
export interface CdnowSummary {
  readonly id: Float64Array;
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly zbar: Float64Array;
}

export function readCdnow(): CdnowSummary {
  const text = readFileSync(
    new URL('../../datasets/cdnow_customers_summary_with_transactions.csv', import.meta.url),
    'utf8',
  );
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]!);
  return { id: col(0), x: col(1), t_x: col(2), T: col(3), zbar: col(4) };
}

/**
 * The same summary rebuilt from the raw CDNOW_sample.txt without rounding (t_x and T as days / 7, zbar as
 * the exact mean), following the rules in the datasets README: calibration ends 1997-09-30 inclusive,
 * same-day transactions merged (values summed), x = purchase days - 1, zbar over repeat days only.
 */
export function rebuildCdnowUnrounded(): CdnowSummary {
  const text = readFileSync(new URL('../../datasets/CDNOW_sample.txt', import.meta.url), 'utf8');
  const end = Date.UTC(1997, 8, 30);
  const days = new Map<number, Map<number, number>>(); // sample id -> day (ms) -> value
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const id = Number(f[1]);
    const d = f[2]!;
    const day = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
    if (day > end) continue;
    let m = days.get(id);
    if (m === undefined) days.set(id, (m = new Map()));
    m.set(day, (m.get(day) ?? 0) + Number(f[4]));
  }
  const ids = [...days.keys()].sort((a, b) => a - b);
  const out = {
    id: [] as number[],
    x: [] as number[],
    t_x: [] as number[],
    T: [] as number[],
    zbar: [] as number[],
  };
  const week = 7 * 86_400_000;
  for (const id of ids) {
    const entries = [...days.get(id)!.entries()].sort((a, b) => a[0] - b[0]);
    const first = entries[0]![0];
    const last = entries[entries.length - 1]![0];
    const repeat = entries.slice(1);
    out.id.push(id);
    out.x.push(repeat.length);
    out.t_x.push((last - first) / week);
    out.T.push((end - first) / week);
    out.zbar.push(repeat.length === 0 ? 0 : repeat.reduce((s, e) => s + e[1], 0) / repeat.length);
  }
  return {
    id: Float64Array.from(out.id),
    x: Float64Array.from(out.x),
    t_x: Float64Array.from(out.t_x),
    T: Float64Array.from(out.T),
    zbar: Float64Array.from(out.zbar),
  };
}
