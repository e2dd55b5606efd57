import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { UserError } from '../util/errors.js';
import type { SourceFormat } from './import-types.js';

export interface DetectedSource {
  readonly format: SourceFormat;
  readonly compression: 'none' | 'gzip';
  readonly sizeBytes: number;
}

const EXTENSIONS: Record<string, SourceFormat> = {
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  txt: 'csv',
  dat: 'csv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

/** Format and compression from the file name (`--format` overrides the format). */
export function detectSource(file: string, format?: SourceFormat): DetectedSource {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new UserError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new UserError(`${file}: not a regular file`);
  if (stat.size === 0) throw new UserError(`${file}: the file is empty`);
  const lower = file.toLowerCase();
  const compression = lower.endsWith('.gz') ? 'gzip' : 'none';
  const ext = lower.replace(/\.gz$/, '').split('.').pop() ?? '';
  const detected = format ?? EXTENSIONS[ext];
  if (!detected)
    throw new UserError(
      `${file}: cannot tell the format from the extension ".${ext}"; give --format csv|parquet|json|ndjson`,
    );
  return { format: detected, compression, sizeBytes: stat.size };
}

/** The first `bytes` bytes of the (decompressed) file. */
export async function readHead(file: string, compression: 'none' | 'gzip', bytes = 1 << 16): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const raw = createReadStream(file, compression === 'none' ? { end: bytes - 1 } : {});
  const stream = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= bytes) break;
    }
  } catch (error) {
    throw new UserError(`${file}: cannot read the file (${(error as Error).message})`);
  } finally {
    raw.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** The first non-empty line as text, without BOM and line ending; throws when it is not UTF-8. */
export function firstLine(file: string, head: Buffer): string {
  let start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let lineNo = 1;
  while (start < head.length) {
    let end = head.indexOf(0x0a, start);
    if (end < 0) end = head.length;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(start, end));
    } catch {
      throw new UserError(
        `${file}: line ${lineNo}: the file is not UTF-8 text (convert it, e.g. with iconv -t UTF-8)`,
      );
    }
    text = text.replace(/\r$/, '');
    if (text.trim() !== '') return text;
    start = end + 1;
    lineNo++;
  }
  throw new UserError(`${file}: the file holds no data (only blank lines)`);
}

const CANDIDATES = [',', '\t', ';', '|'];

/** Count a character outside double quotes. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

/** `,` `\t` `;` or `|`, whichever the line holds most of; `whitespace` when none and blanks separate fields. */
export function sniffDelimiter(line: string): string {
  let best = '';
  let bestCount = 0;
  for (const c of CANDIDATES) {
    const n = countOutsideQuotes(line, c);
    if (n > bestCount) [best, bestCount] = [c, n];
  }
  if (best) return best;
  return /\S\s+\S/.test(line.trim()) ? 'whitespace' : ',';
}

/** Split one CSV line (no embedded newlines) honouring double quotes. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/** Normalise a `--delimiter` value: names and escapes to the character. */
export function parseDelimiter(value: string | undefined): string {
  if (value === undefined || value === 'auto') return 'auto';
  const named: Record<string, string> = {
    tab: '\t',
    '\\t': '\t',
    comma: ',',
    semicolon: ';',
    pipe: '|',
    space: 'whitespace',
    whitespace: 'whitespace',
  };
  const d = named[value.toLowerCase()] ?? value;
  if (d !== 'whitespace' && d.length !== 1)
    throw new UserError(
      `--delimiter must be one character, "tab", "whitespace" or "auto", not ${JSON.stringify(value)}`,
    );
  return d;
}
