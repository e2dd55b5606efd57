import { describe, expect, it } from 'vitest';
import { checkIsoDate } from '../../src/util/dates.js';
import { UserError } from '../../src/util/errors.js';

describe('checkIsoDate', () => {
  it('accepts real days and rejects the rest with a UserError naming the option', () => {
    expect(() => checkIsoDate('--as-of', '2024-02-29')).not.toThrow();
    expect(() => checkIsoDate('--as-of', undefined)).not.toThrow();
    for (const bad of ['2024-13-01', '2023-02-29', '2024-1-01', 'yesterday', '2024-04-31']) {
      expect(() => checkIsoDate('--as-of', bad)).toThrow(UserError);
      expect(() => checkIsoDate('--as-of', bad)).toThrow(
        `--as-of must be a date written YYYY-MM-DD, not "${bad}"`,
      );
    }
  });
});
