/**
 * The fits a CLV prediction uses: given workspace fit ids, or else the latest transaction model and the
 * latest Gamma-Gamma fit, as `retain clv predict` and `POST /api/clv/predict` choose them.
 */
import type { Engine } from '../../engine/engine.js';
import { UserError } from '../../util/errors.js';
import { checkFitDocument, type FitDocument } from './fit-document.js';
import { TRANSACTION_MODEL_KINDS } from './transaction-models.js';

export interface ChosenFit {
  readonly fitId: number;
  readonly document: FitDocument;
}

/** A stored fit by id (any model kind); null when there is none. */
export async function storedFitById(engine: Engine, fitId: number): Promise<ChosenFit | null> {
  const listed = (await engine.listModelFits()).find((f) => f.fitId === fitId);
  if (!listed) return null;
  const stored = await engine.loadModelFit(listed.model, fitId);
  return stored
    ? { fitId, document: checkFitDocument(stored.document, `workspace fit ${stored.fitId}`) }
    : null;
}

async function newestOf(engine: Engine, kinds: readonly string[]): Promise<ChosenFit | null> {
  const newest = (await engine.listModelFits()).find((f) => kinds.includes(f.model));
  return newest ? storedFitById(engine, newest.fitId) : null;
}

/**
 * The transaction model (fit `fitId`, else the newest BG/NBD, Pareto/NBD, MBG/NBD or BG/BB fit) and the
 * spend model (fit `spendFitId`, else the newest Gamma-Gamma fit, else none: mean spend).
 */
export async function choosePredictionFits(
  engine: Engine,
  ids: { fitId?: number; spendFitId?: number },
): Promise<{ fit: ChosenFit; spendFit: ChosenFit | null }> {
  const fit =
    ids.fitId === undefined
      ? await newestOf(engine, TRANSACTION_MODEL_KINDS)
      : await storedFitById(engine, ids.fitId);
  if (!fit)
    throw new UserError(
      ids.fitId === undefined
        ? 'no transaction model: run `retain clv fit --model bgnbd` first (or POST /api/clv/fit)'
        : `no fit ${ids.fitId} in the workspace (see retain clv fits)`,
    );
  if (!(TRANSACTION_MODEL_KINDS as readonly string[]).includes(fit.document.model))
    throw new UserError(
      `fit ${fit.fitId} is a ${fit.document.model} model; predictions need ${TRANSACTION_MODEL_KINDS.join(', ')}`,
    );
  return { fit, spendFit: await chooseSpendFit(engine, ids.spendFitId) };
}

/** Fit `spendFitId` (must be gg), else the newest Gamma-Gamma fit, else null (mean spend). */
export async function chooseSpendFit(engine: Engine, spendFitId?: number): Promise<ChosenFit | null> {
  const spendFit =
    spendFitId === undefined ? await newestOf(engine, ['gg']) : await storedFitById(engine, spendFitId);
  if (spendFitId !== undefined && !spendFit)
    throw new UserError(`no fit ${spendFitId} in the workspace (see retain clv fits)`);
  if (spendFit && spendFit.document.model !== 'gg')
    throw new UserError(
      `fit ${spendFit.fitId} is a ${spendFit.document.model} model; the spend model must be gg`,
    );
  return spendFit;
}
