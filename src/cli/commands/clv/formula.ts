import type { Command } from 'commander';
import { formulaClv } from '../../../models/formula/formula-clv.js';
import { simpleClv } from '../../../models/formula/simple-clv.js';
import { spendShareClv } from '../../../models/formula/spend-share-clv.js';
import { choiceOption, numberListOption, numberOption, requiredNumber } from '../../options.js';
import { printJson } from '../../output.js';
import { UserError } from '../../../util/errors.js';

interface FormulaOptions {
  model?: string;
  p0?: string;
  c0?: string;
  revenue?: string;
  cost?: string;
  rate?: string;
  years?: string;
  aov?: string;
  purchasesPerYear?: string;
  acquisitionCost?: string;
  purchases?: string;
  share?: string;
  contribution?: string;
  periods?: string;
  json?: boolean;
}

const MODELS = ['revenue', 'profit', 'contribution', 'simple', 'spend-share'] as const;

export function registerClvFormula(clv: Command): void {
  clv
    .command('formula')
    .description('CLV by a formula model (DOMAIN 4.2): revenue, profit, contribution, simple, spend-share')
    .option('--model <model>', MODELS.join(' | '))
    .option('--p0 <amount>', 'first purchase price P0 (revenue, profit)')
    .option('--c0 <amount>', 'acquisition cost C0 (profit)')
    .option('--revenue <amount>', 'yearly revenue In')
    .option('--cost <amount>', 'yearly cost to serve Cs (profit, contribution)')
    .option('--rate <rate>', 'discount rate per year, e.g. 0.09 (spend-share: per period)')
    .option('--years <n>', 'loyal years n (simple: expected lifespan)')
    .option('--aov <amount>', 'simple: average order value or profit per order')
    .option('--purchases-per-year <n>', 'simple: purchases per year')
    .option('--acquisition-cost <amount>', 'simple: acquisition cost to subtract')
    .option('--purchases <list>', 'spend-share: expected category purchases per period F_t (comma-separated)')
    .option('--share <list>', "spend-share: the brand's share S_t per period")
    .option('--contribution <list>', 'spend-share: contribution per purchase R_t per period')
    .option('--periods <n>', 'spend-share: number of periods (default: the longest list)')
    .option('--json', 'print { "clv", "model", inputs... } as JSON')
    .addHelpText(
      'after',
      `
Examples (DOMAIN 4.2.a, 4.2.b and the simple model):
  $ retain clv formula --model profit --p0 2000 --c0 400 --revenue 500 --cost 10 --rate 0.09 --years 5 --json
  $ retain clv formula --model contribution --revenue 450 --cost 100 --rate 0.09 --years 5
  $ retain clv formula --model simple --aov 100 --purchases-per-year 24 --years 20
  $ retain clv formula --model spend-share --purchases 10,12 --share 0.5 --contribution 20 --rate 0.1`,
    )
    .action((opts: FormulaOptions) => {
      const model = choiceOption('--model', opts.model, MODELS);
      let result: Record<string, unknown>;
      if (model === 'simple') {
        const inputs = {
          averageOrderValue: requiredNumber('--aov', opts.aov),
          purchasesPerYear: requiredNumber('--purchases-per-year', opts.purchasesPerYear, { min: 0 }),
          lifespanYears: requiredNumber('--years', opts.years, { min: 0 }),
          acquisitionCost: numberOption('--acquisition-cost', opts.acquisitionCost) ?? 0,
        };
        result = { model, clv: simpleClv(inputs), inputs };
      } else if (model === 'spend-share') {
        const inputs = {
          purchases: numberListOption('--purchases', opts.purchases) ?? requiredList('--purchases'),
          share: numberListOption('--share', opts.share) ?? requiredList('--share'),
          contribution:
            numberListOption('--contribution', opts.contribution) ?? requiredList('--contribution'),
          rate: requiredNumber('--rate', opts.rate, { min: 0 }),
          ...(opts.periods
            ? { periods: requiredNumber('--periods', opts.periods, { min: 1, integer: true }) }
            : {}),
        };
        result = { model, clv: spendShareClv(inputs), inputs };
      } else {
        const inputs = {
          firstPurchase: numberOption('--p0', opts.p0) ?? 0,
          acquisitionCost: numberOption('--c0', opts.c0) ?? 0,
          yearlyRevenue: requiredNumber('--revenue', opts.revenue),
          yearlyCost: numberOption('--cost', opts.cost) ?? 0,
          rate: requiredNumber('--rate', opts.rate, { min: 0 }),
          years: requiredNumber('--years', opts.years, { min: 0 }),
        };
        const r = formulaClv(model, inputs);
        result = { model, clv: r.clv, annuityFactor: r.annuityFactor, inputs };
      }
      if (opts.json) printJson(result);
      else process.stdout.write(`${model} model CLV: ${(result.clv as number).toFixed(2)}\n`);
    });
}

function requiredList(name: string): never {
  throw new UserError(`${name} is required for the spend-share model`);
}
