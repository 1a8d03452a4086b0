import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasRawBytes, toFsBytes } from './fs-names.js';

/**
 * [Note: string-only tools]
 * ExifTool (exiftool-vendored writes the path into its `-stay_open` argument stream as UTF-8 text) and
 * exifr take a path as a JS string, which cannot name a file whose name is not UTF-8 (see
 * [Note: file names that are not UTF-8]). Such a file is handed to them as a UTF-8 alias: a symbolic link in
 * a private temporary folder whose target is the real bytes (fs.symlink takes a Buffer target), removed right
 * after. Both tools only read through it; the photo itself is never renamed, copied or written. The
 * extension is kept when it is plain text, since ExifTool looks at it to choose a parser.
 */
export async function withStringPath<T>(file: string, use: (alias: string) => Promise<T>): Promise<T> {
  if (!hasRawBytes(file)) return use(file);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shoebox-alias-'));
  try {
    const ext = path.extname(file);
    const alias = path.join(dir, `photo${hasRawBytes(ext) ? '' : ext}`);
    await fs.promises.symlink(toFsBytes(path.resolve(file)), alias);
    return await use(alias);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
