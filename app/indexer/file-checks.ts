import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { isRawPath, PAIRED_JPEG_EXTENSIONS } from '../image/formats.js';
import { toFsPath } from '../util/fs-names.js';

/**
 * File-system checks of an index run, kept apart from its flow (index-folders.ts). Paths come in their exact
 * string form (see [Note: file names that are not UTF-8]).
 */

/** Where the JPEG of a RAW+JPEG pair would be: same folder, same name, JPEG extension. */
export function pairedJpegCandidates(raw: string): string[] {
  const stem = raw.slice(0, raw.length - path.extname(raw).length);
  return PAIRED_JPEG_EXTENSIONS.map((ext) => stem + ext);
}

/** A RAW with its JPEG beside it: the second file of the JPEG's photo (see [Note: RAW+JPEG pairs]). */
export function hasPairedJpeg(file: string): boolean {
  return isRawPath(file) && pairedJpegCandidates(file).some((j) => fs.existsSync(toFsPath(j)));
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EIO' || code === 'ENXIO' || code === 'ESTALE';
}

export function statFile(file: string): { path: string; size: number; mtimeMs: number } | undefined {
  try {
    const st = fs.statSync(toFsPath(file));
    return st.isFile() ? { path: file, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Photos under a folder that the scan did not see are gone from disk (deleted or moved away).
 * Only called after a scan of a readable root, so an unplugged drive never empties the catalog; photos under
 * a subfolder the scan could not read are kept too (a permission change is not a deletion).
 */
export function removeVanished(catalog: Catalog, root: string, seen: Set<string>, unreadable: string[]): number {
  let removed = 0;
  const inUnreadable = (file: string) => unreadable.some((dir) => file === dir || file.startsWith(dir + path.sep));
  for (const photo of catalog.photos.under(root, path.sep)) {
    if (seen.has(photo.path) || fs.existsSync(toFsPath(photo.path)) || inUnreadable(photo.path)) continue;
    catalog.removePhoto(photo.id);
    removed++;
  }
  for (const file of catalog.photoFiles.under(root, path.sep)) {
    if (!seen.has(file.path) && !fs.existsSync(toFsPath(file.path)) && !inUnreadable(file.path)) catalog.photoFiles.detach(file.path);
  }
  return removed;
}
