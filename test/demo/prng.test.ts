import { describe, expect, it } from 'vitest';
import { Rng, streamSeed } from '../../src/demo/prng.js';
import { noise, normal, pickIndex, cumulative } from '../../src/demo/distributions.js';
import { civilFromDays, daysFromCivil, formatDay, parseDay, DateStrings } from '../../src/demo/calendar.js';

describe('Rng', () => {
  it('repeats a stream for a seed and differs between streams and seeds', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.next()
        )(new Rng(seed)),
      );
    expect(draw(streamSeed(42, 3))).toEqual(draw(streamSeed(42, 3)));
    expect(draw(streamSeed(42, 3))).not.toEqual(draw(streamSeed(42, 4)));
    expect(draw(streamSeed(42, 3))).not.toEqual(draw(streamSeed(43, 3)));
    expect(streamSeed(2 ** 32 + 5, 1)).not.toBe(streamSeed(5, 1));
  });

  it('draws uniform numbers in range', () => {
    const r = new Rng(1);
    let sum = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      counts[r.int(0, 2)]!++;
    }
    expect(sum / 30_000).toBeCloseTo(0.5, 1);
    for (const c of counts) expect(c / 30_000).toBeCloseTo(1 / 3, 1);
  });
});

describe('distributions', () => {
  it('have the intended moments', () => {
    const r = new Rng(9);
    const n = 50_000;
    let z = 0;
    let z2 = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const x = normal(r);
      z += x;
      z2 += x * x;
      m += noise(r, 0.5);
    }
    expect(z / n).toBeCloseTo(0, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
    expect(m / n).toBeCloseTo(1, 1);
    const cum = cumulative([1, 3]);
    let ones = 0;
    for (let i = 0; i < n; i++) ones += pickIndex(r, cum);
    expect(ones / n).toBeCloseTo(0.75, 1);
  });
});

describe('calendar', () => {
  it('converts days and dates both ways', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(formatDay(daysFromCivil(2024, 2, 29))).toBe('2024-02-29');
    for (let d = -800; d < 30_000; d += 7) {
      const { year, month, day } = civilFromDays(d);
      expect(daysFromCivil(year, month, day)).toBe(d);
      expect(formatDay(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
    }
    expect(parseDay('2025-12-31')).toBe(daysFromCivil(2025, 12, 31));
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay('2025-1-01')).toBeNull();
    const s = new DateStrings(daysFromCivil(2025, 1, 1), daysFromCivil(2025, 12, 31));
    expect(s.timestamp(daysFromCivil(2025, 3, 9), 8 * 3600 + 61)).toBe('2025-03-09 08:01:01');
    expect(s.midnight(daysFromCivil(2025, 3, 9))).toBe('2025-03-09 00:00:00');
  });
});
