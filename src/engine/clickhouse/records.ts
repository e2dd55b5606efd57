/** Small helpers for the workspace's own records (fits, tokens, jobs) in ClickHouse. */

/** `YYYY-MM-DDTHH:MM:SSZ` of a DateTime column (as DuckDB's engine writes timestamps). */
export const chIsoTime = (expr: string): string => `concat(replaceOne(toString(${expr}), ' ', 'T'), 'Z')`;

/** A version for ReplacingMergeTree rows: microseconds since 1970, never smaller than the previous one. */
let lastVersion = 0;
export function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}
