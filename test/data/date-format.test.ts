import { describe, expect, it } from 'vitest';
import { datePatterns } from '../../src/data/date-format.js';
import { UserError } from '../../src/util/errors.js';

describe('datePatterns', () => {
  it('auto and iso leave parsing to the engine', () => {
    expect(datePatterns(undefined)).toEqual([]);
    expect(datePatterns('auto')).toEqual([]);
    expect(datePatterns('ISO')).toEqual([]);
  });
  it('translates token patterns', () => {
    expect(datePatterns('YYYYMMDD')).toEqual(['%Y%m%d']);
    expect(datePatterns('DD/MM/YYYY')).toEqual(['%d/%m/%Y']);
    expect(datePatterns('YYYY-MM-DD HH:mm:ss')).toEqual(['%Y-%m-%d %H:%M:%S']);
  });
  it('passes strptime patterns through', () => {
    expect(datePatterns('%d.%m.%Y')).toEqual(['%d.%m.%Y']);
  });
  it('rejects unknown tokens', () => {
    expect(() => datePatterns('DD/Mon/YYYY')).toThrow(UserError);
  });
});
