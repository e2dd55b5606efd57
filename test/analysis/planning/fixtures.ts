import { importFile } from '../../../src/data/import.js';
import type { Engine } from '../../../src/engine/engine.js';
import { writeText } from '../../helpers.js';

/**
 * Five scored customers on 2025-06-30 (90-day horizon) with hand-computable run-rate values (net amount of
 * the last 90 days x 365 / 90): A 730, B 73, C 365, D 0 (no purchases), E 146.
 */
export const SCORED = [
  { id: 'A', p: 0.5, amount: 180, segment: 'gold' },
  { id: 'B', p: 0.1, amount: 18, segment: 'gold' },
  { id: 'C', p: 0.9, amount: 90, segment: '' },
  { id: 'D', p: 0.2, amount: 0, segment: '' },
  { id: 'E', p: 0.3, amount: 36, segment: '' },
] as const;

export async function scoredWorkspace(engine: Engine, dir: string): Promise<void> {
  await importFile(engine, {
    table: 'customers',
    file: writeText(
      dir,
      'customers.csv',
      'customer_id,signup_date,segment\n' +
        SCORED.map((c) => `${c.id},2024-01-01,${c.segment}`).join('\n') +
        '\n',
    ),
  });
  const tx = SCORED.filter((c) => c.amount > 0).map((c) => `${c.id},2025-06-01,${c.amount}`);
  // an old purchase outside the 90 days does not count
  tx.push('D,2025-01-15,500');
  await importFile(engine, {
    table: 'transactions',
    file: writeText(dir, 'tx.csv', 'customer_id,date,amount\n' + tx.join('\n') + '\n'),
  });
  await engine.saveChurnScores({
    asOf: '2025-06-30',
    horizonDays: 90,
    model: 'hand-made',
    customerIds: SCORED.map((c) => c.id),
    probabilities: Float64Array.from(SCORED.map((c) => c.p)),
    reasons: SCORED.map(() => '[]'),
  });
}

/** Two actions with whole costs: a call (10, keeps half) and a gift (2, keeps a tenth). */
export const TEST_ACTIONS = [
  { id: 'call', name: 'call', cost: 10, costShare: 0, saveRate: 0.5, minValue: 0, source: 'test' },
  { id: 'gift', name: 'gift', cost: 2, costShare: 0, saveRate: 0.1, minValue: 0, source: 'test' },
];
