/**
 * Write a report in the format the user asked for, by name or by the file's extension; what the user got
 * wrong (an unknown format, a folder that does not exist, a file that cannot be written) is a UserError
 * naming the file.
 */
import { extname } from 'node:path';
import { writeCsv, type CsvOptions } from './csv-writer.js';
import { writePdf } from './pdf-writer.js';
import { REPORT_FORMATS, type ReportDocument, type ReportFormat } from './report-document.js';
import { writeXlsx } from './xlsx-writer.js';
import { UserError } from '../util/errors.js';

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The format named by a file's extension (case-insensitive): `churn.XLSX` -> `xlsx`. */
export function formatFromFile(file: string): ReportFormat {
  const ext = extname(file).slice(1).toLowerCase();
  if (isReportFormat(ext)) return ext;
  throw new UserError(
    `${file}: cannot tell the report format from ${ext ? `the extension ".${ext}"` : 'a name without extension'}; ` +
      `use one of ${REPORT_FORMATS.map((f) => `.${f}`).join(', ')}`,
  );
}

export interface WriteReportOptions {
  /** CSV only: start with a UTF-8 byte order mark for Excel. */
  readonly bom?: CsvOptions['bom'];
}

/** Write `doc` to `file` as `format` (a string from the user is checked here too). */
export async function writeReport(
  doc: ReportDocument,
  format: ReportFormat | string,
  file: string,
  options: WriteReportOptions = {},
): Promise<void> {
  if (!isReportFormat(format)) {
    throw new UserError(
      `${file}: unknown report format "${format}"; use one of ${REPORT_FORMATS.join(', ')}`,
    );
  }
  try {
    if (format === 'csv') await writeCsv(doc, file, { bom: options.bom ?? false });
    else if (format === 'xlsx') await writeXlsx(doc, file);
    else await writePdf(doc, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC'].includes(code)) {
      throw new UserError(`${file}: cannot write the report (${code}: ${(e as Error).message})`);
    }
    throw e;
  }
}
