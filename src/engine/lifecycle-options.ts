/** Checks of the lifecycle rules shared by the engines (every threshold a number >= 0). */
import { UserError } from '../util/errors.js';
import type { LifecycleRules } from './lifecycle-types.js';

/** One rule's value, refused unless a finite number >= 0. */
export function lifecycleRuleNumber(v: number, name: string): number {
  if (!Number.isFinite(v) || v < 0)
    throw new UserError(`lifecycle rule ${name} must be a number >= 0, got ${v}`);
  return v;
}

/** Every rule checked, as the text written into SQL and into the rule explanations. */
export function lifecycleRuleTexts(rules: LifecycleRules): Record<keyof LifecycleRules, string> {
  return Object.fromEntries(
    Object.entries(rules).map(([k, v]) => [k, String(lifecycleRuleNumber(v as number, k))]),
  ) as Record<keyof LifecycleRules, string>;
}
