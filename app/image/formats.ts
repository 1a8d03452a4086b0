import path from 'node:path';

/**
 * File types the indexer picks up, by extension; anything else is skipped quietly. sharp (libvips) decodes
 * these, HEIC through heic-decode.
 */
export const DECODABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif',
  '.heic', '.heif', '.hif', // iPhone and newer cameras: see [Note: HEIC]
]);

/** Camera RAW, decoded through the JPEG preview embedded in it (see [Note: RAW previews]). */
export const RAW_EXTENSIONS: ReadonlySet<string> = new Set(['.cr2', '.cr3', '.nef', '.nrw', '.arw', '.raf', '.orf', '.rw2', '.dng', '.pef', '.srw']);

/** The JPEG half of a RAW+JPEG pair is the one with these extensions (see [Note: RAW+JPEG pairs]). */
export const PAIRED_JPEG_EXTENSIONS: readonly string[] = ['.jpg', '.JPG', '.jpeg', '.JPEG'];

export function isImagePath(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return DECODABLE_EXTENSIONS.has(ext) || RAW_EXTENSIONS.has(ext);
}

export function isRawPath(file: string): boolean {
  return RAW_EXTENSIONS.has(path.extname(file).toLowerCase());
}
