/**
 * The IBM Telco churn sample (datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv, 7,043 rows) as survival data:
 * time = tenure in months, event = Churn == "Yes", plus the covariates the reference fits use.
 * The file has no quoted fields, so a plain split is exact.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureTable } from '../../../src/models/learn/feature-table.js';

export interface TelcoSurvival {
  readonly tenure: Float64Array;
  readonly churn: Uint8Array;
  readonly contract: { readonly codes: Int32Array; readonly levels: readonly string[] };
  readonly table: FeatureTable;
}

let cached: TelcoSurvival | null = null;

export function loadTelco(): TelcoSurvival {
  if (cached !== null) return cached;
  const path = fileURLToPath(
    new URL('../../../datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url),
  );
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const col = (name: string): number => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const n = rows.length;
  const tenure = Float64Array.from(rows, (r) => Number(r[col('tenure')]));
  const churn = Uint8Array.from(rows, (r) => (r[col('Churn')] === 'Yes' ? 1 : 0));
  const contractText = rows.map((r) => r[col('Contract')]!);
  const levels = [...new Set(contractText)].sort();
  const codes = Int32Array.from(contractText, (c) => levels.indexOf(c));
  const table: FeatureTable = {
    rows: n,
    columns: [
      {
        kind: 'numeric',
        name: 'MonthlyCharges',
        values: Float64Array.from(rows, (r) => Number(r[col('MonthlyCharges')])),
      },
      {
        kind: 'numeric',
        name: 'SeniorCitizen',
        values: Float64Array.from(rows, (r) => Number(r[col('SeniorCitizen')])),
      },
      { kind: 'categorical', name: 'Contract', levels, codes },
    ],
  };
  cached = { tenure, churn, contract: { codes, levels }, table };
  return cached;
}
