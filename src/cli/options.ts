import { UserError } from '../util/errors.js';

/** Parse a numeric option, or throw a UserError naming it. */
export function numberOption(
  name: string,
  value: string | undefined,
  rules: { min?: number; max?: number; integer?: boolean; required?: boolean } = {},
): number | undefined {
  if (value === undefined) {
    if (rules.required) throw new UserError(`${name} is required`);
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UserError(`${name} must be a number, not "${value}"`);
  if (rules.integer && !Number.isInteger(n))
    throw new UserError(`${name} must be a whole number, not "${value}"`);
  if (rules.min !== undefined && n < rules.min) throw new UserError(`${name} must be at least ${rules.min}`);
  if (rules.max !== undefined && n > rules.max) throw new UserError(`${name} must be at most ${rules.max}`);
  return n;
}

export function requiredNumber(
  name: string,
  value: string | undefined,
  rules: { min?: number; max?: number; integer?: boolean } = {},
): number {
  return numberOption(name, value, { ...rules, required: true })!;
}

/** Parse `1,2.5,3` into numbers. */
export function numberListOption(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  return parts.map((p) => requiredNumber(name, p));
}

export function choiceOption<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback?: T,
): T {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UserError(`${name} is required (${choices.join(', ')})`);
  }
  if (!(choices as readonly string[]).includes(value))
    throw new UserError(`${name} must be one of ${choices.join(', ')}, not "${value}"`);
  return value as T;
}
