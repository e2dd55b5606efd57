// A seeded, BG/NBD-shaped synthetic transaction log for the CLV benchmark, written as CSV
// (customer_id,date,amount) in chunks, so 10,000,000 customers never sit in memory at once.
//
// Per customer (time in weeks from the start date):
// - first purchase at a uniform time in the start window [0, startWeeks);
// - purchase rate λ ~ Gamma(r, α) (rate α) and dropout probability p ~ Beta(a, b);
// - repeat purchases as a Poisson process with rate λ until the end of the log; after each repeat
//   purchase the customer drops out with probability p (the BG/NBD story, Fader, Hardie & Lee 2005);
// - spend per transaction ~ Gamma(p_s, ν) (rate ν) with ν ~ Gamma(q, v) (the Gamma-Gamma story).
// Defaults are near the CDNOW fits; with a 62-week start window over a 78-week log, 1,000,000 customers
// make about 2.3 million transactions.
import { closeSync, openSync, writeSync } from 'node:fs';
import { Random } from '../dist/models/random.js';

export const SYNTHETIC_DEFAULTS = Object.freeze({
  seed: 20_240_101,
  /** First day of the log, ISO. */
  start: '2022-01-03',
  /** Length of the log in weeks (the calibration period of the benchmark). */
  weeks: 78,
  /** First purchases are spread uniformly over the first `startWeeks` weeks. */
  startWeeks: 62,
  bgNbd: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
});

const DAY_MS = 86_400_000;
const CUSTOMERS_PER_CHUNK = 20_000;

/**
 * Write the log of `customers` customers to `file`. Returns the number of transactions, the first and
 * last day of the log (`YYYY-MM-DD`; the last is the natural calibration end) and the parameters used.
 *
 * @example const { transactions, end } = writeSyntheticClvCsv('/tmp/t.csv', 1000)
 */
export function writeSyntheticClvCsv(file, customers, options = {}) {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  const { r, alpha, a, b } = o.bgNbd;
  const { p: shape, q, v } = o.gammaGamma;
  const rng = new Random(o.seed);
  const days = o.weeks * 7;
  const horizon = o.weeks; // weeks
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  // One prefix per day of the log: ",YYYY-MM-DD,".
  const dayText = Array.from(
    { length: days },
    (_, d) => `,${new Date(startMs + d * DAY_MS).toISOString().slice(0, 10)},`,
  );
  const fd = openSync(file, 'w');
  let transactions = 0;
  try {
    writeSync(fd, 'customer_id,date,amount\n');
    let out = '';
    for (let c = 0; c < customers; c++) {
      const id = `C${c}`;
      const lambda = rng.gamma(r, alpha);
      const dropout = rng.beta(a, b);
      const nu = rng.gamma(q, v);
      const amount = () => Math.max(1, Math.round(rng.gamma(shape, nu) * 100)) / 100;
      let t = rng.uniform() * o.startWeeks;
      out += id + dayText[Math.floor(t * 7)] + amount() + '\n';
      transactions++;
      for (;;) {
        t += rng.exponential(lambda);
        if (!(t < horizon)) break;
        out += id + dayText[Math.floor(t * 7)] + amount() + '\n';
        transactions++;
        if (rng.uniform() < dropout) break;
      }
      if ((c + 1) % CUSTOMERS_PER_CHUNK === 0) {
        writeSync(fd, out);
        out = '';
      }
    }
    if (out.length > 0) writeSync(fd, out);
  } finally {
    closeSync(fd);
  }
  return {
    transactions,
    start: o.start,
    end: new Date(startMs + (days - 1) * DAY_MS).toISOString().slice(0, 10),
    params: { bgNbd: o.bgNbd, gammaGamma: o.gammaGamma, weeks: o.weeks, startWeeks: o.startWeeks },
  };
}
