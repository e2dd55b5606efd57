/** Fits kept in the workspace: the latest per model kind is the one predictions use. */
import type { Engine } from '../../engine/engine.js';
import { checkFitDocument, type ClvModelKind, type FitDocument } from './fit-document.js';
import { TRANSACTION_MODEL_KINDS } from './transaction-models.js';

export async function storeFit(engine: Engine, doc: FitDocument): Promise<number> {
  const stored = await engine.saveModelFit({
    model: doc.model,
    timeUnit: doc.timeUnit,
    calibrationEnd: doc.calibrationEnd,
    fingerprint: doc.fingerprint ?? '',
    document: doc,
  });
  return stored.fitId;
}

export async function latestFit(engine: Engine, kind: ClvModelKind): Promise<FitDocument | null> {
  const stored = await engine.loadModelFit(kind);
  return stored ? checkFitDocument(stored.document, `workspace fit ${stored.fitId}`) : null;
}

/** The most recently fitted of BG/NBD, Pareto/NBD and MBG/NBD. */
export async function latestTransactionFit(engine: Engine): Promise<FitDocument | null> {
  const fits = (await engine.listModelFits()).filter((f) =>
    (TRANSACTION_MODEL_KINDS as readonly string[]).includes(f.model),
  );
  const newest = fits[0];
  if (!newest) return null;
  const stored = await engine.loadModelFit(newest.model, newest.fitId);
  return stored ? checkFitDocument(stored.document, `workspace fit ${stored.fitId}`) : null;
}
