/** The engine's churn feature columns as the learners' typed table (levels sorted, '' = missing). */
import type { ChurnFeatureColumns } from '../../engine/churn-types.js';
import type { FeatureColumn, FeatureTable } from '../../models/learn/feature-table.js';

export function featureTableOf(
  columns: ChurnFeatureColumns,
  exclude: ReadonlySet<string> = new Set(),
): FeatureTable {
  const out: FeatureColumn[] = [];
  for (const c of columns.numeric)
    if (!exclude.has(c.name)) out.push({ kind: 'numeric', name: c.name, values: c.values });
  for (const c of columns.categorical) {
    if (exclude.has(c.name)) continue;
    const levels = [...new Set(c.values.filter((v) => v !== ''))].sort();
    const index = new Map(levels.map((l, i) => [l, i]));
    const codes = Int32Array.from(c.values, (v) => (v === '' ? -1 : index.get(v)!));
    out.push({ kind: 'categorical', name: c.name, levels, codes });
  }
  return { rows: columns.customerIds.length, columns: out };
}

/** Every feature name the engine produced, for checking `--exclude`. */
export function featureNames(columns: ChurnFeatureColumns): string[] {
  return [...columns.numeric.map((c) => c.name), ...columns.categorical.map((c) => c.name)];
}
