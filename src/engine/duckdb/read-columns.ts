import type { DuckDBConnection, DuckDBValue, DuckDBVector } from '@duckdb/node-api';

export type ColumnKind = 'f64' | 'string';
export type ReadColumns<K extends Record<string, ColumnKind>> = {
  [P in keyof K]: K[P] extends 'f64' ? Float64Array : string[];
};

/**
 * Run a query and read whole columns into typed arrays (several times faster than row objects at a
 * million rows). NULL reads as NaN in numeric columns and '' in text ones.
 * The query's columns must come in the order of `kinds`' keys, DOUBLE for 'f64' and VARCHAR for 'string'.
 *
 * Fast paths (about ten times faster than reading item by item at a million rows): a DOUBLE vector
 * without NULLs is copied from its data buffer in one go, and short ASCII strings (DuckDB stores strings
 * of up to 12 bytes inline in the vector) are decoded straight from the vector's bytes. They rely on
 * fields that `@duckdb/node-api` keeps private (`items` of a DOUBLE vector, `dataView` of a VARCHAR
 * vector, the validity's `data`); when those are not there as expected, the public per-item accessor
 * is used, so a change of the library costs speed, not correctness.
 */
export async function readColumns<K extends Record<string, ColumnKind>>(
  connection: DuckDBConnection,
  sql: string,
  kinds: K,
  params?: readonly unknown[],
): Promise<ReadColumns<K>> {
  const names = Object.keys(kinds);
  // A materialized result: its size is known up front, so every column is written once, in place, into
  // its final array (no per-chunk arrays to concatenate and collect), and chunks are read synchronously.
  const result = await connection.run(sql, params as DuckDBValue[] | undefined);
  const rows = result.rowCount;
  const columns = names.map((name) =>
    kinds[name] === 'f64' ? new Float64Array(rows) : new Array<string>(rows).fill(''),
  );
  let offset = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    if (n === 0) continue;
    for (let j = 0; j < names.length; j++) {
      const vector = chunk.getColumnVector(j);
      const column = columns[j]!;
      if (column instanceof Float64Array) readDoubles(vector, n, column, offset);
      else readStrings(vector, n, column, offset);
    }
    offset += n;
  }
  const out: Record<string, Float64Array | string[]> = {};
  names.forEach((name, j) => {
    out[name] = columns[j]!;
  });
  return out as ReadColumns<K>;
}

/** The private internals the fast paths use (see readColumns); any of them may be missing. */
interface VectorInternals {
  readonly items?: unknown;
  readonly dataView?: unknown;
  readonly validity?: { readonly data?: unknown; readonly offset?: unknown };
}

/** True when the vector's validity mask says every one of its n items is valid. */
function allValid(vector: DuckDBVector, n: number): boolean {
  const validity = (vector as unknown as VectorInternals).validity;
  if (validity === undefined || validity === null || validity.offset !== 0) return false;
  const data = validity.data;
  if (data === null) return true; // no mask: nothing is NULL
  if (!(data instanceof BigUint64Array) || data.length * 64 < n) return false;
  const full = n >>> 6;
  for (let w = 0; w < full; w++) if (data[w] !== ALL_ONES) return false;
  const rest = n & 63;
  if (rest === 0) return true;
  const mask = (1n << BigInt(rest)) - 1n;
  return (data[full]! & mask) === mask;
}

const ALL_ONES = 0xffff_ffff_ffff_ffffn;

function readDoubles(vector: DuckDBVector, n: number, out: Float64Array, offset: number): void {
  const items = (vector as unknown as VectorInternals).items;
  if (items instanceof Float64Array && items.length === n && allValid(vector, n)) {
    out.set(items, offset);
    return;
  }
  for (let i = 0; i < n; i++) out[offset + i] = (vector.getItem(i) as number | null) ?? NaN;
}

/** Longest string DuckDB keeps inline in the 16-byte string slot (length + 12 bytes). */
const INLINE_BYTES = 12;

function readStrings(vector: DuckDBVector, n: number, out: string[], offset: number): void {
  const view = (vector as unknown as VectorInternals).dataView;
  if (!(view instanceof DataView) || view.byteLength < n * 16 || !allValid(vector, n)) {
    for (let i = 0; i < n; i++) {
      const v = vector.getItem(i);
      out[offset + i] = v === null ? '' : String(v);
    }
    return;
  }
  const bytes = new Uint8Array(view.buffer, view.byteOffset, n * 16);
  for (let i = 0; i < n; i++) {
    const o = i * 16;
    const length = view.getUint32(o, true);
    let s: string | null = null;
    if (length <= INLINE_BYTES) {
      s = '';
      for (let k = o + 4, end = o + 4 + length; k < end; k++) {
        const c = bytes[k]!;
        if (c >= 0x80) {
          s = null; // not ASCII: let the library decode UTF-8
          break;
        }
        s += String.fromCharCode(c);
      }
    }
    if (s === null) {
      const v = vector.getItem(i);
      s = v === null ? '' : String(v);
    }
    out[offset + i] = s;
  }
}
