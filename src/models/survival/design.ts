/**
 * Numeric design matrix for regression models from a FeatureTable, coded the way R's model.matrix codes a
 * formula without intercept terms other than the factors' treatment contrasts:
 * - a numeric column is used as it is (name unchanged);
 * - a text (categorical) column with levels L0 < L1 < ... (the table keeps levels sorted) becomes one 0/1
 *   dummy column per level except the first, named name + level without a separator, as R names them
 *   (`Contract` with levels Month-to-month, One year, Two year gives `ContractOne year`,
 *   `ContractTwo year`). Levels no row uses are skipped (the first used level is the reference), as R does
 *   for a character column.
 * Each source column is one term (R's `assign`), which the proportional-hazards test groups by.
 * Missing values (NaN, code -1) are an error: drop those rows first (R drops them with na.omit).
 *
 * Note that the table's level order is code-unit order; R sorts text in the locale's collation, which can
 * differ for mixed case or accents (not for the Telco columns).
 */

import type { FeatureTable } from '../learn/feature-table.js';
import { SurvivalInputError } from './errors.js';

export interface DesignTerm {
  /** Source column name. */
  readonly name: string;
  /** Indices of its design columns. */
  readonly columns: readonly number[];
}

export interface DesignMatrix {
  readonly rows: number;
  /** Column names, R style. */
  readonly names: readonly string[];
  /** Column-major values. */
  readonly columns: readonly Float64Array[];
  readonly terms: readonly DesignTerm[];
}

/**
 * Design matrix of the named columns (all columns when `use` is omitted), in the order given.
 *
 * @example designMatrix(table, ['MonthlyCharges', 'SeniorCitizen', 'Contract']).names
 * // ['MonthlyCharges', 'SeniorCitizen', 'ContractOne year', 'ContractTwo year']
 */
export function designMatrix(table: FeatureTable, use?: readonly string[]): DesignMatrix {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const chosen = (use ?? table.columns.map((c) => c.name)).map((name) => {
    const c = byName.get(name);
    if (c === undefined) throw new SurvivalInputError(`no column named "${name}" in the table`);
    return c;
  });
  const n = table.rows;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const terms: DesignTerm[] = [];
  for (const c of chosen) {
    const idx: number[] = [];
    if (c.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(c.values[i]!)) {
          throw new SurvivalInputError(
            `column "${c.name}" row ${i}: value ${c.values[i]} is missing or not finite`,
          );
        }
      }
      idx.push(columns.length);
      names.push(c.name);
      columns.push(c.values.slice(0, n));
    } else {
      const used = new Uint8Array(c.levels.length);
      for (let i = 0; i < n; i++) {
        const code = c.codes[i]!;
        if (!(code >= 0 && code < c.levels.length)) {
          throw new SurvivalInputError(`column "${c.name}" row ${i}: missing level (code ${code})`);
        }
        used[code] = 1;
      }
      const present = [...used.keys()].filter((l) => used[l] === 1);
      for (const level of present.slice(1)) {
        const col = new Float64Array(n);
        for (let i = 0; i < n; i++) col[i] = c.codes[i] === level ? 1 : 0;
        idx.push(columns.length);
        names.push(`${c.name}${c.levels[level]!}`);
        columns.push(col);
      }
    }
    terms.push({ name: c.name, columns: idx });
  }
  return { rows: n, names, columns, terms };
}
