import { readFileSync } from 'node:fs';
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from '../../engine/lifecycle-types.js';
import { UserError } from '../../util/errors.js';

/**
 * Lifecycle rules from a JSON file: any subset of the named settings of `DEFAULT_LIFECYCLE_RULES`, the rest
 * keep their defaults. Unknown names and non-numbers are errors naming the setting.
 */
export function readLifecycleRules(file: string): LifecycleRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: cannot read lifecycle rules (${(error as Error).message})`);
  }
  return mergeLifecycleRules(parsed, file);
}

export function mergeLifecycleRules(value: unknown, source: string): LifecycleRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UserError(`${source}: lifecycle rules must be a JSON object of settings`);
  const out: Record<string, number> = { ...DEFAULT_LIFECYCLE_RULES };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in DEFAULT_LIFECYCLE_RULES))
      throw new UserError(
        `${source}: unknown lifecycle setting "${key}" (settings: ${Object.keys(DEFAULT_LIFECYCLE_RULES).join(', ')})`,
      );
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new UserError(`${source}: lifecycle setting "${key}" must be a number >= 0`);
    out[key] = v;
  }
  if (out.declineOnRecencyAlert !== 0 && out.declineOnRecencyAlert !== 1)
    throw new UserError(`${source}: lifecycle setting "declineOnRecencyAlert" must be 0 or 1`);
  if (!Number.isInteger(out.declineAlertSeverity))
    throw new UserError(`${source}: lifecycle setting "declineAlertSeverity" must be a whole number`);
  if (out.activeDays! > out.lostDays!) throw new UserError(`${source}: activeDays must not exceed lostDays`);
  return out as unknown as LifecycleRules;
}
