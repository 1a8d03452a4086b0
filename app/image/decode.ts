import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { loadSharp } from '../util/heavy-modules.js';
import { decodeHeic, isHevcHeif, type RgbaImage } from './heic.js';

/**
 * [Note: decode once]
 * A photo is decoded once into an upright, alpha-flattened 8-bit RGB "working image" whose shortest side is
 * about twice the model's crop. The CLIP crop, the grid thumbnail and the perceptual hash are all cut from
 * it, so the file is neither read nor decoded twice. Decoding straight to this size lets libvips use JPEG
 * shrink-on-load (80 ms instead of 250 ms for a 24 MP file). Measured against the PIL reference crops, the
 * two-step resize (file → 448 → 224) stays within 0.6 grey levels mean absolute difference, closer than a
 * single resize from the full JPEG (1.05 at worst on the real photos), because libvips' shrink-on-load is
 * a box filter that the second, antialiased bicubic step smooths over.
 */
export interface DecodedPhoto {
  /** Upright RGB pixels, 3 bytes per pixel, row-major. */
  pixels: Buffer;
  width: number;
  height: number;
  /** Size of the upright original. */
  sourceWidth: number;
  sourceHeight: number;
  /** Container format as sharp reports it: jpeg, png, webp, gif, tiff, heif… */
  format: string;
}

export interface DecodeOptions {
  /** Shortest side of the working image; smaller originals are kept at their size. */
  workingShortSide: number;
  /**
   * The least shortest side the working image may have (the model's resize edge): with it, a JPEG is decoded
   * at the JPEG scale the model's crop alone needs, and the working image is as large as that scale gives, up
   * to `workingShortSide` (see [Note: working image at the crop's JPEG scale]).
   */
  leastShortSide?: number;
  /** Refuse images with more pixels than this before allocating them (decompression bombs). */
  maxPixels?: number;
}

/** 200 megapixels: above any camera's output (the largest medium format backs are ~150 MP). */
export const DEFAULT_MAX_PIXELS = 200_000_000;

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export async function decodePhoto(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedPhoto> {
  if (bytes.byteLength === 0) throw new DecodeError('empty file (0 bytes)');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // `failOn: 'error'`: decode what libjpeg/libpng can recover from (stray bytes before a marker are common in
  // camera files and every viewer shows them), refuse what they cannot.
  const input = { failOn: 'error' as const, limitInputPixels: maxPixels, animated: false };
  const sharp = await loadSharp(); // see [Note: heavy modules on first use]
  let meta: Metadata;
  try {
    meta = await sharp(bytes, input).metadata();
  } catch (err) {
    throw new DecodeError(describeSharpError(err));
  }
  if (!meta.width || !meta.height) throw new DecodeError(`not a decodable image (${meta.format ?? 'unknown format'})`);
  if (meta.width * meta.height > maxPixels) {
    throw new DecodeError(`image too large: ${meta.width}×${meta.height} exceeds ${Math.round(maxPixels / 1e6)} megapixels`);
  }
  try {
    const source = await uprightSource(bytes, meta, input);
    const { width: sourceWidth, height: sourceHeight } = source;
    const target = meta.format === 'jpeg' && options.leastShortSide
      ? workingSideAtCropScale(Math.min(sourceWidth, sourceHeight), options.leastShortSide, options.workingShortSide)
      : options.workingShortSide;
    const [width, height] = shortestSideTo(sourceWidth, sourceHeight, target);
    const { data, info } = await source.image
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .resize(width, height, { kernel: 'cubic', fit: 'fill' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new DecodeError(`unexpected ${info.channels} channels after conversion`);
    return { pixels: data, width: info.width, height: info.height, sourceWidth, sourceHeight, format: meta.format ?? 'unknown' };
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(describeSharpError(err));
  }
}

/**
 * A sharp pipeline over the upright image: sharp's own decoders with the EXIF orientation applied, or for
 * HEIC (see [Note: HEIC]) the pixels libheif decoded, already upright. `meta` is sharp's metadata of `bytes`.
 */
export async function uprightSource(bytes: Uint8Array, meta: Metadata, input: SharpOptions): Promise<{ image: Sharp; width: number; height: number }> {
  const sharp = await loadSharp();
  if (!isHevcHeif(meta)) {
    const sideways = (meta.orientation ?? 1) >= 5;
    const [width, height] = [meta.width ?? 0, meta.height ?? 0];
    return { image: sharp(bytes, input).autoOrient(), width: sideways ? height : width, height: sideways ? width : height };
  }
  let rgba: RgbaImage;
  try {
    rgba = await decodeHeic(bytes);
  } catch (err) {
    throw new DecodeError(`cannot decode HEIC: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
  return { image: sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } }), width: rgba.width, height: rgba.height };
}

/**
 * [Note: working image at the crop's JPEG scale]
 * libjpeg decodes at 1/2, 1/4 or 1/8 scale for a fraction of the full decode's work, and sharp picks that
 * scale from the size asked for: the largest power of two not above the shrink factor, halved again when the
 * factor's integer part equals it (its guard against libjpeg's rounding). Asked for a 448 px working image, a
 * 2560 × 1600 photo (factor 3.6) decodes at 1/2, 1280 × 800 pixels; the model's 224 px crop alone (factor 7.1)
 * decodes at 1/4, a quarter of the pixels, and that decode was most of the indexer's CPU time beside a
 * plain decode-to-crop pipeline (issue 15). So the working image is decoded at the scale the crop alone would
 * use, and made as large as that scale allows (up to `workingShortSide`, never below `leastShortSide`): its
 * shortest side lands between 224 and 448 for a 224 crop. Everything cut from it still has enough pixels:
 * against the PIL reference crops of the real photos, mean absolute difference 0.39–1.11 grey levels (the
 * 448 px working image: 0.19–0.28; the plain decode-to-crop pipeline: 0.43–3.41; test/model/image-encoder
 * allows 4), and the grid thumbnail and the hashes are computed at fixed sizes from the thumbnail (see
 * [Note: hashes from the grid thumbnail]). If sharp changes its rule, only the speed changes: the sizes are
 * still asked for explicitly.
 */
export function workingSideAtCropScale(shortSide: number, leastShortSide: number, workingShortSide: number): number {
  const scale = jpegScaleFor(shortSide / leastShortSide);
  // The smallest shrink factor for which sharp still picks `scale`: (scale + 1), past the rounding guard.
  const leastFactor = scale === 1 ? 1 : scale + 1;
  return Math.max(leastShortSide, Math.min(workingShortSide, Math.floor(shortSide / leastFactor)));
}

/** The JPEG decode scale sharp (0.33–0.35, fastShrinkOnLoad) picks for a shrink factor: 1, 2, 4 or 8. */
function jpegScaleFor(factor: number): number {
  const scale = factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
  return scale > 1 && Math.floor(factor) === scale ? scale / 2 : scale;
}

/**
 * Size after scaling the shortest side to `target`, never upscaling, keeping the aspect ratio.
 * The long side is truncated, as PIL's CLIP preprocessing does (`int(target * long / short)`).
 */
export function shortestSideTo(width: number, height: number, target: number, allowUpscale = false): [number, number] {
  const short = Math.min(width, height);
  if (short <= target && !allowUpscale) return [width, height];
  if (width <= height) return [target, Math.max(target, Math.floor((target * height) / width))];
  return [Math.max(target, Math.floor((target * width) / height)), target];
}

function describeSharpError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) return 'not an image, or a format we cannot decode';
  if (/pixel limit/i.test(message)) return 'image too large (pixel count over the limit)';
  if (/premature end|truncated|unexpected end/i.test(message)) return `truncated image: ${firstLine(message)}`;
  return `cannot decode: ${firstLine(message)}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
