/**
 * Editing the workspace's reason-code taxonomy (DOMAIN.md 5.2): check codes, read a taxonomy file (CSV with
 * a header, or a JSON / YAML list), add codes. Churn-event imports reject codes that are not in the table.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isSeq, parseDocument } from 'yaml';
import type { ReasonCode } from '../../data/reason-codes.js';
import type { Engine } from '../../engine/engine.js';
import { readTextTable } from '../../data/read-text-table.js';
import { UserError } from '../../util/errors.js';

export const REASON_TYPES = ['voluntary', 'involuntary'] as const;
export const REASON_FAMILIES = [
  'product',
  'price',
  'service',
  'benefit',
  'management',
  'industry',
  'natural',
  'other',
] as const;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/;

/** Check one code's fields; returns the problems (empty when fine). */
export function reasonCodeProblems(c: Partial<Record<keyof ReasonCode, unknown>>): string[] {
  const out: string[] = [];
  if (typeof c.code !== 'string' || !CODE.test(c.code))
    out.push(`code must be 1-20 letters, digits, "_", "." or "-", not ${JSON.stringify(c.code ?? null)}`);
  if (typeof c.reason !== 'string' || c.reason.trim() === '') out.push('reason must not be empty');
  if (c.reasonZh !== undefined && c.reasonZh !== null && typeof c.reasonZh !== 'string')
    out.push('reason_zh must be text');
  if (!(REASON_TYPES as readonly unknown[]).includes(c.type))
    out.push(`type must be ${REASON_TYPES.join(' or ')}, not ${JSON.stringify(c.type ?? null)}`);
  if (!(REASON_FAMILIES as readonly unknown[]).includes(c.family))
    out.push(`family must be one of ${REASON_FAMILIES.join(', ')}, not ${JSON.stringify(c.family ?? null)}`);
  return out;
}

function toCode(raw: Record<string, unknown>): Partial<Record<keyof ReasonCode, unknown>> {
  const s = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v);
  return {
    code: s(raw.code),
    reason: s(raw.reason),
    reasonZh: s(raw.reason_zh ?? raw.reasonZh ?? ''),
    type: typeof raw.type === 'string' ? raw.type.trim().toLowerCase() : raw.type,
    family:
      typeof raw.family === 'string' && raw.family.trim() !== ''
        ? raw.family.trim().toLowerCase()
        : raw.family === undefined || raw.family === null || raw.family === ''
          ? 'other'
          : raw.family,
  };
}

function finish(items: { line: number; raw: Record<string, unknown> }[], source: string): ReasonCode[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const codes: ReasonCode[] = [];
  for (const { line, raw } of items) {
    const c = toCode(raw);
    const p = reasonCodeProblems(c);
    if (typeof c.code === 'string' && seen.has(c.code)) p.push(`code ${c.code} appears twice`);
    if (typeof c.code === 'string') seen.add(c.code);
    for (const m of p) problems.push(`  ${source}:${line}: ${m}`);
    if (p.length === 0) codes.push(c as ReasonCode);
  }
  if (problems.length > 0)
    throw new UserError(
      [`reason codes in ${source} have ${problems.length} problem(s):`, ...problems.slice(0, 20)].join('\n'),
    );
  if (codes.length === 0) throw new UserError(`${source} holds no reason codes`);
  return codes;
}

/** Parse a JSON or YAML list of codes ({ code, reason, reason_zh, type, family }). */
export function parseReasonCodes(text: string, source: string): ReasonCode[] {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UserError(`${source}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  }
  const seq = doc.contents;
  if (!isSeq(seq)) throw new UserError(`${source}: expected a list of reason codes`);
  const value = doc.toJS() as unknown[];
  return finish(
    value.map((raw, i) => {
      const offset = (seq.items[i] as { range?: [number] } | undefined)?.range?.[0] ?? 0;
      const line = lines.linePos(offset).line;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { line, raw: {} };
      return { line, raw: raw as Record<string, unknown> };
    }),
    source,
  );
}

/** Read a taxonomy file: `.json`, `.yaml` / `.yml` lists, else a delimited table with a header. */
export async function readReasonCodesFile(file: string): Promise<ReasonCode[]> {
  if (/\.(json|ya?ml)$/i.test(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
    }
    return parseReasonCodes(text, file);
  }
  const table = await readTextTable(file);
  const header = table.header.map((h) => h.trim().toLowerCase());
  for (const need of ['code', 'reason', 'type'])
    if (!header.includes(need))
      throw new UserError(`${file}: the header needs the columns code, reason, type (and reason_zh, family)`);
  return finish(
    table.rows.map((row, i) => ({
      line: i + 2,
      raw: Object.fromEntries(header.map((h, j) => [h, row[j] ?? ''])),
    })),
    file,
  );
}

/**
 * Add codes to the workspace taxonomy. An existing code is an error unless `replace` (then its reason, type
 * and family change; past churn events keep their stored type).
 */
export async function addReasonCodes(
  engine: Engine,
  codes: readonly ReasonCode[],
  options: { readonly replace?: boolean } = {},
): Promise<{ added: string[]; replaced: string[] }> {
  const problems = codes.flatMap((c) => reasonCodeProblems(c).map((m) => `${String(c.code)}: ${m}`));
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  const existing = new Set((await engine.reasonCodes()).map((c) => c.code));
  const replaced = codes.filter((c) => existing.has(c.code)).map((c) => c.code);
  if (replaced.length > 0 && !options.replace)
    throw new UserError(`reason code(s) ${replaced.join(', ')} exist already (use --replace to change them)`);
  await engine.saveReasonCodes(codes);
  return { added: codes.filter((c) => !existing.has(c.code)).map((c) => c.code), replaced };
}
