import path from 'node:path';

/**
 * File types the indexer picks up, by extension; anything else is skipped quietly. sharp (libvips) decodes
 * these, HEIC through heic-decode.
 */
export const DECODABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif',
  '.heic', '.heif', '.hif', // iPhone and newer cameras: see [Note: HEIC]
]);

export function isImagePath(file: string): boolean {
  return DECODABLE_EXTENSIONS.has(path.extname(file).toLowerCase());
}
