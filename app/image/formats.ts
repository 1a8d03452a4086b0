import path from 'node:path';

/**
 * File types the indexer picks up, by extension. sharp (libvips) decodes all of these here.
 * HEIC/HEIF and camera RAW need decoders sharp does not ship; they come with the live-library work.
 */
export const DECODABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif',
]);

export function isImagePath(file: string): boolean {
  return DECODABLE_EXTENSIONS.has(path.extname(file).toLowerCase());
}
