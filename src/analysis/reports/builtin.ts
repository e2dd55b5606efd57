/**
 * The built-in reports, defined in the same spec as a user's (`definitions/*.json`; `retain report show NAME`
 * prints one to start from).
 */
import { UserError } from '../../util/errors.js';
import { parseReportSpec, type ReportSpec } from './spec.js';
import churnFlow from './definitions/churn-flow.json' with { type: 'json' };
import churners from './definitions/churners.json' with { type: 'json' };
import reasons from './definitions/reasons.json' with { type: 'json' };
import churnBy from './definitions/churn-by.json' with { type: 'json' };
import leakyBucket from './definitions/leaky-bucket.json' with { type: 'json' };
import churnMeasures from './definitions/churn-measures.json' with { type: 'json' };

const SOURCES: readonly unknown[] = [churnFlow, churners, reasons, churnBy, leakyBucket, churnMeasures];

let cache: readonly ReportSpec[] | null = null;

/** Every built-in definition (checked like a user's file). */
export function builtinReports(): readonly ReportSpec[] {
  cache ??= SOURCES.map((s) => {
    const name = (s as { name?: string }).name ?? '?';
    return parseReportSpec(JSON.stringify(s, null, 2), `built-in ${name}`);
  });
  return cache;
}

export function builtinReport(name: string): ReportSpec {
  const spec = builtinReports().find((s) => s.name === name);
  if (!spec)
    throw new UserError(
      `no built-in report "${name}" (known: ${builtinReports()
        .map((s) => s.name)
        .join(', ')})`,
    );
  return spec;
}
