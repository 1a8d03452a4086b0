import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '..', 'fixtures');
export const TINY_CLIP = path.join(FIXTURES, 'tiny-clip');
export const REFERENCE_DIR = path.join(TINY_CLIP, 'reference');
export const SAMPLES_DIR = path.join(TINY_CLIP, 'samples');
/**
 * tiny-clip with real CLIP's score geometry (photo–photo cosines ≈ 0.5, compressed text–photo cosines): a copy
 * of ../shared/models/tiny-clip-gap, so that tests of rules that must hold on both geometries run anywhere.
 */
export const TINY_CLIP_GAP = path.join(FIXTURES, 'tiny-clip-gap');

export interface ReferenceImage {
  file: string;
  exif_orientation: number;
  image_embeds_normalized: number[];
  image_embeds_alpha_on_white_normalized?: number[];
  image_embeds_alpha_on_white?: number[];
  pixels_png: string;
  pixels_png_alpha_on_white?: string;
  [key: string]: unknown;
}
export interface ReferenceText {
  kind: string;
  text: string;
  input_ids: number[];
  num_tokens: number;
  text_embeds_normalized: number[];
}
export interface Reference {
  images: ReferenceImage[];
  texts: ReferenceText[];
  pixel_reference: { real_photos: { photo: string; pixels_png: string }[] };
}

export function loadReference(): Reference {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'reference.json'), 'utf8')) as Reference;
}

/**
 * The real photographs the pixel reference was made from are Debian's `mate-backgrounds` wallpapers.
 * They are not committed: `.ci/run` (scripts/fetch-test-photos.sh) extracts the package into test/.cache.
 */
export const TEST_PHOTOS_DIR = path.resolve(here, '..', '.cache', 'mate-backgrounds');

export function realPhotoPath(referencePath: string): string {
  // reference.json names them shared/photos/real/mate-<Name>.jpg; the package ships <Name>.jpg.
  return path.join(TEST_PHOTOS_DIR, path.basename(referencePath).replace(/^mate-/, ''));
}
