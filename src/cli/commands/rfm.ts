import type { Command } from 'commander';
import { readSegmentMap, rfmAnalysis } from '../../analysis/rfm/rfm-analysis.js';
import { DEFAULT_SEGMENT_MAP } from '../../analysis/rfm/segment-map.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';

interface RfmCliOptions {
  asOf?: string;
  bins?: string;
  windowDays?: string;
  segments?: string;
  showSegments?: boolean;
  out?: string;
  customers?: string;
  json?: boolean;
}

export function registerRfm(program: Command): void {
  program
    .command('rfm')
    .description('recency, frequency, monetary scores and named segments for every customer')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: last transaction day)')
    .option('--bins <n>', 'score bins per dimension, 2..10 (default 5)')
    .option('--window-days <n>', 'count frequency and monetary over the last N days only')
    .option('--segments <file>', 'your own segment map (JSON; see --show-segments)')
    .option('--show-segments', 'print the segment map in force and exit')
    .option('--out <file>', 'write every customer (values, scores, segment) as CSV')
    .option('--customers <n>', 'also list this many customers in the output (highest monetary first)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Recency is days since the last purchase; frequency counts purchase days; monetary is net spend. Scores are
quantile bins (equal values always share a score); 5 is best. Segments come from the R score and the FM score
(the rounded mean of F and M) through the segment map (first matching rule wins).
Examples:
  $ retain rfm --json
  $ retain rfm --as-of 2025-06-30 --bins 5 --out rfm.csv
  $ retain rfm --show-segments --json > my-segments.json   (edit, then)  retain rfm --segments my-segments.json`,
    )
    .action(async (opts: RfmCliOptions, cmd: Command) => {
      const map = opts.segments ? readSegmentMap(opts.segments) : DEFAULT_SEGMENT_MAP;
      if (opts.showSegments) {
        if (opts.json) return printJson(map);
        process.stdout.write(
          formatTable(
            ['segment', 'R', 'FM'],
            map.map((m) => [m.segment, m.r.join('-'), m.fm.join('-')]),
          ) + '\n',
        );
        return;
      }
      const bins = numberOption('--bins', opts.bins, { min: 2, max: 10, integer: true });
      const windowDays = numberOption('--window-days', opts.windowDays, { min: 1, integer: true });
      const listed = numberOption('--customers', opts.customers, { min: 0, integer: true }) ?? 0;
      await withWorkspace(cmd, async (engine) => {
        const result = await rfmAnalysis(engine, {
          segmentMap: map,
          perCustomer: Boolean(opts.out) || listed > 0,
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
          ...(bins ? { bins } : {}),
          ...(windowDays ? { windowDays } : {}),
        });
        const c = result.perCustomer;
        if (opts.out && c)
          await writeColumnsCsv(opts.out, {
            customer_id: c.customerIds,
            recency: c.recency,
            frequency: c.frequency,
            monetary: c.monetary,
            r_score: c.rScore,
            f_score: c.fScore,
            m_score: c.mScore,
            segment: c.segment,
          });
        const top = c
          ? Array.from(c.monetary.keys())
              .sort(
                (a, b) => c.monetary[b]! - c.monetary[a]! || (c.customerIds[a]! < c.customerIds[b]! ? -1 : 1),
              )
              .slice(0, listed)
              .map((i) => ({
                customerId: c.customerIds[i]!,
                recency: c.recency[i]!,
                frequency: c.frequency[i]!,
                monetary: c.monetary[i]!,
                scores: `${c.rScore[i]}${c.fScore[i]}${c.mScore[i]}`,
                segment: c.segment[i]!,
              }))
          : [];
        const { perCustomer: _omit, ...summary } = result;
        if (opts.json)
          return printJson({
            ...summary,
            out: opts.out ?? null,
            ...(listed > 0 ? { topCustomers: top } : {}),
          });
        process.stdout.write(
          `RFM as of ${result.asOf}: ${result.customers} customers scored in ${result.bins} bins` +
            (result.withoutPurchases > 0
              ? ` (${result.withoutPurchases} without purchases, not scored)`
              : '') +
            '\n\n' +
            formatTable(
              [
                'segment',
                'customers',
                'share',
                'revenue',
                'revenue share',
                'mean R (days)',
                'mean F',
                'mean M',
              ],
              result.segments.map((s) => [
                s.segment,
                s.customers,
                `${(100 * s.customerShare).toFixed(1)}%`,
                Math.round(s.revenue),
                `${(100 * s.revenueShare).toFixed(1)}%`,
                Math.round(s.meanRecency),
                Math.round(s.meanFrequency * 10) / 10,
                Math.round(s.meanMonetary),
              ]),
            ) +
            '\n',
        );
      });
    });
}
