/**
 * Multipart uploads (imports, survival tables, campaign outcomes): the one `file` part is streamed to disk
 * under its own folder, never held in memory; the text fields go to the caller. The file keeps a safe
 * version of the client's name, which error messages then show instead of the path on the server.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { MESSAGES } from './messages.js';

export interface UploadedFile {
  readonly path: string;
  readonly name: string;
}

/** The client's file name without folders or unusual characters (never hidden; `fallback` when empty). */
export const safeName = (name: string, fallback = 'upload.csv'): string =>
  (name.split(/[\\/]/).pop() ?? '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || fallback;

export interface UploadOptions {
  /** Called with each text field, in order. */
  readonly onField?: (name: string, value: string) => void;
  /** The file's name when the client sent none. */
  readonly fallbackName?: string;
}

/**
 * Read a multipart request: the file part (which must be named `file`, and be the only one) is written
 * into `dir`, each text field is handed to `onField`. Null when the request had no file.
 */
export async function receiveUpload(
  request: FastifyRequest,
  dir: string,
  options: UploadOptions = {},
): Promise<UploadedFile | null> {
  let file: UploadedFile | null = null;
  for await (const part of request.parts()) {
    if (part.type !== 'file') {
      options.onField?.(part.fieldname, String(part.value));
      continue;
    }
    if (file) throw new ApiError('bad_request', MESSAGES.oneFile);
    if (part.fieldname !== 'file')
      throw new ApiError('bad_request', MESSAGES.invalidRequest, [
        { field: `body.${part.fieldname}`, message: 'is not a file field (use "file")' },
      ]);
    const name = safeName(part.filename, options.fallbackName);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    await pipeline(part.file, createWriteStream(path));
    file = { path, name };
  }
  return file;
}
