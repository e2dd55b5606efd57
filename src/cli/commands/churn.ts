import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { CHURN_MODEL_KINDS, type ChurnModelKind } from '../../analysis/churn/churn-learner.js';
import { readChurnModel, writeChurnModel } from '../../analysis/churn/churn-model-file.js';
import {
  readLabelledTable,
  trainSummary,
  trainChurnFromTable,
  trainChurnFromWorkspace,
  type ChurnTrainResult,
} from '../../analysis/churn/churn-train.js';
import {
  pastPeriods,
  reasonText,
  scoreChurn,
  type ChurnScoreReport,
} from '../../analysis/churn/churn-score.js';
import { backtestChurn } from '../../analysis/churn/churn-backtest.js';
import { churnIndex, type ChurnRating } from '../../analysis/churn/churn-index.js';
import { compareChurned, type AttributeComparison } from '../../analysis/churn/churn-compare.js';
import { featureTableOf } from '../../analysis/churn/workspace-table.js';
import { churnCountForecast } from '../../models/churn-count-forecast.js';
import { churnEvaluationCharts } from '../../charts/churn-charts.js';
import { columnIndex, readTextTable } from '../../data/read-text-table.js';
import { UserError } from '../../util/errors.js';
import { withWorkspace } from '../context.js';
import { writeColumnsCsv } from '../csv-out.js';
import { choiceOption, numberListOption, numberOption } from '../options.js';
import { formatTable, printJson } from '../output.js';
import { terminalProgress } from '../progress-bar.js';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

interface TrainCliOptions {
  table?: string;
  id?: string;
  label?: string;
  positive?: string;
  testIds?: string;
  model?: string;
  exclude?: string;
  seed?: string;
  save?: string;
  horizon?: string;
  asOf?: string;
  folds?: string;
  classWeight?: string;
  penalty?: string;
  C?: string;
  l1Ratio?: string;
  charts?: string;
  threshold?: string;
  volume?: string;
  json?: boolean;
}

function printTrain(result: ChurnTrainResult, saved: string | null): void {
  const lines: string[] = [];
  for (const r of result.runs) {
    lines.push(
      `${r.model.kind} model${r.horizonDays ? `, churn within ${r.horizonDays} days of ${r.asOf}` : ''}: ` +
        `trained on ${r.train.rows} customers (${r.train.positives} churned)`,
    );
    if (r.test)
      lines.push(
        `test (${r.test.rows} customers, ${r.test.positives} churned): ROC AUC ${f3(r.test.rocAuc)}, PR AUC ${f3(r.test.prAuc)}, ` +
          `log loss ${f3(r.test.logLoss)}, Brier ${f3(r.test.brier)}, top-decile lift ${r.test.liftTopDecile.toFixed(2)}`,
      );
    if (r.crossValidation)
      lines.push(
        `${r.crossValidation.folds}-fold CV ROC AUC ${f3(r.crossValidation.rocAuc.mean)} ± ${f3(r.crossValidation.rocAuc.sd)}`,
      );
    lines.push(
      formatTable(
        ['column', 'importance'],
        r.importance.slice(0, 10).map((c) => [c.column, f3(c.importance)]),
      ),
    );
    lines.push('');
  }
  if (saved) lines.push(`saved to ${saved}`);
  process.stdout.write(lines.join('\n') + '\n');
}

function printScores(report: ChurnScoreReport): void {
  const lines = [
    `${report.customers} customers at risk on ${report.asOf} (${report.population})${report.saved ? ', scores stored' : ''}`,
    formatTable(
      ['horizon', 'model', 'mean probability', 'expected churners', 'interval'],
      report.horizons.map((h) => [
        `${h.horizonDays} days`,
        h.kind,
        pct(h.meanProbability),
        h.churners.expected.toFixed(1),
        `${h.churners.lower}-${h.churners.upper} (${Math.round(h.churners.level * 100)}%${h.churners.drift === null ? ', chance only' : `, rate drift ±${pct(h.churners.drift)}`})`,
      ]),
    ),
    '',
  ];
  if (report.list.length > 0)
    lines.push(
      formatTable(
        ['customer', ...report.horizons.map((h) => `p ${h.horizonDays}d`), 'top reasons'],
        report.list.map((r) => [r.customerId, ...r.probabilities.map(pct), reasonText(r.reasons)]),
      ),
    );
  process.stdout.write(lines.join('\n') + '\n');
}

export function registerChurn(program: Command): void {
  const churn = program
    .command('churn')
    .description('churn prediction: train, score, forecast, backtest, churn index, churned vs retained');

  churn
    .command('train')
    .description('train a churn model on a customer table with a label column, or on the workspace')
    .option('--table <file>', 'CSV with a header: one row per customer, a label column, any other columns')
    .option('--id <column>', 'id column of --table')
    .option('--label <column>', 'label column of --table')
    .option('--positive <value>', 'label value meaning churned (e.g. Yes)')
    .option(
      '--test-ids <file>',
      'ids to hold out for testing, one per line (default: a stratified 30 % split)',
    )
    .option('--horizon <days>', 'workspace: churn within these days, comma-separated (default 30,90,180)')
    .option('--as-of <date>', 'workspace: training day (default: the last data day minus the horizon)')
    .option('--model <kind>', `${CHURN_MODEL_KINDS.join(' | ')} (default logistic)`)
    .option('--exclude <columns>', 'comma-separated columns to leave out')
    .option('--class-weight <w>', 'balanced: weigh churners and stayers equally')
    .option('--penalty <p>', 'logistic model: l2 (default) | l1 | elasticnet')
    .option('--C <c>', 'logistic model: inverse penalty strength, as scikit-learn (default 1)')
    .option('--l1-ratio <a>', 'logistic model: L1 share of the elastic net (0-1)')
    .option('--folds <k>', 'k-fold cross-validation on the training rows')
    .option('--seed <n>', 'seed of the split, validation and folds (default 42)')
    .option('--threshold <p>', 'confusion matrix at this probability (default 0.5)')
    .option('--volume <n>', 'confusion matrix for the top n customers (default: as many as churned)')
    .option('--charts <dir>', 'write ROC, precision-recall, gains and calibration charts (SVG) here')
    .option('--save <file>', 'write the model (JSON) for `retain churn score`')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ retain churn train --table datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv --id customerID --label Churn \\
      --positive Yes --model gbdt --json
  $ retain churn train --horizon 30,90,180 --model gbdt --save churn.json
  $ retain churn score --model churn.json --out scores.csv`,
    )
    .action(async (opts: TrainCliOptions, cmd: Command) => {
      const kind = choiceOption('--model', opts.model, CHURN_MODEL_KINDS, 'logistic') as ChurnModelKind;
      const common = {
        kind,
        seed: numberOption('--seed', opts.seed, { integer: true }) ?? 42,
        classWeight: opts.classWeight
          ? (choiceOption('--class-weight', opts.classWeight, ['balanced'], 'balanced') as 'balanced')
          : null,
        exclude: opts.exclude ? opts.exclude.split(',').map((s) => s.trim()) : [],
        ...(opts.penalty
          ? {
              penalty: choiceOption('--penalty', opts.penalty, ['l2', 'l1', 'elasticnet'], 'l2') as
                'l2' | 'l1' | 'elasticnet',
            }
          : {}),
        ...(opts.C ? { C: numberOption('--C', opts.C, { min: 1e-12 })! } : {}),
        ...(opts.penalty === 'elasticnet' && !opts.l1Ratio
          ? (() => {
              throw new UserError('--penalty elasticnet needs --l1-ratio');
            })()
          : {}),
        ...(opts.l1Ratio ? { l1Ratio: numberOption('--l1-ratio', opts.l1Ratio, { min: 0, max: 1 })! } : {}),
        ...(opts.folds ? { folds: numberOption('--folds', opts.folds, { integer: true, min: 2 })! } : {}),
        ...(opts.threshold
          ? { threshold: numberOption('--threshold', opts.threshold, { min: 0, max: 1 })! }
          : {}),
        ...(opts.volume ? { volume: numberOption('--volume', opts.volume, { integer: true, min: 1 })! } : {}),
      };
      const finish = (result: ChurnTrainResult) => {
        if (opts.save) writeChurnModel(opts.save, result.document);
        if (opts.charts) {
          mkdirSync(opts.charts, { recursive: true });
          for (const r of result.runs) {
            if (!r.test || !r.testScores) continue;
            const charts = churnEvaluationCharts(
              r.test,
              r.testScores.probabilities,
              r.testScores.labels,
              r.model.kind,
            );
            for (const [name, svg] of Object.entries(charts))
              writeFileSync(join(opts.charts, r.horizonDays ? `${r.horizonDays}d-${name}` : name), svg);
          }
        }
        if (opts.json) printJson(trainSummary(result, opts.save ?? null));
        else printTrain(result, opts.save ?? null);
      };
      if (opts.table) {
        for (const [name, v] of [
          ['--id', opts.id],
          ['--label', opts.label],
          ['--positive', opts.positive],
        ] as const)
          if (!v) throw new UserError(`${name} is required with --table`);
        finish(
          await trainChurnFromTable({
            ...common,
            file: opts.table,
            idColumn: opts.id!,
            labelColumn: opts.label!,
            positive: opts.positive!,
            ...(opts.testIds ? { testIdsFile: opts.testIds } : {}),
          }),
        );
        return;
      }
      if (opts.testIds) throw new UserError('--test-ids goes with --table');
      await withWorkspace(cmd, async (engine) => {
        const progress = terminalProgress();
        finish(
          await trainChurnFromWorkspace(engine, {
            ...common,
            horizons: numberListOption('--horizon', opts.horizon) ?? [30, 90, 180],
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            onHorizon: (done, total) => progress({ phase: 'horizons', done, total, unit: 'models' }),
          }),
        );
      });
    });

  churn
    .command('score')
    .description('score every customer at risk with a saved model; the scores are stored in the workspace')
    .requiredOption('--model <file>', 'model file written by `retain churn train --save`')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: the last data day)')
    .option('--out <file>', 'write every customer with probabilities and top reasons as CSV')
    .option('--limit <n>', 'customers to list, highest risk first (default 20)')
    .option('--top <n>', 'reasons per customer (default 3)')
    .option('--level <p>', 'interval level of the churner count (default 0.9)')
    .option('--no-save', 'do not store the scores')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        opts: {
          model: string;
          asOf?: string;
          out?: string;
          limit?: string;
          top?: string;
          level?: string;
          save?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const loaded = readChurnModel(opts.model);
        await withWorkspace(cmd, async (engine) => {
          const report = await scoreChurn(engine, loaded, {
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            save: opts.save !== false,
            list: numberOption('--limit', opts.limit, { integer: true, min: 0 }) ?? 20,
            top: numberOption('--top', opts.top, { integer: true, min: 1 }) ?? 3,
            ...(opts.level ? { level: numberOption('--level', opts.level, { min: 0.5, max: 0.999 })! } : {}),
            modelName: basename(opts.model),
            perCustomer: Boolean(opts.out),
          });
          if (opts.out && report.perCustomer) {
            const c = report.perCustomer;
            await writeColumnsCsv(opts.out, {
              customer_id: c.customerIds,
              ...Object.fromEntries(
                report.horizons.map((h, k) => [`p_${h.horizonDays}d`, c.probabilities[k]!]),
              ),
              reasons: c.reasons,
            });
          }
          const { perCustomer: _omit, ...rest } = report;
          if (opts.json) return printJson({ ...rest, out: opts.out ?? null });
          printScores(report);
        });
      },
    );

  churn
    .command('forecast')
    .description('expected number of churners per horizon with an interval (stored scores, or a model)')
    .option('--model <file>', 'score now with this model (default: the latest stored scores)')
    .option('--as-of <date>', 'inclusive YYYY-MM-DD (default: the last data day / the latest stored scores)')
    .option('--level <p>', 'interval level (default 0.9)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { model?: string; asOf?: string; level?: string; json?: boolean }, cmd: Command) => {
      const level = numberOption('--level', opts.level, { min: 0.5, max: 0.999 }) ?? 0.9;
      await withWorkspace(cmd, async (engine) => {
        let forecast: { asOf: string; customers: number; source: string; horizons: object[] };
        if (opts.model) {
          const report = await scoreChurn(engine, readChurnModel(opts.model), {
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            save: false,
            list: 0,
            level,
          });
          forecast = {
            asOf: report.asOf,
            customers: report.customers,
            source: opts.model,
            horizons: report.horizons.map((h) => ({
              horizonDays: h.horizonDays,
              ...h.churners,
              rate: h.meanProbability,
            })),
          };
        } else {
          const stored = await engine.storedChurnProbabilities(opts.asOf);
          if (stored.asOf === null)
            throw new UserError(
              'no stored churn scores: run `retain churn score --model FILE` first, or give --model',
            );
          forecast = {
            asOf: stored.asOf,
            customers: stored.horizons[0]?.probabilities.length ?? 0,
            source: 'stored scores',
            horizons: await Promise.all(
              stored.horizons.map(async (h) => {
                const history = await pastPeriods(engine, stored.asOf!, h.horizonDays, 6);
                const c = churnCountForecast(h.probabilities, history, level);
                return {
                  horizonDays: h.horizonDays,
                  ...c,
                  rate: c.expected / Math.max(1, h.probabilities.length),
                };
              }),
            ),
          };
        }
        if (opts.json) return printJson(forecast);
        process.stdout.write(
          `${forecast.customers} customers at risk on ${forecast.asOf} (${forecast.source})\n` +
            formatTable(
              ['horizon', 'expected churners', 'interval', 'rate'],
              (
                forecast.horizons as {
                  horizonDays: number;
                  expected: number;
                  lower: number;
                  upper: number;
                  level: number;
                  rate: number;
                }[]
              ).map((h) => [
                `${h.horizonDays} days`,
                h.expected.toFixed(1),
                `${h.lower}-${h.upper} (${Math.round(h.level * 100)}%)`,
                pct(h.rate),
              ]),
            ) +
            '\n',
        );
      });
    });

  churn
    .command('backtest')
    .description('train at D - horizon, forecast at D, compare with what happened, for several days D')
    .requiredOption('--dates <days>', 'comma-separated YYYY-MM-DD days D')
    .option('--horizon <days>', 'horizon in days (default 90)')
    .option('--model <kind>', `${CHURN_MODEL_KINDS.join(' | ')} (default logistic)`)
    .option('--level <p>', 'interval level (default 0.9)')
    .option('--seed <n>', 'seed (default 42)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        opts: {
          dates: string;
          horizon?: string;
          model?: string;
          level?: string;
          seed?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await withWorkspace(cmd, async (engine) => {
          const progress = terminalProgress();
          const result = await backtestChurn(engine, {
            horizonDays: numberOption('--horizon', opts.horizon, { integer: true, min: 1 }) ?? 90,
            dates: opts.dates.split(',').map((s) => s.trim()),
            kind: choiceOption('--model', opts.model, CHURN_MODEL_KINDS, 'logistic') as ChurnModelKind,
            seed: numberOption('--seed', opts.seed, { integer: true }) ?? 42,
            ...(opts.level ? { level: numberOption('--level', opts.level, { min: 0.5, max: 0.999 })! } : {}),
            onDate: (done, total) => progress({ phase: 'backtest', done, total, unit: 'dates' }),
          });
          if (opts.json) return printJson(result);
          process.stdout.write(
            formatTable(
              ['as of', 'customers', 'forecast', 'interval', 'actual', 'held', 'ROC AUC', 'lift'],
              result.rows.map((r) => [
                r.asOf,
                r.customers,
                r.forecast.expected.toFixed(1),
                `${r.forecast.lower}-${r.forecast.upper}`,
                r.actual,
                r.withinInterval ? 'yes' : 'no',
                f3(r.rocAuc),
                r.liftTopDecile.toFixed(2),
              ]),
            ) +
              `\ninterval coverage ${pct(result.coverage)}, mean absolute error of the count ${pct(result.meanAbsolutePercentError)}\n`,
          );
        });
      },
    );

  churn
    .command('index')
    .description('churn index: why customers would leave, from survey ratings x importance x availability')
    .requiredOption(
      '--ratings <file>',
      'CSV: reason, rating, importance, availability [, group or customer_id]',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Per reason: index = (10 - rating) / 9 x importance / 10 x availability / 10 (ratings 1-10, 10 = satisfied;
importance and availability of alternatives 1-10). A group's index per reason is the mean over its rows.`,
    )
    .action(async (opts: { ratings: string; json?: boolean }) => {
      const table = await readTextTable(opts.ratings);
      const col = (name: string) => columnIndex(table, name, '--ratings');
      const [reason, rating, importance, availability] = [
        'reason',
        'rating',
        'importance',
        'availability',
      ].map(col);
      const groupCol =
        table.header.indexOf('group') >= 0 ? col('group') : table.header.indexOf('customer_id');
      const ratings: ChurnRating[] = table.rows.map((r, i) => {
        const num = (j: number, name: string) => {
          const v = Number(r[j]);
          if (r[j]!.trim() === '' || !(v >= 1 && v <= 10))
            throw new UserError(
              `${opts.ratings}: line ${i + 2}, ${name}: "${r[j]}" is not a number from 1 to 10`,
            );
          return v;
        };
        return {
          group: groupCol >= 0 ? r[groupCol]! : '',
          reason: r[reason!]!,
          rating: num(rating!, 'rating'),
          importance: num(importance!, 'importance'),
          availability: num(availability!, 'availability'),
        };
      });
      const groups = churnIndex(ratings);
      if (opts.json) return printJson({ groups });
      for (const g of groups)
        process.stdout.write(
          `${g.group ? `${g.group}: ` : ''}top driver ${g.topDriver ?? '-'} (total index ${f3(g.total)})\n` +
            formatTable(
              ['reason', 'rating', 'importance', 'availability', 'index', 'share'],
              g.reasons.map((r) => [
                r.reason,
                r.meanRating.toFixed(1),
                r.meanImportance.toFixed(1),
                r.meanAvailability.toFixed(1),
                f3(r.index),
                pct(r.share),
              ]),
            ) +
            '\n\n',
        );
    });

  churn
    .command('compare')
    .description('churned vs retained customers on every attribute, with a test per attribute')
    .option('--table <file>', 'a customer table with a label column (else the workspace)')
    .option('--id <column>', 'id column of --table')
    .option('--label <column>', 'label column of --table')
    .option('--positive <value>', 'label value meaning churned')
    .option('--horizon <days>', 'workspace: churned within this many days of --as-of (default 90)')
    .option('--as-of <date>', 'workspace: the day (default: the last data day minus the horizon)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        opts: {
          table?: string;
          id?: string;
          label?: string;
          positive?: string;
          horizon?: string;
          asOf?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const report = (source: object, attributes: AttributeComparison[]) => {
          if (opts.json) return printJson({ ...source, attributes });
          process.stdout.write(
            formatTable(
              ['attribute', 'test', 'churned', 'retained', 'effect', 'p'],
              attributes.map((a) =>
                a.kind === 'numeric'
                  ? [
                      a.column,
                      'Welch t',
                      f3(a.churned.mean),
                      f3(a.retained.mean),
                      `d ${f3(a.standardizedDifference)}`,
                      a.p.toExponential(2),
                    ]
                  : [
                      a.column,
                      'chi-square',
                      a.levels.reduce((s, l) => s + l.churned, 0),
                      a.levels.reduce((s, l) => s + l.retained, 0),
                      `V ${f3(a.cramersV)}`,
                      a.p.toExponential(2),
                    ],
              ),
            ) + '\n',
          );
        };
        if (opts.table) {
          if (!opts.id || !opts.label || !opts.positive)
            throw new UserError('--id, --label and --positive are required with --table');
          const records = await readLabelledTable(opts.table, {
            idColumn: opts.id,
            labelColumn: opts.label,
            positive: opts.positive,
          });
          return report({ source: 'table', rows: records.ids.length }, compareChurned(records.table));
        }
        await withWorkspace(cmd, async (engine) => {
          const horizonDays = numberOption('--horizon', opts.horizon, { integer: true, min: 1 }) ?? 90;
          const cols = await engine.churnFeatures({ horizonDays, ...(opts.asOf ? { asOf: opts.asOf } : {}) });
          report(
            { source: 'workspace', asOf: cols.asOf, horizonDays, rows: cols.customerIds.length },
            compareChurned({ features: featureTableOf(cols), labels: cols.labels! }),
          );
        });
      },
    );

  churn
    .command('scores')
    .description('stored churn scores: the riskiest customers of a day, or one customer')
    .option('--as-of <date>', 'the scoring day (default: the latest)')
    .option('--customer <id>', 'one customer')
    .option('--limit <n>', 'rows (default 20)')
    .option('--offset <n>', 'rows skipped first, for paging (default 0)')
    .option('--json', 'print { asOf, total, offset, scores } as JSON')
    .action(
      async (
        opts: { asOf?: string; customer?: string; limit?: string; offset?: string; json?: boolean },
        cmd: Command,
      ) => {
        const offset = numberOption('--offset', opts.offset, { integer: true, min: 0 }) ?? 0;
        await withWorkspace(cmd, async (engine) => {
          const r = await engine.churnScores({
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            ...(opts.customer ? { customerId: opts.customer } : {}),
            limit: numberOption('--limit', opts.limit, { integer: true, min: 0 }) ?? 20,
            offset,
          });
          const scores = r.scores.map((s) => ({ ...s, reasons: JSON.parse(s.reasons) as unknown }));
          if (opts.json) return printJson({ asOf: r.asOf, total: r.total, offset, scores });
          if (r.asOf === null) {
            process.stdout.write('no stored scores: run `retain churn score --model FILE` first\n');
            return;
          }
          process.stdout.write(
            formatTable(
              ['customer', 'horizon', 'probability', 'reasons'],
              r.scores.map((s) => [
                s.customerId,
                `${s.horizonDays}d`,
                pct(s.probability),
                reasonText(JSON.parse(s.reasons)),
              ]),
            ) + '\n',
          );
        });
      },
    );
}
